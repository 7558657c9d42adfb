import Foundation
import Storage

/// Reads the mail the application put in the outbox, for tests of pages that send mail.
///
/// `textBody` is the plain-text part as rendered (no MIME decoding needed); `links` finds the URLs in it,
/// e.g. the confirmation link whose token a test then follows.
public enum OutboxReader {
    /// Every message, oldest first.
    public static func all(in database: AppDatabase) throws -> [OutboxMessage] {
        try OutboxStore(database: database).all()
    }

    /// The messages to `recipient`, oldest first, optionally only those for `purpose` (`confirm_account` …).
    public static func messages(to recipient: String, purpose: String? = nil, in database: AppDatabase) throws
        -> [OutboxMessage]
    {
        try all(in: database).filter { $0.recipient == recipient && (purpose == nil || $0.purpose == purpose) }
    }

    /// The newest message to `recipient` (for `purpose`), or nil.
    public static func latest(to recipient: String, purpose: String? = nil, in database: AppDatabase) throws
        -> OutboxMessage?
    {
        try messages(to: recipient, purpose: purpose, in: database).last
    }

    /// The http(s) URLs in the message's text part, in order.
    public static func links(in message: OutboxMessage) -> [String] {
        message.textBody.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" }).compactMap { word in
            guard word.hasPrefix("http://") || word.hasPrefix("https://") else { return nil }
            return String(word.trimmingCharacters(in: CharacterSet(charactersIn: ".,;:)»“\"")))
        }
    }

    /// A header's value as written in the message (unfolded, still encoded if it was): `Reply-To`, `To` …
    public static func header(_ name: String, in message: OutboxMessage) -> String? {
        let text = String(decoding: message.message, as: UTF8.self)
        guard let end = text.range(of: "\r\n\r\n") else { return nil }
        let head = text[..<end.lowerBound].replacingOccurrences(of: "\r\n ", with: " ")
        for line in head.components(separatedBy: "\r\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            if line[..<colon].lowercased() == name.lowercased() {
                return line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            }
        }
        return nil
    }
}
