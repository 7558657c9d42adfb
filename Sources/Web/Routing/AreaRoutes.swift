import Domain

/// What a person can post, as it appears in the path of the posting form.
enum PostingKind: String, CaseIterable, Sendable {
    case volunteerNeed = "ehrenamt"
    case volunteerOffer = "mithelfen"
    case donationNeed = "spende-gesucht"
    case donationOffer = "spende-angeboten"
    case event = "veranstaltung"

    /// The listing kind, or nil for events.
    var listingKind: ListingKind? {
        switch self {
        case .volunteerNeed: .volunteerNeed
        case .volunteerOffer: .volunteerOffer
        case .donationNeed: .donationNeed
        case .donationOffer: .donationOffer
        case .event: nil
        }
    }

    init?(listingKind: ListingKind) {
        switch listingKind {
        case .volunteerNeed: self = .volunteerNeed
        case .volunteerOffer: self = .volunteerOffer
        case .donationNeed: self = .donationNeed
        case .donationOffer: self = .donationOffer
        }
    }
}

/// Registration, login and everything reached by a link in an e-mail.
enum AccountRoute: Equatable, Sendable {
    case login
    case logout
    case register
    case registerPerson
    case registerOrganisation
    case confirm(token: String)
    case resendConfirmation
    case forgotPassword
    case resetPassword(token: String)
    case confirmEmailChange(token: String)
    case invitation(token: String)

    var path: String {
        switch self {
        case .login: "/anmelden"
        case .logout: "/abmelden"
        case .register: "/registrieren"
        case .registerPerson: "/registrieren/person"
        case .registerOrganisation: "/registrieren/organisation"
        case .confirm(let token): "/konto/bestaetigen/\(token)"
        case .resendConfirmation: "/konto/bestaetigung-senden"
        case .forgotPassword: "/passwort-vergessen"
        case .resetPassword(let token): "/passwort-neu/\(token)"
        case .confirmEmailChange(let token): "/konto/neue-adresse/\(token)"
        case .invitation(let token): "/einladung/\(token)"
        }
    }

    /// Logout has no page of its own: it is a button.
    var hasPage: Bool { self != .logout }

    static func parse(_ parts: [Substring]) -> AccountRoute? {
        switch parts.count {
        case 1:
            switch parts[0] {
            case "anmelden": return .login
            case "abmelden": return .logout
            case "registrieren": return .register
            case "passwort-vergessen": return .forgotPassword
            default: return nil
            }
        case 2:
            let tail = parts[1]
            switch parts[0] {
            case "registrieren" where tail == "person": return .registerPerson
            case "registrieren" where tail == "organisation": return .registerOrganisation
            case "konto" where tail == "bestaetigung-senden": return .resendConfirmation
            case "passwort-neu": return token(tail).map { .resetPassword(token: $0) }
            case "einladung": return token(tail).map { .invitation(token: $0) }
            default: return nil
            }
        case 3 where parts[0] == "konto":
            switch parts[1] {
            case "bestaetigen": return token(parts[2]).map { .confirm(token: $0) }
            case "neue-adresse": return token(parts[2]).map { .confirmEmailChange(token: $0) }
            default: return nil
            }
        default:
            return nil
        }
    }

    /// A link token: 43 characters of base64url (see `SecureRandom.token()`).
    static func token(_ text: Substring) -> String? {
        SessionManager.isWellFormed(String(text)) ? String(text) : nil
    }
}

/// "Mein Bereich": what a logged-in person sees and changes of their own.
enum MyRoute: Equatable, Sendable {
    case overview
    case settings
    case changePassword
    case changeEmail
    case logoutEverywhere
    case newPosting(PostingKind)
    case editListing(id: Int64)
    case closeListing(id: Int64)
    case reopenListing(id: Int64)
    case editEvent(id: Int64)
    case closeEvent(id: Int64)
    case reopenEvent(id: Int64)
    case organisation(id: Int64)
    case members(organisationID: Int64)
    case removeMember(organisationID: Int64, userID: Int64)

    var path: String {
        let base = "/mein-bereich"
        switch self {
        case .overview: return base
        case .settings: return base + "/konto"
        case .changePassword: return base + "/konto/passwort"
        case .changeEmail: return base + "/konto/adresse"
        case .logoutEverywhere: return base + "/konto/ueberall-abmelden"
        case .newPosting(let kind): return base + "/neu/\(kind.rawValue)"
        case .editListing(let id): return base + "/eintraege/\(id)"
        case .closeListing(let id): return base + "/eintraege/\(id)/schliessen"
        case .reopenListing(let id): return base + "/eintraege/\(id)/wieder-oeffnen"
        case .editEvent(let id): return base + "/veranstaltungen/\(id)"
        case .closeEvent(let id): return base + "/veranstaltungen/\(id)/schliessen"
        case .reopenEvent(let id): return base + "/veranstaltungen/\(id)/wieder-oeffnen"
        case .organisation(let id): return base + "/organisationen/\(id)"
        case .members(let id): return base + "/organisationen/\(id)/mitglieder"
        case .removeMember(let organisation, let user):
            return base + "/organisationen/\(organisation)/mitglieder/\(user)/entfernen"
        }
    }

