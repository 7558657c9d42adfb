import Foundation
import HTTPTypes
import Storage

/// The reset link: GET shows the form for a new password while the link is valid; POST sets it, uses
/// the link, ends every session of the account and logs this browser in with a new one.
enum ResetPasswordPage {
    static let prefix = "account.reset"

    static func respond(token: String, _ context: RequestContext) throws -> Outcome {
        let hash = TokenHash.sha256(token)
        let linkState = try EmailTokenStore(database: context.app.database).state(
            tokenHash: hash, purpose: .resetPassword, now: context.now)
        guard case .usable(let link) = linkState, let userID = link.userID,
            let account = try context.app.users.account(id: userID)
        else {
            return .page(invalid(AccountMessagePage.LinkProblem(linkState) ?? .unknown, context))
        }
        guard context.isPost else { return .page(render(FormState(), token: token, context)) }

        var state = FormState()
        let password = context.form.first("password") ?? ""
        AccountFields.checkNewPassword(
            password, repeated: context.form.first("password_repeat") ?? "", repeatField: "password_repeat",
            email: account.email, name: account.displayName, &state, context)
        if state.hasErrors { return .page(render(state, token: token, context, status: .unprocessableContent)) }

        let use = try context.app.users.resetPassword(
            tokenHash: hash, passwordHash: try context.app.passwords.hash(password), now: context.now)
        guard case .done(let resetUserID) = use else {
            return .page(invalid(AccountMessagePage.LinkProblem(use) ?? .unknown, context))
        }
        try context.app.sessions.end(context.visitor)
        context.extras.cookies.append(try context.app.sessions.start(userID: resetUserID, now: context.now))
        context.app.rateLimits.loginPerAccount.reset("login:" + account.email.lowercased())
        return .redirect(SiteRoute.my(.overview).path + "?hinweis=account.password_reset")
    }

    static func invalid(_ problem: AccountMessagePage.LinkProblem, _ context: RequestContext) -> RenderedPage {
        AccountMessagePage.invalidLink(
            problem, text: context.strings["account.link.reset_invalid"],
            links: [
                .init(href: SiteRoute.account(.forgotPassword).path, label: context.strings["account.link.new_reset"])
            ], context)
    }

    private static func render(
        _ state: FormState, token: String, _ context: RequestContext, status: HTTPResponse.Status = .ok
    ) -> RenderedPage {
        let view = FormView(state: state, strings: context.strings, prefix: prefix)
        let heading = context.strings["\(prefix).heading"]
        var values: [String: Any] = [
            "heading": heading,
            "action": SiteRoute.account(.resetPassword(token: token)).path,
            "guard": context.formGuardValues,
            "password": AccountFields.passwordInput(view, context.strings),
            "passwordRepeat": view.input(
                "password_repeat", type: "password", required: true, autocomplete: "new-password"),
        ]
        // Only when there are errors: a nil inside `Any` would still count as present.
        values["errorSummary"] = view.errorSummary
        return RenderedPage(template: .resetPassword, title: view.title(heading), context: values, status: status)
    }
}
