import Domain
import Foundation
import HTTPTypes
import Storage

/// Dispatches registration and the pages reached by a link in an e-mail (login, logout and invitations
/// have their own pages).
enum RegistrationPages {
    static func respond(_ route: AccountRoute, _ context: RequestContext) throws -> Outcome {
        switch route {
        case .register: try RegisterChoicePage.respond(context)
        case .registerPerson: try RegisterPersonPage.respond(context)
        case .registerOrganisation: try RegisterOrganisationPage.respond(context)
        case .confirm(let token): try ConfirmAccountPage.respond(token: token, context)
        case .resendConfirmation: try ResendConfirmationPage.respond(context)
        case .forgotPassword: try ForgotPasswordPage.respond(context)
        case .resetPassword(let token): try ResetPasswordPage.respond(token: token, context)
        case .confirmEmailChange(let token): try ConfirmEmailChangePage.respond(token: token, context)
        case .login, .logout, .invitation: throw HTTPError.notFound
        }
    }
}

/// How long links sent by e-mail work, and how they are made and mailed.
enum AccountLinks {
    /// Account confirmation (double opt-in); unconfirmed accounts are deleted after the same time.
    static let confirmValidity: TimeInterval = 7 * 24 * 3600
    static let resetValidity: TimeInterval = 3600
    static let emailChangeValidity: TimeInterval = 24 * 3600

    /// A new link token and the hash that is stored (the token itself goes only into the e-mail).
    static func newToken() -> (token: String, hash: Data) {
        let token = SecureRandom.token()
        return (token, TokenHash.sha256(token))
    }

    /// A link for a mail to the person making this request: in the language of the page they are on, like
    /// the mail itself.
    static func url(_ route: AccountRoute, _ context: RequestContext) -> String {
        context.app.mailer.absoluteURL(.account(route), in: context.language)
    }

    static func mailConfirmation(token: String, name: String, email: String, _ context: RequestContext) throws {
        try context.app.mailer.send(
            .confirmAccount, to: Mailbox(name: name, address: email), language: context.language,
            values: ["name": name, "link": url(.confirm(token: token), context)], now: context.now)
    }

    /// Replaces the account's unused confirmation links with a new one and mails it.
    static func resendConfirmation(_ account: Account, _ context: RequestContext) throws {
        let link = newToken()
        try EmailTokenStore(database: context.app.database).replace(
            tokenHash: link.hash, purpose: .confirmAccount, userID: account.id, email: account.email,
            now: context.now, validity: confirmValidity)
        try mailConfirmation(token: link.token, name: account.displayName, email: account.email, context)
    }

    /// Replaces the account's unused reset links with a new one (valid one hour) and mails it.
    static func mailPasswordReset(_ account: Account, _ context: RequestContext) throws {
        let link = newToken()
        try EmailTokenStore(database: context.app.database).replace(
            tokenHash: link.hash, purpose: .resetPassword, userID: account.id, email: account.email,
            now: context.now, validity: resetValidity)
        try context.app.mailer.send(
            .resetPassword, to: Mailbox(name: account.displayName, address: account.email),
            language: context.language,
            values: [
                "name": account.displayName, "link": url(.resetPassword(token: link.token), context),
                "validity": context.strings["account.forgot.validity"],
            ],
            now: context.now)
    }

    /// Someone registered with an address that has an account. The page says the same as for a new
    /// address; the account's owner gets a mail instead: a new confirmation link if the account was never
    /// confirmed, else a password-reset link (they may have forgotten that they registered, or the
    /// password). Limited like reset requests per address, so a form cannot flood anyone's inbox.
    static func notifyExistingAccount(_ account: Account, _ context: RequestContext) throws {
        guard account.disabledAt == nil else { return }
        let limiter = context.app.rateLimits.resetPerAccount
        let key = "reset:" + account.email.lowercased()
        guard limiter.retryAfter(key, now: context.now) == nil else { return }
        limiter.record(key, now: context.now)
        if account.isConfirmed {
            try mailPasswordReset(account, context)
        } else {
            try resendConfirmation(account, context)
        }
    }
}

