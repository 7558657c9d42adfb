import Domain

/// The listing sections of the site: each has a list page and detail pages under one path.
enum ListingSection: String, CaseIterable, Sendable {
    case volunteerNeeds = "ehrenamt"
    case volunteerOffers = "mithelfen"
    case donations = "spenden"

    /// The kinds listed in this section (donations: both, switched by `art=`).
    var kinds: [ListingKind] {
        switch self {
        case .volunteerNeeds: [.volunteerNeed]
        case .volunteerOffers: [.volunteerOffer]
        case .donations: [.donationOffer, .donationNeed]
        }
    }

    var topicKind: TopicKind { self == .donations ? .donation : .volunteering }

    /// The section a listing of `kind` is shown in.
    init(kind: ListingKind) {
        switch kind {
        case .volunteerNeed: self = .volunteerNeeds
        case .volunteerOffer: self = .volunteerOffers
        case .donationNeed, .donationOffer: self = .donations
        }
    }
}

/// Every page of the site. The same enum parses request paths and builds links, so a link can
/// never point to a route that does not exist.
enum SiteRoute: Equatable, Sendable {
    case home
    case listings(ListingSection)
    case listing(ListingSection, id: Int64)
    case events
    case event(id: Int64)
    case organisations
    case organisation(id: Int64)
    case municipalities
    case municipality(slug: String)
    /// Full-text search over the published listings of every kind (`?q=`, `seite=`).
    case search
    case imprint
    case privacy
    case accessibility
    /// The feedback form of the accessibility statement ("Barriere melden").
    case accessibilityFeedback
    /// The explanation of the exchange in Leichte Sprache, with the county's sign-language video.
    case easyLanguage
    case staticFile(path: Substring)
    case account(AccountRoute)
    case my(MyRoute)
    case staff(StaffRoute)
    /// The contact form of a published listing ("Ich möchte helfen").
    case contact(ListingSection, id: Int64)
    /// An uploaded image (logo, listing picture), by its random stored name.
    case image(name: String)
    /// The county's colours as CSS variables (from its configuration).
    case themeStylesheet
    /// Liveness for the county's monitoring and load balancer: a fixed `ok` without touching the database.
    case health

    static let staticPrefix = "/static/"

    /// The path of this route (without query) in the language of the request being handled: German
    /// paths have no prefix, others start with `/<code>`. Files and images are the same in every language.
    var path: String {
        switch self {
        case .staticFile, .image, .themeStylesheet, .health: unprefixedPath
        default: Language.current.pathPrefix + unprefixedPath
        }
    }

    /// The path in `language`, for the language switcher and `hreflang` links.
    func path(in language: Language) -> String {
        Language.$current.withValue(language) { path }
    }

    /// The path without a language prefix.
    var unprefixedPath: String {
        switch self {
        case .home: "/"
        case .listings(let section): "/\(section.rawValue)"
        case .listing(let section, let id): "/\(section.rawValue)/\(id)"
        case .events: "/veranstaltungen"
        case .event(let id): "/veranstaltungen/\(id)"
        case .organisations: "/organisationen"
        case .organisation(let id): "/organisationen/\(id)"
        case .municipalities: "/gemeinden"
        case .municipality(let slug): "/gemeinden/\(slug)"
        case .search: "/suche"
        case .imprint: "/impressum"
        case .privacy: "/datenschutz"
        case .accessibility: "/barrierefreiheit"
        case .accessibilityFeedback: "/barrierefreiheit/rueckmeldung"
        case .easyLanguage: "/leichte-sprache"
        case .staticFile(let path): Self.staticPrefix + path
        case .account(let route): route.path
        case .my(let route): route.path
        case .staff(let route): route.path
        case .contact(let section, let id): "/\(section.rawValue)/\(id)/kontakt"
        case .image(let name): "/bilder/\(name)"
        case .themeStylesheet: "/theme.css"
        case .health: "/healthz"
        }
    }

