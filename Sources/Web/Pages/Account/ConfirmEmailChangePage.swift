import Foundation
import Storage

/// The link sent to a new address: GET shows one button, POST changes the account's address and tells
/// the old address about it. It does not log anyone in: the link proves the new mailbox, not the password.
enum ConfirmEmailChangePage {
    static let prefix = "account.email_change"

    static func respond(token: String, _ context: RequestContext) throws -> Outcome {
        let hash = TokenHash.sha256(token)
        let strings = context.strings
        guard context.isPost else {
            let state = try EmailTokenStore(database: context.app.database).state(
                tokenHash: hash, purpose: .changeEmail, now: context.now)
            guard case .usable(let link) = state else {
                return .page(invalid(AccountMessagePage.LinkProblem(state) ?? .unknown, context))
            }
            return .page(
                LinkButtonPage.render(
                    heading: strings["\(prefix).heading"],
                    text: strings.format("\(prefix).text", ["email": link.email]),
                    submit: strings["\(prefix).submit"],
                    action: SiteRoute.account(.confirmEmailChange(token: token)).path, context))
        }
        let use = try context.app.users.confirmEmailChange(tokenHash: hash, now: context.now)
        switch use {
        case .done(let change):
            try context.app.mailer.send(
                .emailChangedNotice, to: Mailbox(name: change.displayName, address: change.oldEmail),
                language: context.language, values: ["name": change.displayName, "newEmail": change.newEmail],
                now: context.now)
            let target = context.user?.id == change.userID ? SiteRoute.my(.settings) : SiteRoute.account(.login)
            return .redirect(target.path + "?hinweis=account.email_changed")
        case .addressTaken:
            return .page(
                AccountMessagePage.render(
                    heading: strings["\(prefix).taken_heading"], paragraphs: [strings["\(prefix).taken_text"]],
                    status: .conflict, context))
        case .used, .expired, .unknown:
            return .page(invalid(AccountMessagePage.LinkProblem(use) ?? .unknown, context))
        }
    }

    static func invalid(_ problem: AccountMessagePage.LinkProblem, _ context: RequestContext) -> RenderedPage {
        let strings = context.strings
        return AccountMessagePage.invalidLink(
            problem,
            text: strings[problem == .used ? "account.link.email_change_used" : "account.link.email_change_invalid"],
            links: [.init(href: SiteRoute.my(.settings).path, label: strings["account.link.to_settings"])], context)
    }
}
