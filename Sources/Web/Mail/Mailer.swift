import Foundation
import Storage

/// Writes the exchange's e-mails: renders a `MailTemplate`, composes the MIME message and puts it in the
/// outbox (one row per call). Sending happens later, in `MailDeliveryWorker`.
///
/// Strings come from `mail.<name>.*` and `mail.common.*` in the localization file, with `{key}` filled in
/// from the call's values and the site's placeholders (`{site}`, `{county}`, `{in_county}`, `{site_url}`,
/// `{contact_email}`). Filling is one pass, so a value that itself holds `{…}` stays as typed.
final class Mailer: Sendable {
    enum SendError: Error, Equatable, CustomStringConvertible {
        /// The caller left out a value the template needs (a bug in the caller).
        case missingValue(template: String, key: String)

        var description: String {
            switch self {
            case .missingValue(let template, let key): "Mail \(template) needs the value \(key)."
            }
        }
    }

    let store: OutboxStore
    let from: Mailbox
    let templates: MailTemplates
    let strings: Localization
    /// `site`, `county`, `in_county`, `site_url`, `contact_email`.
    let placeholders: [String: String]
    let publicBaseURL: String
    /// For each template name, and `common`: the strings under `mail.<name>.` by their last key part.
    private let sections: [String: [String: String]]

    /// - Parameters:
    ///   - from: the sender of every message; an empty name is replaced by the site's name.
    ///   - placeholders: values for `{…}` in every mail string (`site`, `county`, `in_county`, `contact_email`).
    ///   - publicBaseURL: the site's address without trailing slash; `{site_url}` and `absoluteURL` use it.
    init(
        store: OutboxStore, from: Mailbox, templates: MailTemplates, strings: Localization,
        placeholders: [String: String], publicBaseURL: String
    ) throws {
        try strings.require(MailTemplate.allCases.map(\.subjectKey))
        var placeholders = placeholders
        placeholders["site_url"] = publicBaseURL
        var from = from
        if from.name.isEmpty { from.name = placeholders["site"] ?? "" }
        try MIMEComposer.validateAddress(from.address, field: "From")
        try MIMEComposer.rejectControlCharacters(from.name, field: "From")
        var sections: [String: [String: String]] = [:]
        for key in strings.allKeys where key.hasPrefix("mail.") {
            let parts = key.split(separator: ".", maxSplits: 2)
            guard parts.count == 3 else { continue }
            sections[String(parts[1]), default: [:]][String(parts[2])] = strings[key]
        }
        self.store = store
        self.from = from
        self.templates = templates
        self.strings = strings
        self.placeholders = placeholders
        self.publicBaseURL = publicBaseURL
        self.sections = sections
    }

    /// The mailer the application uses: templates from `Templates/mail`, sender and base URL from the
    /// configuration, county names and contact address from the site settings.
    convenience init(
        configuration: AppConfiguration, database: AppDatabase, strings: Localization, site: SiteSettings
    ) throws {
        var placeholders = site.placeholders
        placeholders["site"] = strings.format("site.name", site.placeholders)
        placeholders["contact_email"] = site.contact.email.isEmpty ? configuration.mail.fromAddress : site.contact.email
        try self.init(
            store: OutboxStore(database: database),
            from: Mailbox(name: configuration.mail.fromName, address: configuration.mail.fromAddress),
            templates: try MailTemplates(templatesDirectory: configuration.templatesDirectory), strings: strings,
            placeholders: placeholders, publicBaseURL: configuration.publicBaseURL)
    }

    /// `path` (starting with `/`) as a link people can follow from their mail program.
    func absoluteURL(_ path: String) -> String {
        publicBaseURL + path
    }

    /// Renders, composes and enqueues one message; returns its outbox id.
    /// Throws `SendError` for a missing value and `MIMEComposer.CompositionError` for a header value or
    /// address that should have been rejected by the caller's validation.
    @discardableResult
    func send(
        _ template: MailTemplate, to: Mailbox, replyTo: Mailbox? = nil, values: [String: String], now: Date
    ) throws -> Int64 {
        let message = try render(template, to: to, replyTo: replyTo, values: values)
        let messageID = MIMEComposer.makeMessageID(from: from)
        let bytes = try MIMEComposer.compose(message, from: from, date: now, messageID: messageID)
        return try store.enqueue(
            recipient: to.address, subject: message.subject, purpose: message.purpose, textBody: message.textBody,
            message: bytes, messageID: messageID, now: now)
    }

    /// The message `send` would enqueue, before MIME encoding.
    func render(
        _ template: MailTemplate, to: Mailbox, replyTo: Mailbox? = nil, values: [String: String]
    ) throws -> MailMessage {
        for key in template.valueKeys where values[key] == nil {
            throw SendError.missingValue(template: template.name, key: key)
        }
        var fill = values
        fill.merge(placeholders) { _, site in site }
        let subject = Self.fill(strings[template.subjectKey], fill)
        var context: [String: Any] = [:]
        for (key, value) in values {
            context[key] = value
            context[key + "Lines"] = value.split(separator: "\n", omittingEmptySubsequences: false).map {
                String($0.hasSuffix("\r") ? $0.dropLast() : $0)
            }
        }
        context["m"] = (sections[template.name] ?? [:]).mapValues { Self.fill($0, fill) }
        context["c"] = (sections["common"] ?? [:]).mapValues { Self.fill($0, fill) }
        context["subject"] = subject
        context["siteName"] = placeholders["site"] ?? ""
        context["siteURL"] = publicBaseURL
        context["lang"] = strings.language
        let parts = templates.render(template, context: context)
        return MailMessage(
            to: to, replyTo: replyTo, subject: subject, textBody: parts.text, htmlBody: parts.html,
            purpose: template.name, autoSubmitted: template.autoSubmitted)
    }

    /// Replaces each `{key}` whose key is in `values`, in one left-to-right pass; other braces stay.
    static func fill(_ text: String, _ values: [String: String]) -> String {
        var result = ""
        var rest = text[...]
        while let open = rest.firstIndex(of: "{") {
            result += rest[..<open]
            let afterOpen = rest.index(after: open)
            if let close = rest[afterOpen...].firstIndex(of: "}"), let value = values[String(rest[afterOpen..<close])] {
                result += value
                rest = rest[rest.index(after: close)...]
            } else {
                result += "{"
                rest = rest[afterOpen...]
            }
        }
        return result + rest
    }
}