    /// Whether the route accepts POST (a form is sent to it). Everything else answers GET and HEAD only.
    var acceptsPost: Bool {
        switch self {
        case .account(let route): route != .register
        case .my(let route): route != .overview && route != .settings
        case .staff(let route): route.acceptsPost
        case .contact, .accessibilityFeedback: true
        default: false
        }
    }

    /// Whether GET shows a page here (routes that are only buttons answer GET with 405).
    var acceptsGet: Bool {
        switch self {
        case .account(let route): route.hasPage
        case .my(let route): route.hasPage
        case .staff(let route): route.hasPage
        default: true
        }
    }

    /// The route for a request path (still percent-encoded), or nil when no page lives there.
    static func parse(_ path: Substring) -> SiteRoute? {
        if path.hasPrefix(staticPrefix) { return .staticFile(path: path.dropFirst(staticPrefix.count)) }
        var segments = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
        // One trailing slash is tolerated ("/ehrenamt/"); empty segments elsewhere are not.
        if segments.count > 1, segments.last?.isEmpty == true, segments.dropLast().last?.isEmpty == false {
            segments = segments.dropLast()
        }
        let parts = Array(segments)
        if let first = parts.first {
            switch first {
            case "mein-bereich": return MyRoute.parse(Array(parts.dropFirst())).map(SiteRoute.my)
            case "verwaltung": return StaffRoute.parse(Array(parts.dropFirst())).map(SiteRoute.staff)
            case "bilder": return parts.count == 2 ? imageName(parts[1]).map { .image(name: $0) } : nil
            default:
                if let route = AccountRoute.parse(parts) { return .account(route) }
            }
        }
        if parts.count == 3, parts[2] == "kontakt", let section = ListingSection(rawValue: String(parts[0])),
            let id = identifier(parts[1])
        {
            return .contact(section, id: id)
        }
        switch parts.count {
        case 1:
            switch parts[0] {
            case "": return .home
            case "veranstaltungen": return .events
            case "organisationen": return .organisations
            case "gemeinden": return .municipalities
            case "suche": return .search
            case "impressum": return .imprint
            case "datenschutz": return .privacy
            case "barrierefreiheit": return .accessibility
            case "theme.css": return .themeStylesheet
            case "healthz": return .health
            case "leichte-sprache": return .easyLanguage
            default: return ListingSection(rawValue: String(parts[0])).map(SiteRoute.listings)
            }
        case 2:
            let head = parts[0]
            let tail = parts[1]
            if head == "gemeinden" {
                return isSlug(tail) ? .municipality(slug: String(tail)) : nil
            }
            if head == "barrierefreiheit" { return tail == "rueckmeldung" ? .accessibilityFeedback : nil }
            guard let id = identifier(tail) else { return nil }
            switch head {
            case "veranstaltungen": return .event(id: id)
            case "organisationen": return .organisation(id: id)
            default: return ListingSection(rawValue: String(head)).map { .listing($0, id: id) }
            }
        default:
            return nil
        }
    }

    /// A positive decimal id of at most 18 digits (so it always fits Int64), without sign or leading zero.
    static func identifier(_ text: Substring) -> Int64? {
        guard (1...18).contains(text.utf8.count), text.first != "0",
            text.utf8.allSatisfy({ (0x30...0x39).contains($0) })
        else { return nil }
        return Int64(text)
    }

    /// A stored image name: 32 lowercase hex characters and one of our three extensions.
    private static func imageName(_ text: Substring) -> String? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].utf8.count == 32,
            parts[0].utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }),
            ["jpg", "png", "webp"].contains(parts[1])
        else { return nil }
        return String(text)
    }

    private static func isSlug(_ text: Substring) -> Bool {
        (1...64).contains(text.utf8.count)
            && text.utf8.allSatisfy { (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == 0x2D }
    }
}
