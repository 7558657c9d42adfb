import Foundation
import Storage

/// The confirmation link of a new account: GET shows one button, POST confirms the address, uses the
/// link and logs the person in with a new session.
enum ConfirmAccountPage {
    static let prefix = "account.confirm"

    static func respond(token: String, _ context: RequestContext) throws -> Outcome {
        let hash = TokenHash.sha256(token)
        guard context.isPost else {
            let state = try EmailTokenStore(database: context.app.database).state(
                tokenHash: hash, purpose: .confirmAccount, now: context.now)
            if let problem = AccountMessagePage.LinkProblem(state) { return .page(invalid(problem, context)) }
            return .page(
                LinkButtonPage.render(
                    heading: context.strings["\(prefix).heading"], text: context.strings["\(prefix).text"],
                    submit: context.strings["\(prefix).submit"], action: SiteRoute.account(.confirm(token: token)).path,
                    context))
        }
        let use = try context.app.users.confirmAccount(tokenHash: hash, now: context.now)
        guard case .done(let userID) = use else {
            return .page(invalid(AccountMessagePage.LinkProblem(use) ?? .unknown, context))
        }
        // Whatever session the browser had ends; the confirmed person gets a new one.
        try context.app.sessions.end(context.visitor)
        context.extras.cookies.append(try context.app.sessions.start(userID: userID, now: context.now))
        return .redirect(SiteRoute.my(.overview).path + "?hinweis=account.confirmed")
    }

    static func invalid(_ problem: AccountMessagePage.LinkProblem, _ context: RequestContext) -> RenderedPage {
        let strings = context.strings
        if problem == .used {
            return AccountMessagePage.invalidLink(
                .used, text: strings["account.link.confirm_used"],
                links: [.init(href: SiteRoute.account(.login).path, label: strings["account.link.to_login"])], context)
        }
        return AccountMessagePage.invalidLink(
            problem, text: strings["account.link.confirm_invalid"],
            links: [
                .init(href: SiteRoute.account(.resendConfirmation).path, label: strings["account.link.new_confirm"])
            ], context)
    }
}
