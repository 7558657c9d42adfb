import Domain
import Foundation
import HTTPTypes

/// `/barrierefreiheit/rueckmeldung`: the feedback mechanism of the accessibility statement (BITV 2.0 § 7). A
/// person reports a barrier or asks for content in another form; the message goes by e-mail to the county's
/// configured address for accessibility feedback (else its general contact address), with `Reply-To` set to the
/// sender when they gave an address. Name, address and page are optional: nobody has to identify themselves to
/// report a barrier. Guarded by the bot check and a per-client rate limit.
///
/// With no address configured nothing can be sent: the page says so and shows the phone number instead.
enum AccessibilityFeedbackPage {
    static let prefix = "feedback.form"
    static let fields = ["message", "page", "name", "email", "consent"]
    static let maximumNameLength = 100
    static let maximumPageLength = 500
    static let maximumMessageLength = 3000

    static func respond(_ context: RequestContext) throws -> Outcome {
        guard let recipient = recipient(context.app.site) else {
            // A stale form sent after the address was removed: refused the same way, nothing stored or sent.
            return .page(renderUnavailable(context, status: context.isPost ? .serviceUnavailable : .ok))
        }
        guard context.isPost else {
            var state = FormState()
            if let user = context.user {
                state.set("name", user.displayName)
                state.set("email", user.email)
            }
            return .page(render(state, context))
        }
        let limiter = context.app.rateLimits.contactPerClient
        let clientKey = "feedback:" + context.clientAddress
        try context.checkRateLimit(limiter, key: clientKey)

        var state = FormState(form: context.form, keeping: fields)
        guard validate(&state, context) else {
            return .page(render(state, context, status: .unprocessableContent))
        }
        let name = state.value("name")
        let email = state.value("email").lowercased()
        // To the county's staff, who work in German, whatever language the sender wrote from.
        try context.app.mailer.send(
            .accessibilityFeedback, to: recipient,
            replyTo: email.isEmpty ? nil : Mailbox(name: name, address: email), language: .de,
            values: [
                "senderName": name, "senderEmail": email, "page": state.value("page"),
                "message": state.value("message"), "language": context.language.nativeName,
            ], now: context.now)
        limiter.record(clientKey, now: context.now)
        return .redirect(SiteRoute.accessibility.path + "?hinweis=feedback.sent")
    }

    /// Where feedback goes: the accessibility address, else the general contact address; nil when neither is a
    /// usable address.
    static func recipient(_ site: SiteSettings) -> Mailbox? {
        let address =
            [site.accessibility.feedbackEmail, site.contact.email]
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .first { !$0.isEmpty } ?? ""
        guard EmailAddress.isValid(address) else { return nil }
        return Mailbox(name: "", address: address)
    }

    /// The number to call instead of writing: the accessibility line, else the general one; empty when neither.
    static func phone(_ site: SiteSettings) -> String {
        [site.accessibility.feedbackPhone, site.contact.phone].map { $0.trimmingCharacters(in: .whitespaces) }
            .first { !$0.isEmpty } ?? ""
    }

    /// Fills `state` with what is wrong; true when the message may be sent.
    static func validate(_ state: inout FormState, _ context: RequestContext) -> Bool {
        let strings = context.strings
        func message(_ field: String, _ problem: String, _ values: [String: String] = [:]) {
            state.addError(strings.format("\(prefix).\(field).\(problem)", values), to: field)
        }
        _ = context.passesBotCheck(&state)
        // In the order of the fields on the page, so the error summary reads in that order too.
        let text = state.value("message")
        if text.isEmpty {
            message("message", "missing")
        } else if text.count > maximumMessageLength {
            message("message", "too_long", ["max": String(maximumMessageLength), "count": String(text.count)])
        }
        if state.value("page").count > maximumPageLength {
            message("page", "too_long", ["max": String(maximumPageLength)])
        }
        // The name may become the display name of `Reply-To`: a line break anywhere in it (as sent, before
        // trimming) is refused rather than cleaned.
        if HeaderText.hasControlCharacters(context.form.first("name") ?? "") {
            message("name", "line_break")
        } else if state.value("name").count > maximumNameLength {
            message("name", "too_long", ["max": String(maximumNameLength)])
        }
        let email = state.value("email")
        if !email.isEmpty, !EmailAddress.isValid(email) { message("email", "invalid") }
        // Consent matters only for an address we would answer to.
        if !email.isEmpty, !state.isChecked("consent") { message("consent", "missing") }
        return !state.hasErrors
    }

    static func render(_ state: FormState, _ context: RequestContext, status: HTTPResponse.Status = .ok)
        -> RenderedPage
    {
        let strings = context.strings
        let view = FormView(state: state, strings: strings, prefix: prefix)
        var values = commonValues(context)
        values["action"] = SiteRoute.accessibilityFeedback.path
        values["privacyHref"] = SiteRoute.privacy.path
        values["guard"] = context.formGuardValues
        values["name"] = view.input("name", autocomplete: "name", hint: true, maxLength: maximumNameLength)
        values["email"] = view.input("email", type: "email", autocomplete: "email", hint: true)
        values["page"] = view.input("page", hint: true, maxLength: maximumPageLength)
        values["message"] = view.textarea(
            "message", required: true, hint: true, rows: 8, maxLength: maximumMessageLength)
        values["consent"] = view.checkbox("consent", hint: true)
        if let summary = view.errorSummary { values["errorSummary"] = summary }
        return RenderedPage(
            template: .accessibilityFeedback, title: view.title(strings["feedback.title"]), context: values,
            status: status)
    }

    /// The page without a form: no address is configured, so it explains that and offers the phone instead.
    static func renderUnavailable(_ context: RequestContext, status: HTTPResponse.Status) -> RenderedPage {
        var values = commonValues(context)
        values["unavailable"] = true
        return RenderedPage(
            template: .accessibilityFeedback, title: context.strings["feedback.title"], context: values,
            status: status)
    }

    private static func commonValues(_ context: RequestContext) -> [String: Any] {
        let phone = phone(context.app.site)
        return [
            "backHref": SiteRoute.accessibility.path,
            "easyHref": SiteRoute.easyLanguage.path,
            "phone": phone,
            "phoneHref": "tel:" + phone.filter { $0.isNumber || $0 == "+" },
        ]
    }
}

extension AccessibilityFeedbackPage {
    /// The strings this page builds keys for (to be checked at start-up through `RequiredStrings` once every
    /// language has them).
    static var requiredKeys: [String] {
        var keys = ["feedback.title", "feedback.notice.sent", "feedback.statement_link"]
        keys += fields.map { "\(prefix).\($0).label" } + fields.map { "\(prefix).\($0).hint" }
        keys += ["name.too_long", "name.line_break", "email.invalid", "page.too_long", "message.missing"]
            .map { "\(prefix).\($0)" }
        keys += ["message.too_long", "consent.missing"].map { "\(prefix).\($0)" }
        return keys
    }
}