/// Checks shared by the account forms: names, addresses, passwords, consent.
enum AccountFields {
    static let maximumNameLength = 100
    static let maximumEmailLength = 254

    /// A one-line text: line breaks and tabs become spaces.
    static func singleLine(_ text: String) -> String {
        String(text.map { $0 == "\n" || $0 == "\t" ? " " : $0 })
    }

    static func checkName(_ state: inout FormState, field: String = "name", _ strings: Localization) {
        let name = state.value(field)
        if name.isEmpty {
            state.addError(strings["account.fields.name_missing"], to: field)
        } else if name.count > maximumNameLength {
            state.addError(tooLong(maximumNameLength, strings), to: field)
        }
    }

    /// The lowercased address, with an error recorded when it is missing or malformed.
    static func checkEmail(_ state: inout FormState, field: String = "email", _ strings: Localization) -> String {
        let email = state.value(field).lowercased()
        if email.isEmpty {
            state.addError(strings["account.fields.email_missing"], to: field)
        } else if email.utf8.count > maximumEmailLength || !EmailAddress.isValid(email) {
            state.addError(strings["account.fields.email_invalid"], to: field)
        }
        return email
    }

    /// A new password: present, meeting the policy, and (when `repeatField` is given) typed twice the same.
    static func checkNewPassword(
        _ password: String, repeated: String? = nil, field: String = "password", repeatField: String? = nil,
        email: String, name: String, _ state: inout FormState, _ context: RequestContext
    ) {
        if password.isEmpty {
            state.addError(context.strings["account.fields.password_missing"], to: field)
        } else if let problem = context.app.passwordPolicy.problem(with: password, email: email, name: name) {
            state.addError(problem.message(context.strings), to: field)
        } else if let repeatField, repeated != password {
            state.addError(context.strings["account.fields.password_repeat_mismatch"], to: repeatField)
        }
    }

    static func checkConsent(_ state: inout FormState, _ strings: Localization) {
        if !state.isChecked("consent") { state.addError(strings["account.fields.consent_missing"], to: "consent") }
    }

    static func tooLong(_ maximum: Int, _ strings: Localization) -> String {
        strings.format("account.fields.too_long", ["maximum": String(maximum)])
    }

    /// The password field with the policy's hint (its text has the minimum length filled in).
    static func passwordInput(
        _ view: FormView, name: String = "password", autocomplete: String = "new-password", _ strings: Localization
    ) -> [String: Any] {
        var field = view.input(name, type: "password", required: true, autocomplete: autocomplete)
        let hintID = FormView.fieldID(name) + "-hint"
        field["hint"] = strings.format(PasswordPolicy.hintKey, ["minimum": String(PasswordPolicy.minimumLength)])
        field["hintID"] = hintID
        field["describedBy"] = ([hintID] + [field["errorID"] as? String].compactMap { $0 }).joined(separator: " ")
        return field
    }
}

/// One-message pages: "please check your inbox", "this link was used", with links onward.
enum AccountMessagePage {
    struct Link {
        var href: String
        var label: String
    }

    static func render(
        heading: String, paragraphs: [String], links: [Link] = [], status: HTTPResponse.Status = .ok,
        _ context: RequestContext
    ) -> RenderedPage {
        let values: [String: Any] = [
            "heading": heading, "paragraphs": paragraphs,
            "links": links.map { ["href": $0.href, "label": $0.label] }, "hasLinks": !links.isEmpty,
        ]
        return RenderedPage(template: .accountMessage, title: heading, context: values, status: status)
    }

    /// The page for a link that cannot be used (any more), with the way to a new one.
    static func invalidLink(_ state: LinkProblem, text: String, links: [Link], _ context: RequestContext)
        -> RenderedPage
    {
        let heading: String
        let status: HTTPResponse.Status
        switch state {
        case .used: (heading, status) = (context.strings["account.link.used_heading"], .gone)
        case .expired: (heading, status) = (context.strings["account.link.expired_heading"], .gone)
        case .unknown: (heading, status) = (context.strings["account.link.unknown_heading"], .notFound)
        }
        return render(heading: heading, paragraphs: [text], links: links, status: status, context)
    }

