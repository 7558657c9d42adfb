import Foundation
import HTTPTypes
import Storage

/// `/einladung/{token}`: an invitation to join an organisation. GET shows who invites and a button (links in
/// mails never change anything by themselves); POST joins with the logged-in account and uses the link up.
/// Visitors who are not logged in are asked to log in or register first and come back here afterwards.
enum InvitationPage {
    static let prefix = "my.organisation.invitation"

    static func respond(token: String, _ context: RequestContext) throws -> Outcome {
        let store = context.app.membershipStore
        let hash = TokenHash.sha256(token)
        let invitation: MembershipStore.Invitation
        switch try store.invitation(tokenHash: hash, now: context.now) {
        case .valid(let found): invitation = found
        case .used: return .page(message("used", status: .gone, context))
        case .expired: return .page(message("expired", status: .gone, context))
        case .unknown: return .page(message("unknown", status: .notFound, context))
        }
        guard context.isPost, let user = context.user else {
            return .page(render(invitation, token: token, context))
        }
        switch try store.acceptInvitation(tokenHash: hash, userID: user.id, now: context.now) {
        case .joined(let id):
            return .redirect(OrganisationAdminPages.path(.organisation(id: id), notice: "joined"))
        case .alreadyMember(let id):
            return .redirect(OrganisationAdminPages.path(.organisation(id: id), notice: "already_member"))
        case .used: return .page(message("used", status: .gone, context))
        case .expired: return .page(message("expired", status: .gone, context))
        case .unknown: return .page(message("unknown", status: .notFound, context))
        }
    }

    private static func render(_ invitation: MembershipStore.Invitation, token: String, _ context: RequestContext)
        -> RenderedPage
    {
        let strings = context.strings
        let path = SiteRoute.account(.invitation(token: token)).path
        let text =
            invitation.inviterName.isEmpty
            ? strings.format("\(prefix).text_anonymous", ["organisation": invitation.organisationName])
            : strings.format(
                "\(prefix).text", ["organisation": invitation.organisationName, "inviter": invitation.inviterName])
        var values: [String: Any] = [
            "heading": strings["\(prefix).heading"],
            "text": text,
            "valid": true,
            "expires": strings.format("\(prefix).expires", ["date": context.dates.date(invitation.expiresAt)]),
        ]
        if let user = context.user {
            values["accept"] = [
                "action": path,
                "guard": context.formGuardValues,
                "as": strings.format("\(prefix).as", ["name": user.displayName]),
            ]
        } else {
            let back = "?weiter=" + QueryBuilder.encode(path)
            values["loginHref"] = SiteRoute.account(.login).path + back
            values["registerHref"] = SiteRoute.account(.register).path + back
        }
        return RenderedPage(template: .invitation, title: strings["\(prefix).heading"], context: values)
    }

    /// The page for a link that cannot be used (any more).
    private static func message(_ kind: String, status: HTTPResponse.Status, _ context: RequestContext) -> RenderedPage
    {
        let strings = context.strings
        let values: [String: Any] = [
            "heading": strings["\(prefix).\(kind).heading"],
            "text": strings["\(prefix).\(kind).text"],
            "homeHref": SiteRoute.home.path,
        ]
        return RenderedPage(
            template: .invitation, title: strings["\(prefix).\(kind).heading"], context: values, status: status)
    }
}
