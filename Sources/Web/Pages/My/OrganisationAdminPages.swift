import Domain
import Foundation
import Storage

/// "Mein Bereich" pages of one organisation: its profile and its members. Whether the visitor belongs to
/// the organisation is read from the database on every request, so a removed member loses access at once.
enum OrganisationAdminPages {
    static func respond(_ route: MyRoute, _ context: RequestContext) throws -> Outcome {
        let user = try context.requireUser()
        switch route {
        case .organisation(let id):
            return try OrganisationProfilePage.respond(
                organisationID: id, role: try membership(user.id, id, context), context)
        case .members(let id):
            return try MembersPage.respond(organisationID: id, role: try membership(user.id, id, context), context)
        case .removeMember(let id, let memberID):
            return try MembersPage.remove(
                organisationID: id, userID: memberID, role: try membership(user.id, id, context), context)
        default:
            throw HTTPError.notFound
        }
    }

    /// The visitor's role in the organisation; anyone else gets 403 (for an organisation that does not exist
    /// too, so the answer tells nothing about which ids exist).
    private static func membership(_ userID: Int64, _ organisationID: Int64, _ context: RequestContext) throws
        -> MembershipStore.Role
    {
        guard let role = try context.app.membershipStore.role(userID: userID, organisationID: organisationID) else {
            throw HTTPError.forbidden
        }
        return role
    }

    /// The sub-navigation both pages share.
    static func tabs(organisationID: Int64, current: MyRoute, _ context: RequestContext) -> [[String: Any]] {
        [
            (MyRoute.organisation(id: organisationID), "my.organisation.nav.profile"),
            (MyRoute.members(organisationID: organisationID), "my.organisation.nav.members"),
        ].map { route, key in
            ["href": SiteRoute.my(route).path, "label": context.strings[key], "current": route == current]
        }
    }

    /// The confirmation after a redirect to one of these pages (`?hinweis=my.organisation.<name>` shows
    /// `my.organisation.notice.<name>`); the layout's own notices are one level shallower.
    static func notice(_ context: RequestContext) -> String? {
        let prefix = "my.organisation."
        guard let value = context.query.first("hinweis"), value.hasPrefix(prefix), value.utf8.count <= 60 else {
            return nil
        }
        let name = value.dropFirst(prefix.count)
        guard !name.isEmpty, name.utf8.allSatisfy({ (0x61...0x7A).contains($0) || $0 == 0x5F }) else { return nil }
        let key = prefix + "notice." + name
        return context.strings.contains(key) ? context.strings[key] : nil
    }

    /// A redirect target with one of these pages' notices.
    static func path(_ route: MyRoute, notice name: String) -> String {
        SiteRoute.my(route).path + "?hinweis=my.organisation." + name
    }
}

extension Application {
    var membershipStore: MembershipStore { MembershipStore(database: database) }
    var organisationAdmin: OrganisationAdminStore { OrganisationAdminStore(database: database) }
    var contactTargets: ContactStore { ContactStore(database: database) }
    var outboxMessages: OutboxStore { OutboxStore(database: database) }
}

/// Text from the database that goes into a mail header (a recipient's name, a subject): control characters
/// become spaces, so a stored value can never break the header.
enum HeaderText {
    static func clean(_ text: String) -> String {
        String(
            String.UnicodeScalarView(
                text.unicodeScalars.map { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) ? " " : $0 }))
    }

    /// Whether a value a person typed for a header contains a line break or another control character.
    static func hasControlCharacters(_ text: String) -> Bool {
        text.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }
    }
}

extension OrganisationAdminPages {
    /// The strings the organisation pages and the invitation page build keys for (checked at start-up through
    /// `RequiredStrings`).
    static var requiredKeys: [String] {
        let base = "my.organisation"
        var keys = [
            "profile_title", "logo_alt", "choose", "nav.profile", "nav.members", "members.title", "members.count.one",
            "members.count.other", "members.remove_label", "members.last_admin", "invitations.expires",
            "address", "invite.too_many", "invite.already_member",
        ].map { "\(base).\($0)" }
        keys += ["saved", "invited", "added", "removed", "joined", "already_member"].map { "\(base).notice.\($0)" }
        keys += OrganisationState.allCases.map { "\(base).state.\($0.rawValue)" }
        keys += MembershipStore.Role.allCases.map { "\(base).role.\($0.rawValue)" }
        keys += OrganisationProfilePage.fields.map { "\(OrganisationProfilePage.prefix).\($0).label" }
        keys += ["logo.label", "logo.hint", "municipality.hint", "email.hint", "homepage.hint", "description.hint"].map
        {
            "\(OrganisationProfilePage.prefix).\($0)"
        }
        keys += [
            "name.missing", "name.too_long", "name.line_break", "legal_form.missing", "municipality.missing",
            "street.too_long", "postal_code.invalid", "city.too_long", "contact_name.too_long",
            "contact_name.line_break", "email.invalid", "phone.too_long", "phone.invalid", "homepage.too_long",
            "homepage.invalid", "description.too_long", "topics.missing",
        ].map { "\(OrganisationProfilePage.prefix).\($0)" }
        keys += ["email.label", "email.hint", "email.missing", "email.invalid"].map { "\(MembersPage.prefix).\($0)" }
        let invitation = InvitationPage.prefix
        keys += ["heading", "text", "text_anonymous", "expires", "as"].map { "\(invitation).\($0)" }
        keys += ["used", "expired", "unknown"].flatMap { ["\(invitation).\($0).heading", "\(invitation).\($0).text"] }
        return keys
    }
}
