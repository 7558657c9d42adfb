import Foundation
import HTTPTypes
import Storage

/// Registration of a resident: name or pseudonym, address, password, consent. Creates an unconfirmed
/// account and mails the confirmation link; an address that has an account is never revealed.
enum RegisterPersonPage {
    static let prefix = "account.register_person"

    static func respond(_ context: RequestContext) throws -> Outcome {
        guard context.isPost else { return .page(render(FormState(), context)) }
        let clientKey = "register:" + context.clientAddress
        try context.checkRateLimit(context.app.rateLimits.registrationPerClient, key: clientKey)

        var state = FormState(form: context.form, keeping: ["name", "email", "consent"])
        state.set("name", AccountFields.singleLine(state.value("name")))
        let password = context.form.first("password") ?? ""
        guard context.passesBotCheck(&state) else {
            return .page(render(state, context, status: .unprocessableContent))
        }
        AccountFields.checkName(&state, context.strings)
        let email = AccountFields.checkEmail(&state, context.strings)
        AccountFields.checkNewPassword(password, email: email, name: state.value("name"), &state, context)
        AccountFields.checkConsent(&state, context.strings)
        if state.hasErrors { return .page(render(state, context, status: .unprocessableContent)) }

        context.app.rateLimits.registrationPerClient.record(clientKey, now: context.now)
        let name = state.value("name")
        // Hashed even for a known address, so the answer takes as long either way.
        let passwordHash = try context.app.passwords.hash(password)
        if let existing = try context.app.users.account(email: email) {
            try AccountLinks.notifyExistingAccount(existing, context)
        } else {
            let link = AccountLinks.newToken()
            do {
                try RegistrationStore(database: context.app.database).registerPerson(
                    NewAccount(
                        email: email, displayName: name, passwordHash: passwordHash, confirmTokenHash: link.hash,
                        confirmValidity: AccountLinks.confirmValidity, language: context.language.rawValue),
                    now: context.now)
                try AccountLinks.mailConfirmation(token: link.token, name: name, email: email, context)
            } catch UserStore.CreateError.emailTaken {
                // Registered a moment ago by another request: treated like any known address.
                if let existing = try context.app.users.account(email: email) {
                    try AccountLinks.notifyExistingAccount(existing, context)
                }
            }
        }
        return .page(checkInbox(email: email, organisation: false, context))
    }

    /// The answer after registering, the same whether the address was new or known.
    static func checkInbox(email: String, organisation: Bool, _ context: RequestContext) -> RenderedPage {
        let strings = context.strings
        var paragraphs = [strings.format("account.check_inbox.text", ["email": email])]
        if organisation { paragraphs.append(strings["account.check_inbox.organisation_next"]) }
        paragraphs.append(strings["account.check_inbox.spam"])
        return AccountMessagePage.render(
            heading: strings["account.check_inbox.heading"], paragraphs: paragraphs,
            links: [
                .init(
                    href: SiteRoute.account(.resendConfirmation).path, label: strings["account.check_inbox.resend"])
            ], context)
    }

    private static func render(_ state: FormState, _ context: RequestContext, status: HTTPResponse.Status = .ok)
        -> RenderedPage
    {
        let view = FormView(state: state, strings: context.strings, prefix: prefix)
        let heading = context.strings["\(prefix).heading"]
        var values: [String: Any] = [
            "heading": heading,
            "action": SiteRoute.account(.registerPerson).path,
            "guard": context.formGuardValues,
            "name": view.input(
                "name", required: true, autocomplete: "nickname", hint: true,
                maxLength: AccountFields.maximumNameLength),
            "email": view.input("email", type: "email", required: true, autocomplete: "email", hint: true),
            "password": AccountFields.passwordInput(view, context.strings),
            "consent": view.checkbox("consent", required: true),
            "privacyHref": SiteRoute.privacy.path,
            "loginHref": SiteRoute.account(.login).path,
        ]
        // Only when there are errors: a nil inside `Any` would still count as present.
        values["errorSummary"] = view.errorSummary
        return RenderedPage(template: .registerPerson, title: view.title(heading), context: values, status: status)
    }
}
