import Foundation
import Storage

/// Writes the exchange's e-mails: renders a `MailTemplate`, composes the MIME message and puts it in the
/// outbox (one row per call). Sending happens later, in `MailDeliveryWorker`.
///
/// Strings come from `mail.<name>.*` and `mail.common.*` in the localization file of the mail's language,
/// with `{key}` filled in from the call's values and the site's placeholders (`{site}`, the site's name in
/// that language; `{county}`, `{in_county}`, `{site_url}`, `{contact_email}`). Filling is one pass, so a
/// value that itself holds `{…}` stays as typed. Which language a mail is written in is the caller's choice
/// (docs/LANGUAGES.md, "E-mails"); a language without strings gets German.
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

    /// What one language's mails are made of, prepared once at start-up.
    struct LanguageStrings: Sendable {
        let strings: Localization
        /// The shared placeholders with `site` (the site's name) in this language.
        let placeholders: [String: String]
        /// For each template name, and `common`: the strings under `mail.<name>.` by their last key part.
        let sections: [String: [String: String]]
        /// The footer's link to the site: its start page in this language (for German the bare address, as
        /// before languages existed).
        let siteURL: String
    }

    let store: OutboxStore
    let from: Mailbox
    let templates: MailTemplates
    let publicBaseURL: String
    /// Every offered language; German always.
    private let languages: [Language: LanguageStrings]

    /// - Parameters:
    ///   - from: the sender of every message; an empty name is replaced by the site's German name.
    ///   - strings: the strings of every offered language; German must be among them.
    ///   - placeholders: values for `{…}` in every mail string (`county`, `in_county`, `contact_email`);
    ///     `site` is made per language from `site.name`.
    ///   - publicBaseURL: the site's address without trailing slash; `{site_url}` and `absoluteURL` start with it.
    init(
        store: OutboxStore, from: Mailbox, templates: MailTemplates, strings: [Language: Localization],
        placeholders: [String: String], publicBaseURL: String
    ) throws {
        guard let german = strings[.de] else { preconditionFailure("The mailer needs the German strings.") }
        var placeholders = placeholders
        placeholders["site_url"] = publicBaseURL
        let germanSections = Self.sections(german)
        var languages: [Language: LanguageStrings] = [:]
        for (language, localization) in strings {
            try localization.require(MailTemplate.allCases.map(\.subjectKey))
            var filled = placeholders
            filled["site"] = localization.format("site.name", placeholders)
            // German under every language: a key a translation lacks shows German instead of nothing.
            let sections = germanSections.merging(Self.sections(localization)) { germanPart, ownPart in
                germanPart.merging(ownPart) { _, own in own }
            }
            languages[language] = LanguageStrings(
                strings: localization, placeholders: filled, sections: sections,
                siteURL: language == .de ? publicBaseURL : publicBaseURL + SiteRoute.home.path(in: language))
        }
        var from = from
        if from.name.isEmpty { from.name = languages[.de]?.placeholders["site"] ?? "" }
        try MIMEComposer.validateAddress(from.address, field: "From")
        try MIMEComposer.rejectControlCharacters(from.name, field: "From")
        self.store = store
        self.from = from
        self.templates = templates
        self.publicBaseURL = publicBaseURL
        self.languages = languages
    }

    /// The mailer the application uses: templates from `Templates/mail`, sender and base URL from the
    /// configuration, county names and contact address from the site settings.
    convenience init(
        configuration: AppConfiguration, database: AppDatabase, strings: [Language: Localization], site: SiteSettings
    ) throws {
        var placeholders = site.placeholders
        placeholders["contact_email"] = site.contact.email.isEmpty ? configuration.mail.fromAddress : site.contact.email
        try self.init(
            store: OutboxStore(database: database),
            from: Mailbox(name: configuration.mail.fromName, address: configuration.mail.fromAddress),
            templates: try MailTemplates(templatesDirectory: configuration.templatesDirectory), strings: strings,
            placeholders: placeholders, publicBaseURL: configuration.publicBaseURL)
    }

    /// The strings under `mail.<name>.<part>`, by name and part.
    private static func sections(_ strings: Localization) -> [String: [String: String]] {
        var sections: [String: [String: String]] = [:]
        for key in strings.allKeys where key.hasPrefix("mail.") {
            let parts = key.split(separator: ".", maxSplits: 2)
            guard parts.count == 3 else { continue }
            sections[String(parts[1]), default: [:]][String(parts[2])] = strings[key]
        }
        return sections
    }

    /// A link to `route` that people can follow from their mail program, in the language of the mail it goes
    /// into, whatever the language of the request that sends it (the person who causes a mail is often not
    /// the one who reads it).
    func absoluteURL(_ route: SiteRoute, in language: Language) -> String {
        publicBaseURL + route.path(in: language)
    }

    /// The language to write to someone in whose account stored `code` (`Account.language`): German when
    /// there is no account, or the code is not a language this site offers, so text and links agree.
    func language(stored code: String?) -> Language {
        guard let code, let language = Language(rawValue: code), languages[language] != nil else { return .de }
        return language
    }

    /// Renders, composes and enqueues one message in `language`; returns its outbox id.
    /// Throws `SendError` for a missing value and `MIMEComposer.CompositionError` for a header value or
    /// address that should have been rejected by the caller's validation.
    @discardableResult
    func send(
        _ template: MailTemplate, to: Mailbox, replyTo: Mailbox? = nil, language: Language = .de,
        values: [String: String], now: Date
    ) throws -> Int64 {
        let message = try render(template, to: to, replyTo: replyTo, language: language, values: values)
        let messageID = MIMEComposer.makeMessageID(from: from)
        let bytes = try MIMEComposer.compose(message, from: from, date: now, messageID: messageID)
        return try store.enqueue(
            recipient: to.address, subject: message.subject, purpose: message.purpose, textBody: message.textBody,
            message: bytes, messageID: messageID, now: now)
    }

    /// The message `send` would enqueue, before MIME encoding. A language without strings gets German.
    func render(
        _ template: MailTemplate, to: Mailbox, replyTo: Mailbox? = nil, language: Language = .de,
        values: [String: String]
    ) throws -> MailMessage {
        let (subject, context) = try templateContext(template, language: language, values: values)
        let parts = templates.render(template, context: context)
        return MailMessage(
            to: to, replyTo: replyTo, subject: subject, textBody: parts.text, htmlBody: parts.html,
            purpose: template.name, autoSubmitted: template.autoSubmitted)
    }

    /// The subject and the templates' values for `template` in `language` (German when it has no strings):
    /// each value, its lines (`<key>Lines`), the mail's strings (`m`), the common ones (`c`) and the page
    /// direction.
    func templateContext(
        _ template: MailTemplate, language: Language, values: [String: String]
    ) throws -> (subject: String, context: [String: Any]) {
        for key in template.valueKeys where values[key] == nil {
            throw SendError.missingValue(template: template.name, key: key)
        }
        let (language, own) = strings(for: language)
        var fill = values
        fill.merge(own.placeholders) { _, site in site }
        let subject = Self.fill(own.strings[template.subjectKey], fill)
        var context: [String: Any] = [:]
        for (key, value) in values {
            context[key] = value
            context[key + "Lines"] = value.split(separator: "\n", omittingEmptySubsequences: false).map {
                String($0.hasSuffix("\r") ? $0.dropLast() : $0)
            }
        }
        context["m"] = (own.sections[template.name] ?? [:]).mapValues { Self.fill($0, fill) }
        context["c"] = (own.sections["common"] ?? [:]).mapValues { Self.fill($0, fill) }
        context["subject"] = subject
        context["siteName"] = own.placeholders["site"] ?? ""
        context["siteURL"] = own.siteURL
        context["lang"] = language.rawValue
        // The HTML part mirrors for Arabic; mail programs know few logical CSS properties, so the side a
        // quote's bar is on is named physically.
        context["dir"] = language.isRightToLeft ? "rtl" : "ltr"
        context["start"] = language.isRightToLeft ? "right" : "left"
        return (subject, context)
    }

    /// `language` and its strings, or German and its strings when `language` is not offered.
    private func strings(for language: Language) -> (Language, LanguageStrings) {
        if let own = languages[language] { return (language, own) }
        // German is there: `init` refuses to make a mailer without it.
        return (.de, languages[.de]!)
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
