import Domain
import Foundation
import HTTPTypes
import Storage

/// `/mein-bereich/organisationen/{id}/mitglieder`: who belongs to the organisation. Admins invite people by
/// e-mail (an existing account joins at once, anyone else gets a link valid for 7 days) and remove members;
/// the last admin stays.
enum MembersPage {
    static let prefix = "my.organisation.invite"
    /// How long an invitation link works.
    static let invitationValidity: TimeInterval = 7 * 24 * 3600
    /// Invitations one organisation may send per day: enough for a club, too few to spam with.
    static let invitationsPerDay = 20

    static func respond(organisationID: Int64, role: MembershipStore.Role, _ context: RequestContext) throws -> Outcome
    {
        guard let profile = try context.app.organisationAdmin.profile(id: organisationID) else {
            throw HTTPError.notFound
        }
        guard context.isPost else { return .page(try render(profile, role: role, state: FormState(), context)) }
        guard role == .admin, let inviter = context.user else { throw HTTPError.forbidden }
        var state = FormState(form: context.form, keeping: ["email"])
        let email = state.value("email").lowercased()
        let store = context.app.membershipStore
        if email.isEmpty {
            state.addError(context.strings["\(prefix).email.missing"], to: "email")
        } else if !EmailAddress.isValid(email) {
            state.addError(context.strings["\(prefix).email.invalid"], to: "email")
        } else if try store.invitationCount(
            organisationID: organisationID, since: context.now.addingTimeInterval(-24 * 3600)) >= invitationsPerDay
        {
            state.addError(context.strings["\(prefix).too_many"], to: "email")
        }
        let account = state.hasErrors ? nil : try context.app.users.account(email: email)
        if let account, try store.role(userID: account.id, organisationID: organisationID) != nil {
            state.addError(context.strings["\(prefix).already_member"], to: "email")
        }
        if state.hasErrors {
            return .page(try render(profile, role: role, state: state, context, status: .unprocessableContent))
        }
        let mailer = context.app.mailer
        let organisationName = HeaderText.clean(profile.name)
        if let account {
            try store.add(userID: account.id, organisationID: organisationID, role: .member, now: context.now)
            // The new member reads this in their own language, not in the inviting admin's.
            let language = mailer.language(stored: account.language)
            try mailer.send(
                .membershipAdded, to: Mailbox(name: HeaderText.clean(account.displayName), address: account.email),
                language: language,
                values: [
                    "organisationName": organisationName, "inviterName": inviter.displayName,
                    "link": mailer.absoluteURL(.my(.organisation(id: organisationID)), in: language),
                ], now: context.now)
            return .redirect(OrganisationAdminPages.path(.members(organisationID: organisationID), notice: "added"))
        }
        let token = SecureRandom.token()
        try store.createInvitation(
            tokenHash: TokenHash.sha256(token), organisationID: organisationID, email: email, invitedBy: inviter.id,
            now: context.now, expiresAt: context.now.addingTimeInterval(invitationValidity))
        // The invited address has no account, so no language of its own: the admin's page language is the
        // best guess (they invite people they work with).
        try mailer.send(
            .invitation, to: Mailbox(name: "", address: email), language: context.language,
            values: [
                "organisationName": organisationName, "inviterName": inviter.displayName,
                "link": mailer.absoluteURL(.account(.invitation(token: token)), in: context.language),
            ], now: context.now)
        return .redirect(OrganisationAdminPages.path(.members(organisationID: organisationID), notice: "invited"))
    }

    /// POST `…/mitglieder/{userId}/entfernen`.
    static func remove(organisationID: Int64, userID: Int64, role: MembershipStore.Role, _ context: RequestContext)
        throws -> Outcome
    {
        guard role == .admin else { throw HTTPError.forbidden }
        guard let profile = try context.app.organisationAdmin.profile(id: organisationID) else {
            throw HTTPError.notFound
        }
        switch try context.app.membershipStore.remove(userID: userID, organisationID: organisationID) {
        case .removed:
            // Whoever removed themselves can no longer see the organisation's pages.
            if userID == context.user?.id { return .redirect(SiteRoute.my(.overview).path) }
            return .redirect(OrganisationAdminPages.path(.members(organisationID: organisationID), notice: "removed"))
        case .notMember:
            throw HTTPError.notFound
        case .lastAdmin:
            return .page(
                try render(
                    profile, role: role, state: FormState(), context, status: .conflict,
                    problem: context.strings["my.organisation.members.last_admin"]))
        }
    }

    static func render(
        _ profile: OrganisationAdminStore.Profile, role: MembershipStore.Role, state: FormState,
        _ context: RequestContext, status: HTTPResponse.Status = .ok, problem: String? = nil
    ) throws -> RenderedPage {
        let strings = context.strings
        let store = context.app.membershipStore
        let isAdmin = role == .admin
        let members = try store.members(organisationID: profile.id)
        let adminCount = members.filter { $0.role == .admin }.count
        let view = FormView(state: state, strings: strings, prefix: prefix)
        let csrf = context.csrfToken
        var values: [String: Any] = [
            "name": profile.name,
            "overviewHref": SiteRoute.my(.overview).path,
            "tabs": OrganisationAdminPages.tabs(
                organisationID: profile.id, current: .members(organisationID: profile.id), context),
            "isAdmin": isAdmin,
            "memberCount": strings.plural("my.organisation.members.count", count: members.count),
            "members": members.map { member -> [String: Any] in
                var row: [String: Any] = [
                    "name": member.displayName,
                    "roleLabel": strings["my.organisation.role.\(member.role.rawValue)"],
                    "since": context.dates.date(member.joinedAt),
                    "isYou": member.userID == context.user?.id,
                ]
                if isAdmin {
                    row["email"] = member.email
                    if member.role != .admin || adminCount > 1 {
                        row["remove"] = [
                            "action": SiteRoute.my(.removeMember(organisationID: profile.id, userID: member.userID))
                                .path,
                            "csrf": csrf,
                            "label": strings.format(
                                "my.organisation.members.remove_label", ["name": member.displayName]),
                        ]
                    }
                }
                return row
            },
        ]
        if let problem { values["problem"] = problem }
        if let notice = OrganisationAdminPages.notice(context) { values["notice"] = notice }
        if isAdmin {
            var invite: [String: Any] = [
                "action": SiteRoute.my(.members(organisationID: profile.id)).path,
                "guard": context.formGuardValues,
                "email": view.input("email", type: "email", required: true, autocomplete: "off", hint: true),
            ]
            if let summary = view.errorSummary { invite["errorSummary"] = summary }
            values["invite"] = invite
            let invitations = try store.openInvitations(organisationID: profile.id, now: context.now)
            values["invitations"] = invitations.map { invitation in
                [
                    "email": invitation.email,
                    "expires": strings.format(
                        "my.organisation.invitations.expires", ["date": context.dates.date(invitation.expiresAt)]),
                ]
            }
            values["hasInvitations"] = !invitations.isEmpty
        }
        let title = strings.format("my.organisation.members.title", ["name": profile.name])
        return RenderedPage(template: .members, title: view.title(title), context: values, status: status)
    }
}
