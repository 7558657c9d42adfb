import Foundation

/// Every e-mail the exchange sends, with the values its caller must give.
///
/// Each has `Templates/mail/<name>.txt.mustache` and `<name>.html.mustache`, and its strings in every
/// `Localization/<language>.json` under `mail.<name>` (`subject`, and the paragraphs the templates show as
/// `{{m.…}}`). Values are plain text as a person typed it: the HTML part escapes them, the text part
/// shows them verbatim. Links are absolute URLs in the mail's language (see `Mailer.absoluteURL`).
enum MailTemplate: String, CaseIterable, Sendable {
    case confirmAccount = "confirm_account"
    case resetPassword = "reset_password"
    case confirmNewEmail = "confirm_new_email"
    /// To the old address after an address change.
    case emailChangedNotice = "email_changed_notice"
    case organisationApproved = "organisation_approved"
    case organisationRejected = "organisation_rejected"
    case invitation
    /// To an existing account that an organisation's admin added as a member.
    case membershipAdded = "membership_added"
    /// A contact-form message to the poster of a listing; `Reply-To` is the sender.
    case contactMessage = "contact_message"
    /// The sender's copy of their contact-form message, for a sender logged in with that address.
    case contactCopy = "contact_copy"
    /// The receipt for a sender whose address is not verified: it repeats neither their name nor their
    /// text, so the form cannot be used to mail someone else's words to any address.
    case contactReceipt = "contact_receipt"
    case listingRejected = "listing_rejected"
    case listingPublished = "listing_published"
    /// A report from the accessibility statement's feedback form to the county; `Reply-To` is the sender when
    /// they gave an address (name, address and page may be empty).
    case accessibilityFeedback = "accessibility_feedback"

    var name: String { rawValue }

    /// The keys `Mailer.send` requires in `values`.
    var valueKeys: [String] {
        switch self {
        case .confirmAccount, .confirmNewEmail: ["name", "link"]
        case .resetPassword: ["name", "link", "validity"]
        case .emailChangedNotice: ["name", "newEmail"]
        case .organisationApproved: ["name", "organisationName", "link"]
        case .organisationRejected: ["name", "organisationName", "reason"]
        case .invitation, .membershipAdded: ["organisationName", "inviterName", "link"]
        case .contactMessage: ["posterName", "senderName", "senderEmail", "message", "listingTitle", "listingLink"]
        case .contactCopy: ["senderName", "message", "listingTitle", "listingLink"]
        case .contactReceipt: ["listingTitle", "listingLink"]
        case .listingRejected: ["name", "listingTitle", "reason"]
        case .listingPublished: ["name", "listingTitle", "link"]
        case .accessibilityFeedback: ["senderName", "senderEmail", "page", "message", "language"]
        }
    }

    /// False only for the forward of a person's own message, which the poster is meant to answer.
    var autoSubmitted: Bool { self != .contactMessage }

    var subjectKey: String { "mail.\(name).subject" }
    var textTemplate: String { "mail/\(name).txt" }
    var htmlTemplate: String { "mail/\(name).html" }
}

/// The mail templates of `Templates/mail/`, parsed once at start-up and rendered by the pages' engine
/// (`TemplateLibrary`).
///
/// `{{x}}` escapes for HTML unless a template switches its content type, so every text template
/// (`*.txt.mustache`) must begin with `{{% CONTENT_TYPE: TEXT }}`; loading fails otherwise. The switch does
/// not carry into partials (a partial starts again with HTML escaping), so a text partial needs the line
/// as well. Values count as swift-mustache counts them (`raw`): an empty string is a string, so
/// `{{#empty(page)}}` can say that a field was left empty.
struct MailTemplates: Sendable {
    static let textPragma = "{{% CONTENT_TYPE: TEXT }}"

    enum LoadError: Error, CustomStringConvertible {
        case unreadableDirectory(String)
        case parse(file: String, message: String)
        case missing(String)
        case textWithoutPragma(String)

        var description: String {
            switch self {
            case .unreadableDirectory(let path): "Mail template folder \(path) could not be read."
            case .parse(let file, let message): "Mail template \(file) could not be parsed: \(message)"
            case .missing(let name): "Mail template \(name) is missing."
            case .textWithoutPragma(let name):
                "Mail template \(name) must begin with \(MailTemplates.textPragma) (plain text must not be HTML-escaped)."
            }
        }
    }

    private let library: TemplateLibrary

    /// Loads `<templatesDirectory>/mail/*.mustache`, named like page templates (`mail/confirm_account.txt`).
    init(templatesDirectory: String) throws {
        let directory = templatesDirectory + "/mail"
        guard let files = try? FileManager.default.contentsOfDirectory(atPath: directory) else {
            throw LoadError.unreadableDirectory(directory)
        }
        var texts: [String: String] = [:]
        for file in files.sorted() where file.hasSuffix(".mustache") {
            let name = "mail/" + String(file.dropLast(".mustache".count))
            let text = try String(contentsOfFile: directory + "/" + file, encoding: .utf8)
            if name.hasSuffix(".txt"), !text.hasPrefix(Self.textPragma) {
                throw LoadError.textWithoutPragma(name)
            }
            texts[name] = text
        }
        do {
            library = try TemplateLibrary(templates: texts)
        } catch Views.LoadError.parse(let name, let message) {
            throw LoadError.parse(file: name, message: message)
        }
        for template in MailTemplate.allCases {
            for name in [template.textTemplate, template.htmlTemplate] where !library.contains(name) {
                throw LoadError.missing(name)
            }
        }
    }

    /// The text and HTML parts of `template` for `context`.
    func render(_ template: MailTemplate, context: [String: Any]) -> (text: String, html: String) {
        let text = library.render(template.textTemplate, context, capacity: 4096, raw: true) ?? []
        let html = library.render(template.htmlTemplate, context, capacity: 8192, raw: true) ?? []
        return (Self.tidyText(String(decoding: text, as: UTF8.self)), String(decoding: html, as: UTF8.self))
    }

    /// Trailing spaces off each line, at most one blank line in a row, exactly one line break at the end:
    /// sections that rendered nothing leave no gaps.
    static func tidyText(_ text: String) -> String {
        var lines: [Substring] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var trimmed = line
            while let last = trimmed.last, last == " " || last == "\t" || last == "\r" { trimmed = trimmed.dropLast() }
            if trimmed.isEmpty, lines.last?.isEmpty ?? true { continue }
            lines.append(trimmed)
        }
        while lines.last?.isEmpty == true { lines.removeLast() }
        return lines.joined(separator: "\n") + "\n"
    }
}
