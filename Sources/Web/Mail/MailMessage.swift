import Foundation

/// A person or system address as it appears in `From`, `To` and `Reply-To`.
///
/// `name` may be empty (the header then holds the bare address) and may hold any text without control
/// characters; `address` is an ASCII address with exactly one `@` (see `MIMEComposer.validateAddress`).
struct Mailbox: Sendable, Equatable {
    var name: String
    var address: String

    init(name: String, address: String) {
        self.name = name
        self.address = address
    }
}

/// One e-mail before it is encoded: who gets it, what it says in plain text and in HTML, and why it was sent.
struct MailMessage: Sendable {
    var to: Mailbox
    /// Where replies go: the person who wrote a contact message, so the poster answers them directly.
    var replyTo: Mailbox?
    var subject: String
    var textBody: String
    /// Empty for a plain-text-only message.
    var htmlBody: String
    /// What the mail is for (the `MailTemplate` name, e.g. `confirm_account`); stored in the outbox.
    var purpose: String
    /// Adds `Auto-Submitted: auto-generated` (RFC 3834), so out-of-office replies stay away. False only for a
    /// message that carries a person's own words to another person (the contact form's forward).
    var autoSubmitted: Bool

    init(
        to: Mailbox, replyTo: Mailbox? = nil, subject: String, textBody: String, htmlBody: String, purpose: String,
        autoSubmitted: Bool = true
    ) {
        self.to = to
        self.replyTo = replyTo
        self.subject = subject
        self.textBody = textBody
        self.htmlBody = htmlBody
        self.purpose = purpose
        self.autoSubmitted = autoSubmitted
    }
}
