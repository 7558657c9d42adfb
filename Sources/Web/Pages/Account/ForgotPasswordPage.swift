import Foundation
import HTTPTypes

/// "Passwort vergessen": mails a single-use link valid for one hour. The answer is the same whether or
/// not the address has an account; requests are limited per address and per client.
enum ForgotPasswordPage {
    static let prefix = "account.forgot"

    static func respond(_ context: RequestContext) throws -> Outcome {
        guard context.isPost else { return .page(render(FormState(), context)) }
        var state = FormState(form: context.form, keeping: ["email"])
        let limits = context.app.rateLimits
        let email = state.value("email").lowercased()
        let clientKey = "reset:" + context.clientAddress
        let accountKey = "reset:" + email
        try context.checkRateLimit(limits.resetPerClient, key: clientKey)
        try context.checkRateLimit(limits.resetPerAccount, key: accountKey)
        guard context.passesBotCheck(&state) else {
            return .page(render(state, context, status: .unprocessableContent))
        }
        _ = AccountFields.checkEmail(&state, context.strings)
        if state.hasErrors { return .page(render(state, context, status: .unprocessableContent)) }

        limits.resetPerClient.record(clientKey, now: context.now)
        limits.resetPerAccount.record(accountKey, now: context.now)
        if let account = try context.app.users.account(email: email), account.disabledAt == nil {
            // An account that was never confirmed needs its confirmation link, not a new password.
            if account.isConfirmed {
                try AccountLinks.mailPasswordReset(account, context)
            } else {
                try AccountLinks.resendConfirmation(account, context)
            }
        }
        return .page(
            AccountMessagePage.render(
                heading: context.strings["\(prefix).done_heading"],
                paragraphs: [
                    context.strings.format("\(prefix).done_text", ["email": email]),
                    context.strings["account.check_inbox.spam"],
                ],
                links: [.init(href: SiteRoute.account(.login).path, label: context.strings["account.link.to_login"])],
                context))
    }

    private static func render(_ state: FormState, _ context: RequestContext, status: HTTPResponse.Status = .ok)
        -> RenderedPage
    {
        let view = FormView(state: state, strings: context.strings, prefix: prefix)
        let heading = context.strings["\(prefix).heading"]
        var values: [String: Any] = [
            "heading": heading,
            "intro": context.strings["\(prefix).intro"],
            "action": SiteRoute.account(.forgotPassword).path,
            "guard": context.formGuardValues,
            "email": view.input("email", type: "email", required: true, autocomplete: "email"),
            "submit": context.strings["\(prefix).submit"],
            "loginHref": SiteRoute.account(.login).path,
        ]
        // Only when there are errors: a nil inside `Any` would still count as present.
        values["errorSummary"] = view.errorSummary
        return RenderedPage(template: .forgotPassword, title: view.title(heading), context: values, status: status)
    }
}
