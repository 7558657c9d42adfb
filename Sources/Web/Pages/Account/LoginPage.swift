import Foundation
import HTTPTypes

/// Login with e-mail and password. Failures are counted per account and per client address (429 with
/// back-off past the allowance); every login gets a new session id.
enum LoginPage {
    static let prefix = "account.login"

    static func respond(_ context: RequestContext) throws -> Outcome {
        guard context.isPost else {
            if context.user != nil { return .redirect(SiteRoute.my(.overview).path) }
            var state = FormState()
            state.set("weiter", context.query.first("weiter") ?? "")
            return .page(render(state, context))
        }
        return try submit(context)
    }

    private static func submit(_ context: RequestContext) throws -> Outcome {
        var state = FormState(form: context.form, keeping: ["email", "weiter"])
        let email = state.value("email").lowercased()
        let password = context.form.first("password") ?? ""
        let limits = context.app.rateLimits
        let clientKey = "login:" + context.clientAddress
        let accountKey = "login:" + email
        try context.checkRateLimit(limits.loginPerClient, key: clientKey)
        try context.checkRateLimit(limits.loginPerAccount, key: accountKey)

        if email.isEmpty { state.addError(context.strings["\(prefix).email.missing"], to: "email") }
        if password.isEmpty { state.addError(context.strings["\(prefix).password.missing"], to: "password") }
        if state.hasErrors { return .page(render(state, context, status: .unprocessableContent)) }

        let account = try context.app.users.account(email: email)
        let passwordMatches: Bool
        if let hash = account?.passwordHash, account?.disabledAt == nil {
            passwordMatches = try context.app.passwords.verify(password, against: hash)
        } else {
            // As slow as a real check, so response times do not tell which addresses have accounts.
            try context.app.passwords.verifyAgainstNothing(password)
            passwordMatches = false
        }
        guard let account, passwordMatches else {
            limits.loginPerClient.record(clientKey, now: context.now)
            limits.loginPerAccount.record(accountKey, now: context.now)
            state.addError(context.strings["\(prefix).failed"], to: "email")
            return .page(render(state, context, status: .unprocessableContent))
        }
        guard account.isConfirmed else {
            state.addError(context.strings["\(prefix).unconfirmed"], to: "email")
            return .page(render(state, context, status: .unprocessableContent, offerResend: true))
        }
        limits.loginPerAccount.reset(accountKey)
        // People read mail in the language they use the site in: mail that others cause them to get (a
        // contact message, a staff decision) follows the language of the page they last logged in on.
        if account.language != context.language.rawValue {
            try context.app.users.setLanguage(context.language.rawValue, userID: account.id)
        }
        if let hash = account.passwordHash, context.app.passwords.needsRehash(hash) {
            try context.app.users.setPasswordHash(
                try context.app.passwords.hash(password), userID: account.id, now: context.now)
        }
        // A session the browser brought along (possibly planted) never survives a login.
        try context.app.sessions.end(context.visitor)
        context.extras.cookies.append(try context.app.sessions.start(userID: account.id, now: context.now))
        return .redirect(
            returnPath(state.value("weiter")) ?? SiteRoute.my(.overview).path + "?hinweis=account.logged_in")
    }

    /// Where to go after login: only a path of this site that is a page (never `//host`, never a URL).
    static func returnPath(_ text: String) -> String? {
        guard text.hasPrefix("/"), !text.hasPrefix("//"), text.utf8.count <= 2000,
            !text.contains("\\"), text.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F })
        else { return nil }
        let path = text.split(separator: "?", maxSplits: 1).first.map(Substring.init) ?? ""
        guard let route = SiteRoute.parse(Language.split(path).1), route.acceptsGet, route != .account(.login) else {
            return nil
        }
        return text
    }

    private static func render(
        _ state: FormState, _ context: RequestContext, status: HTTPResponse.Status = .ok, offerResend: Bool = false
    ) -> RenderedPage {
        let view = FormView(state: state, strings: context.strings, prefix: prefix)
        var values: [String: Any] = [
            "heading": context.strings["\(prefix).heading"],
            "action": SiteRoute.account(.login).path,
            "guard": context.formGuardValues,
            "email": view.input("email", type: "email", required: true, autocomplete: "email"),
            "password": view.input("password", type: "password", required: true, autocomplete: "current-password"),
            "returnTo": state.value("weiter"),
            "forgotHref": SiteRoute.account(.forgotPassword).path,
            "registerHref": SiteRoute.account(.register).path,
            "resendHref": offerResend ? SiteRoute.account(.resendConfirmation).path : "",
        ]
        values["errorSummary"] = view.errorSummary
        return RenderedPage(
            template: .login, title: view.title(context.strings["\(prefix).heading"]), context: values, status: status)
    }
}

/// Logout: deletes the session server-side and tells the browser to forget the cookie.
enum LogoutAction {
    static func respond(_ context: RequestContext) throws -> Outcome {
        try context.app.sessions.end(context.visitor)
        context.extras.cookies.append(Cookies.expired(SessionManager.sessionCookie))
        return .redirect(SiteRoute.home.path + "?hinweis=account.logged_out")
    }
}