    /// Routes that are only buttons (POST), without a page to show.
    var hasPage: Bool {
        switch self {
        case .changePassword, .changeEmail, .logoutEverywhere, .closeListing, .reopenListing, .closeEvent,
            .reopenEvent, .removeMember:
            false
        default: true
        }
    }

    /// `parts` without the leading "mein-bereich".
    static func parse(_ parts: [Substring]) -> MyRoute? {
        switch parts.count {
        case 0: return .overview
        case 1: return parts[0] == "konto" ? .settings : nil
        case 2:
            switch parts[0] {
            case "konto":
                switch parts[1] {
                case "passwort": return .changePassword
                case "adresse": return .changeEmail
                case "ueberall-abmelden": return .logoutEverywhere
                default: return nil
                }
            case "neu": return PostingKind(rawValue: String(parts[1])).map(MyRoute.newPosting)
            case "eintraege": return SiteRoute.identifier(parts[1]).map { .editListing(id: $0) }
            case "veranstaltungen": return SiteRoute.identifier(parts[1]).map { .editEvent(id: $0) }
            case "organisationen": return SiteRoute.identifier(parts[1]).map { .organisation(id: $0) }
            default: return nil
            }
        case 3:
            guard let id = SiteRoute.identifier(parts[1]) else { return nil }
            switch (parts[0], parts[2]) {
            case ("eintraege", "schliessen"): return .closeListing(id: id)
            case ("eintraege", "wieder-oeffnen"): return .reopenListing(id: id)
            case ("veranstaltungen", "schliessen"): return .closeEvent(id: id)
            case ("veranstaltungen", "wieder-oeffnen"): return .reopenEvent(id: id)
            case ("organisationen", "mitglieder"): return .members(organisationID: id)
            default: return nil
            }
        case 5:
            guard parts[0] == "organisationen", parts[2] == "mitglieder", parts[4] == "entfernen",
                let organisation = SiteRoute.identifier(parts[1]), let user = SiteRoute.identifier(parts[3])
            else { return nil }
            return .removeMember(organisationID: organisation, userID: user)
        default:
            return nil
        }
    }
}

/// The county staff's pages ("Verwaltung").
enum StaffRoute: Equatable, Sendable {
    case overview
    case organisations
    case organisation(id: Int64)
    case outbox
    case outboxMessage(id: Int64)
    /// Admins: staff accounts (list, give or take the staff role).
    case team
    case teamMember(userID: Int64)
    /// Admins: the taxonomy (topics and donation categories).
    case topics
    case topic(id: Int64)

    /// Pages only admins may open.
    var isAdminOnly: Bool {
        switch self {
        case .team, .teamMember, .topics, .topic: true
        default: false
        }
    }

    var acceptsPost: Bool {
        switch self {
        case .organisation, .team, .teamMember, .topics, .topic: true
        default: false
        }
    }

    /// Routes that are only buttons (POST), without a page to show.
    var hasPage: Bool {
        if case .teamMember = self { return false }
        return true
    }

    var path: String {
        let base = "/verwaltung"
        switch self {
        case .overview: return base
        case .organisations: return base + "/organisationen"
        case .organisation(let id): return base + "/organisationen/\(id)"
        case .outbox: return base + "/postausgang"
        case .outboxMessage(let id): return base + "/postausgang/\(id)"
        case .team: return base + "/team"
        case .teamMember(let id): return base + "/team/\(id)"
        case .topics: return base + "/themen"
        case .topic(let id): return base + "/themen/\(id)"
        }
    }

    /// `parts` without the leading "verwaltung".
    static func parse(_ parts: [Substring]) -> StaffRoute? {
        switch parts.count {
        case 0: return .overview
        case 1:
            switch parts[0] {
            case "organisationen": return .organisations
            case "postausgang": return .outbox
            case "team": return .team
            case "themen": return .topics
            default: return nil
            }
        case 2:
            guard let id = SiteRoute.identifier(parts[1]) else { return nil }
            switch parts[0] {
            case "organisationen": return .organisation(id: id)
            case "postausgang": return .outboxMessage(id: id)
            case "team": return .teamMember(userID: id)
            case "themen": return .topic(id: id)
            default: return nil
            }
        default:
            return nil
        }
    }
}
