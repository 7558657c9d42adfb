import Foundation
import HTTPTypes
import Storage

/// "Mein Konto": the person's name and address, and three forms — change the password, change the
/// address (re-confirmed by a link to the new address), and log out on every device.
enum AccountSettingsPages {
    static let prefix = "my.settings"

    static func respond(_ route: MyRoute, _ context: RequestContext) throws -> Outcome {
        let user = try context.requireUser()
        switch route {
        case .settings: return .page(render(user, context))
        case .changePassword: return try changePassword(user, context)
        case .changeEmail: return try changeEmail(user, context)
        case .logoutEverywhere: return try logoutEverywhere(user, context)
        default: throw HTTPError.notFound
        }
    }

    /// A credential change: every session of the account ends, this browser gets a new id.
    private static func changePassword(_ user: SessionUser, _ context: RequestContext) throws -> Outcome {
        guard let account = try context.app.users.account(id: user.id) else { throw LoginRequired() }
        let limiterKey = "login:" + account.email.lowercased()
        try context.checkRateLimit(context.app.rateLimits.loginPerAccount, key: limiterKey)
        var state = FormState()
        let current = context.form.first("current_password") ?? ""
        let new = context.form.first("new_password") ?? ""
        try checkCurrentPassword(current, field: "current_password", account: account, key: limiterKey, &state, context)
        AccountFields.checkNewPassword(
            new, repeated: context.form.first("new_password_repeat") ?? "", field: "new_password",
            repeatField: "new_password_repeat", email: account.email, name: account.displayName, &state, context)
        if state.hasErrors { return .page(render(user, context, passwordState: state, status: .unprocessableContent)) }

        try context.app.users.changePassword(
            userID: account.id, passwordHash: try context.app.passwords.hash(new), now: context.now)
        try context.app.sessions.end(context.visitor)
        context.extras.cookies.append(try context.app.sessions.start(userID: account.id, now: context.now))
        return .redirect(SiteRoute.my(.settings).path + "?hinweis=account.password_changed")
    }

    /// Mails a link to the new address; the address changes only when it is used. If the new address has
    /// an account, no mail goes out, and the answer is the same.
    private static func changeEmail(_ user: SessionUser, _ context: RequestContext) throws -> Outcome {
        guard let account = try context.app.users.account(id: user.id) else { throw LoginRequired() }
        let limiterKey = "login:" + account.email.lowercased()
        try context.checkRateLimit(context.app.rateLimits.loginPerAccount, key: limiterKey)
        var state = FormState(form: context.form, keeping: ["new_email"])
        let newEmail = AccountFields.checkEmail(&state, field: "new_email", context.strings)
        if newEmail == account.email.lowercased() {
            state.addError(context.strings["\(prefix).new_email.same"], to: "new_email")
        }
        let password = context.form.first("email_password") ?? ""
        try checkCurrentPassword(password, field: "email_password", account: account, key: limiterKey, &state, context)
        if state.hasErrors { return .page(render(user, context, emailState: state, status: .unprocessableContent)) }

        let link = AccountLinks.newToken()
        let stored = try context.app.users.requestEmailChange(
            userID: account.id, newEmail: newEmail, tokenHash: link.hash, now: context.now,
            validity: AccountLinks.emailChangeValidity)
        if stored {
            try context.app.mailer.send(
                .confirmNewEmail, to: Mailbox(name: account.displayName, address: newEmail),
                language: context.language,
                values: [
                    "name": account.displayName,
                    "link": AccountLinks.url(.confirmEmailChange(token: link.token), context),
                ],
                now: context.now)
        }
        return .redirect(SiteRoute.my(.settings).path + "?hinweis=account.email_change_sent")
    }

    private static func logoutEverywhere(_ user: SessionUser, _ context: RequestContext) throws -> Outcome {
        try context.app.sessions.store.deleteAll(userID: user.id)
        context.extras.cookies.append(Cookies.expired(SessionManager.sessionCookie))
        return .redirect(SiteRoute.home.path + "?hinweis=account.logged_out_everywhere")
    }

    /// Wrong answers count like failed logins of the account (a stolen session cannot guess on).
    private static func checkCurrentPassword(
        _ password: String, field: String, account: Account, key: String, _ state: inout FormState,
        _ context: RequestContext
    ) throws {
        if password.isEmpty {
            state.addError(context.strings["\(prefix).current_password.missing"], to: field)
            return
        }
        guard let hash = account.passwordHash, try context.app.passwords.verify(password, against: hash) else {
            context.app.rateLimits.loginPerAccount.record(key, now: context.now)
            state.addError(context.strings["\(prefix).current_password.wrong"], to: field)
            return
        }
    }

    private static func render(
        _ user: SessionUser, _ context: RequestContext, passwordState: FormState = FormState(),
        emailState: FormState = FormState(), status: HTTPResponse.Status = .ok
    ) -> RenderedPage {
        let strings = context.strings
        let passwordView = FormView(state: passwordState, strings: strings, prefix: prefix)
        let emailView = FormView(state: emailState, strings: strings, prefix: prefix)
        let heading = strings["\(prefix).heading"]
        let summary = passwordView.errorSummary ?? emailView.errorSummary
        var values: [String: Any] = [
            "heading": heading,
            "name": user.displayName,
            "email": user.email,
            "csrf": context.csrfToken,
            "passwordAction": SiteRoute.my(.changePassword).path,
            "currentPassword": passwordView.input(
                "current_password", type: "password", required: true, autocomplete: "current-password"),
            "newPassword": AccountFields.passwordInput(passwordView, name: "new_password", strings),
            "newPasswordRepeat": passwordView.input(
                "new_password_repeat", type: "password", required: true, autocomplete: "new-password"),
            "emailAction": SiteRoute.my(.changeEmail).path,
            "newEmail": emailView.input("new_email", type: "email", required: true, autocomplete: "email"),
            "emailPassword": emailView.input(
                "email_password", type: "password", required: true, autocomplete: "current-password"),
            "logoutAction": SiteRoute.my(.logoutEverywhere).path,
            "myHref": SiteRoute.my(.overview).path,
        ]
        // Only when there are errors: a nil inside `Any` would still count as present.
        values["errorSummary"] = summary
        let title = passwordState.hasErrors ? passwordView.title(heading) : emailView.title(heading)
        return RenderedPage(template: .mySettings, title: title, context: values, status: status)
    }
}
