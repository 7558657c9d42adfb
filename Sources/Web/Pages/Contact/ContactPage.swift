import Domain
import Foundation
import HTTPTypes
import Storage

/// `/{section}/{id}/kontakt`: "Ich möchte helfen" / "Ich habe Interesse" for a published listing. The message
/// goes by e-mail to the poster with `Reply-To` set to the sender, who gets a copy; the poster's address is
/// never shown. Guarded by the bot check and a per-client rate limit.
enum ContactPage {
    static let prefix = "contact.form"
    static let maximumNameLength = 100
    static let maximumMessageLength = 3000

    static func respond(_ section: ListingSection, id: Int64, _ context: RequestContext) throws -> Outcome {
        guard let target = try context.app.contactTargets.target(listingID: id, kinds: section.kinds, now: context.now),
            !target.recipients.isEmpty
        else { throw HTTPError.notFound }
        guard context.isPost else {
            var state = FormState()
            if let user = context.user {
                state.set("name", user.displayName)
                state.set("email", user.email)
            }
            return .page(render(target, section: section, state: state, context))
        }
        let limiter = context.app.rateLimits.contactPerClient
        let clientKey = "contact:" + context.clientAddress
        try context.checkRateLimit(limiter, key: clientKey)

        var state = FormState(form: context.form, keeping: ["name", "email", "message", "consent"])
        guard validate(&state, context) else {
            return .page(render(target, section: section, state: state, context, status: .unprocessableContent))
        }
        let sender = Mailbox(name: state.value("name"), address: state.value("email").lowercased())
        let message = state.value("message")
        let title = HeaderText.clean(target.title)
        let mailer = context.app.mailer
        let listing = SiteRoute.listing(section, id: id)
        // Each poster reads the message in their own account's language, not in the sender's.
        for recipient in target.recipients {
            let language = mailer.language(stored: recipient.language)
            try mailer.send(
                .contactMessage, to: Mailbox(name: HeaderText.clean(recipient.name), address: recipient.email),
                replyTo: sender, language: language,
                values: [
                    "posterName": HeaderText.clean(recipient.name), "senderName": sender.name,
                    "senderEmail": sender.address, "message": message, "listingTitle": title,
                    "listingLink": mailer.absoluteURL(listing, in: language),
                ], now: context.now)
        }
        let senderLink = mailer.absoluteURL(listing, in: context.language)
        // Only an address we know belongs to the sender gets their words back; any other gets a receipt
        // without them, so the form cannot carry someone's text to an arbitrary address.
        if context.user?.email.lowercased() == sender.address {
            try mailer.send(
                .contactCopy, to: sender, language: context.language,
                values: [
                    "senderName": sender.name, "message": message, "listingTitle": title, "listingLink": senderLink,
                ], now: context.now)
        } else {
            try mailer.send(
                .contactReceipt, to: Mailbox(name: "", address: sender.address), language: context.language,
                values: ["listingTitle": title, "listingLink": senderLink], now: context.now)
        }
        limiter.record(clientKey, now: context.now)
        return .redirect(SiteRoute.listing(section, id: id).path + "?hinweis=contact.sent")
    }

    /// Fills `state` with what is wrong; true when the message may be sent.
    static func validate(_ state: inout FormState, _ context: RequestContext) -> Bool {
        let strings = context.strings
        func message(_ field: String, _ problem: String, _ values: [String: String] = [:]) {
            state.addError(strings.format("\(prefix).\(field).\(problem)", values), to: field)
        }
        _ = context.passesBotCheck(&state)
        // Checked on the name as sent (not trimmed): a line break anywhere in it is refused, so it can never
        // reach a mail header.
        let rawName = context.form.first("name") ?? ""
        let name = state.value("name")
        if name.isEmpty {
            message("name", "missing")
        } else if HeaderText.hasControlCharacters(rawName) {
            message("name", "line_break")
        } else if name.count > maximumNameLength {
            message("name", "too_long", ["max": String(maximumNameLength)])
        }
        let email = state.value("email")
        if email.isEmpty {
            message("email", "missing")
        } else if !EmailAddress.isValid(email) {
            message("email", "invalid")
        }
        let text = state.value("message")
        if text.isEmpty {
            message("message", "missing")
        } else if text.count > maximumMessageLength {
            message("message", "too_long", ["max": String(maximumMessageLength), "count": String(text.count)])
        }
        if !state.isChecked("consent") { message("consent", "missing") }
        return !state.hasErrors
    }

    static func render(
        _ target: ContactStore.Target, section: ListingSection, state: FormState, _ context: RequestContext,
        status: HTTPResponse.Status = .ok
    ) -> RenderedPage {
        let strings = context.strings
        let view = FormView(state: state, strings: strings, prefix: prefix)
        let heading = strings["contact.heading.\(target.kind.rawValue)"]
        var values: [String: Any] = [
            "heading": heading,
            "listingTitle": target.title,
            "intro": strings.format("contact.intro", ["poster": target.posterName]),
            "backHref": SiteRoute.listing(section, id: target.listingID).path,
            "privacyHref": SiteRoute.privacy.path,
            "action": SiteRoute.contact(section, id: target.listingID).path,
            "guard": context.formGuardValues,
            "name": view.input("name", required: true, autocomplete: "name", maxLength: maximumNameLength),
            "email": view.input("email", type: "email", required: true, autocomplete: "email", hint: true),
            "message": view.textarea("message", required: true, hint: true, rows: 8, maxLength: maximumMessageLength),
            "consent": view.checkbox("consent", required: true),
        ]
        if let summary = view.errorSummary { values["errorSummary"] = summary }
        return RenderedPage(
            template: .contact,
            title: view.title(strings.format("contact.title", ["heading": heading, "title": target.title])),
            context: values, status: status,
            navigation: ListingsPage.navigation(section))
    }
}

extension ContactPage {
    /// The strings this page builds keys for (checked at start-up through `RequiredStrings`).
    static var requiredKeys: [String] {
        var keys = ListingKind.allCases.map { "contact.heading.\($0.rawValue)" } + ["contact.title", "contact.intro"]
        keys += ["name", "email", "message", "consent"].map { "\(prefix).\($0).label" }
        keys += ["email", "message"].map { "\(prefix).\($0).hint" }
        keys += ["name", "email", "message", "consent"].map { "\(prefix).\($0).missing" }
        keys += ["name.too_long", "name.line_break", "email.invalid", "message.too_long"].map { "\(prefix).\($0)" }
        return keys
    }
}