    enum LinkProblem {
        case used, expired, unknown

        init?(_ state: EmailTokenState) {
            switch state {
            case .usable: return nil
            case .used: self = .used
            case .expired: self = .expired
            case .unknown: self = .unknown
            }
        }

        init?<Value>(_ use: LinkUse<Value>) {
            switch use {
            case .done, .addressTaken: return nil
            case .used: self = .used
            case .expired: self = .expired
            case .unknown: self = .unknown
            }
        }
    }
}

/// The page behind a link in an e-mail: GET shows one button, POST (the same path) does the change, so
/// mail scanners that follow links change nothing.
enum LinkButtonPage {
    static func render(heading: String, text: String, submit: String, action: String, _ context: RequestContext)
        -> RenderedPage
    {
        let values: [String: Any] = [
            "heading": heading, "text": text, "submit": submit, "action": action, "guard": context.formGuardValues,
        ]
        return RenderedPage(template: .confirmLink, title: heading, context: values)
    }
}

/// The strings the account pages look up from Swift (checked at start-up through `RequiredStrings`).
enum AccountStrings {
    static var keys: [String] {
        var keys = ["account.forgot.validity", "account.fields.too_long"]
        keys += [
            "name_missing", "email_missing", "email_invalid", "password_missing", "password_repeat_mismatch",
            "consent_missing",
        ].map { "account.fields.\($0)" }
        keys += ["heading", "text", "organisation_next", "spam", "resend"].map { "account.check_inbox.\($0)" }
        keys += [
            "used_heading", "expired_heading", "unknown_heading", "confirm_used", "confirm_invalid", "reset_invalid",
            "email_change_used", "email_change_invalid", "to_login", "to_settings", "new_confirm", "new_reset",
        ].map { "account.link.\($0)" }
        let choices = ["person", "organisation"].flatMap { choice in
            ["title", "text", "point1", "point2", "action"].map { "\(choice).\($0)" }
        }
        keys += (["heading"] + choices).map { "account.register.\($0)" }
        keys += ["heading", "name.label", "name.hint", "email.label", "email.hint", "password.label", "consent.label"]
            .map { "account.register_person.\($0)" }
        keys += [
            "heading", "choose", "organisation_name.label", "organisation_name.missing", "legal_form.label",
            "legal_form.missing", "municipality.label", "municipality.hint", "municipality.missing", "street.label",
            "street.missing", "postal_code.label", "postal_code.invalid", "city.label", "city.missing",
            "contact_name.label", "contact_name.hint", "contact_name.missing", "phone.label", "phone.hint",
            "phone.invalid", "homepage.label", "homepage.hint", "homepage.invalid", "description.label",
            "description.hint", "description.missing", "topics.label", "topics.hint", "topics.missing", "logo.label",
            "logo.hint", "name.label", "email.label", "email.hint", "password.label", "consent.label",
        ].map { "account.register_organisation.\($0)" }
        keys += ["heading", "text", "submit"].map { "account.confirm.\($0)" }
        keys += ["heading", "intro", "email.label", "submit", "done_heading", "done_text"].map {
            "account.resend.\($0)"
        }
        keys += ["heading", "intro", "email.label", "submit", "done_heading", "done_text"].map {
            "account.forgot.\($0)"
        }
        keys += ["heading", "password.label", "password_repeat.label"].map { "account.reset.\($0)" }
        keys += ["heading", "text", "submit", "taken_heading", "taken_text"].map { "account.email_change.\($0)" }
        keys += [
            "heading", "current_password.label", "current_password.missing", "current_password.wrong",
            "new_password.label", "new_password_repeat.label", "new_email.label", "new_email.same",
            "email_password.label",
        ].map { "my.settings.\($0)" }
        keys += [
            "confirmed", "password_reset", "password_changed", "email_change_sent", "email_changed",
            "logged_out_everywhere",
        ].map { "account.notice.\($0)" }
        return keys
    }
}
