import Foundation
import GRDB

/// One row of the mail outbox: a complete message and where its delivery stands.
public struct OutboxMessage: Sendable, Equatable {
    /// Where a message stands: waiting (for its first or next attempt), sent, or given up.
    public enum State: String, Sendable {
        case pending, sent, failed
    }

    public var id: Int64
    public var recipient: String
    public var subject: String
    /// What the message is for (the mail template's name, e.g. `confirm_account`).
    public var purpose: String
    /// The plain-text part, for staff and tests to read without decoding MIME.
    public var textBody: String
    /// The complete RFC 5322 message as handed to the transport.
    public var message: [UInt8]
    /// The Message-ID without angle brackets.
    public var messageID: String
    public var createdAt: Date
    /// Delivery attempts made so far (successful or not).
    public var attempts: Int
    /// When the worker may try next (also moved ahead while a worker holds the message).
    public var nextAttemptAt: Date
    public var sentAt: Date?
    public var failedAt: Date?
    /// The last delivery error, shortened; never the message's content.
    public var lastError: String?

    public var state: State {
        if sentAt != nil { return .sent }
        if failedAt != nil { return .failed }
        return .pending
    }

    init(row: Row) {
        id = row["id"]
        recipient = row["recipient"]
        subject = row["subject"]
        purpose = row["purpose"]
        textBody = row["text_body"]
        let data: Data = row["message"]
        message = [UInt8](data)
        messageID = row["message_id"]
        createdAt = Date(timeIntervalSince1970: TimeInterval(row["created_at"] as Int64))
        attempts = row["attempts"]
        nextAttemptAt = Date(timeIntervalSince1970: TimeInterval(row["next_attempt_at"] as Int64))
        sentAt = (row["sent_at"] as Int64?).map { Date(timeIntervalSince1970: TimeInterval($0)) }
        failedAt = (row["failed_at"] as Int64?).map { Date(timeIntervalSince1970: TimeInterval($0)) }
        lastError = row["last_error"]
    }
}

/// The mail outbox: every e-mail is stored here first and sent later by a delivery worker.
///
/// A message is pending while neither `sent_at` nor `failed_at` is set; it is due once `next_attempt_at`
/// has passed. Workers take a message with `claimDue`, which moves `next_attempt_at` ahead as a lease in
/// the same immediate transaction, so two workers (threads or processes) never hold the same message.
public struct OutboxStore: Sendable {
    /// The longest `last_error` kept, in characters.
    public static let maximumErrorLength = 300

    let database: AppDatabase

    public init(database: AppDatabase) {
        self.database = database
    }

    /// Stores a new pending message, due at once; returns its id.
    @discardableResult
    public func enqueue(
        recipient: String, subject: String, purpose: String, textBody: String, message: [UInt8], messageID: String,
        now: Date
    ) throws -> Int64 {
        let seconds = Self.seconds(now)
        return try database.write { db in
            try db.execute(
                sql: """
                    INSERT INTO outbox (recipient, subject, purpose, text_body, message, message_id, created_at,
                        next_attempt_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [recipient, subject, purpose, textBody, Data(message), messageID, seconds, seconds])
            return db.lastInsertedRowID
        }
    }

    /// Pending messages whose next attempt is due, oldest due first (read only: nothing is claimed).
    public func due(now: Date, limit: Int) throws -> [OutboxMessage] {
        try database.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL AND next_attempt_at <= ?
                    ORDER BY next_attempt_at, id LIMIT ?
                    """,
                arguments: [Self.seconds(now), limit]
            ).map(OutboxMessage.init(row:))
        }
    }

    /// Takes up to `limit` due messages for delivery: in one immediate transaction, reads them and moves
    /// their `next_attempt_at` to `now + lease`, so no other worker takes them until the lease runs out
    /// (a worker that dies mid-delivery thus only delays a message). Returns them as they were read.
    public func claimDue(now: Date, limit: Int, lease: TimeInterval) throws -> [OutboxMessage] {
        let seconds = Self.seconds(now)
        let until = Self.seconds(now.addingTimeInterval(lease))
        return try database.write { db in
            let messages = try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL AND next_attempt_at <= ?
                    ORDER BY next_attempt_at, id LIMIT ?
                    """,
                arguments: [seconds, limit]
            ).map(OutboxMessage.init(row:))
            for message in messages {
                try db.execute(
                    sql: "UPDATE outbox SET next_attempt_at = ? WHERE id = ?", arguments: [until, message.id])
            }
            return messages
        }
    }

    /// Records a successful delivery (counts as an attempt). A message already sent or given up is left alone.
    public func markSent(id: Int64, now: Date) throws {
        try database.write { db in
            try db.execute(
                sql: """
                    UPDATE outbox SET sent_at = ?, attempts = attempts + 1, last_error = NULL
                    WHERE id = ? AND sent_at IS NULL AND failed_at IS NULL
                    """,
                arguments: [Self.seconds(now), id])
        }
    }

    /// Records a failed attempt: retried at `nextAttemptAt`, or given up (`failed_at` set) when it is nil.
    /// `error` is shortened to `maximumErrorLength` characters with control characters replaced.
    public func markFailed(id: Int64, error: String, now: Date, nextAttemptAt: Date?) throws {
        let seconds = Self.seconds(now)
        let shortened = Self.shorten(error)
        try database.write { db in
            if let nextAttemptAt {
                try db.execute(
                    sql: """
                        UPDATE outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = ?
                        WHERE id = ? AND sent_at IS NULL AND failed_at IS NULL
                        """,
                    arguments: [shortened, Self.seconds(nextAttemptAt), id])
            } else {
                try db.execute(
                    sql: """
                        UPDATE outbox SET attempts = attempts + 1, last_error = ?, failed_at = ?
                        WHERE id = ? AND sent_at IS NULL AND failed_at IS NULL
                        """,
                    arguments: [shortened, seconds, id])
            }
        }
    }

    /// Messages newest first; with `unsentOnly` only those pending or given up.
    public func recent(limit: Int, offset: Int = 0, unsentOnly: Bool = false) throws -> [OutboxMessage] {
        try database.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM outbox \(unsentOnly ? "WHERE sent_at IS NULL" : "")
                    ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?
                    """,
                arguments: [limit, offset]
            ).map(OutboxMessage.init(row:))
        }
    }

    /// Every message, oldest first (for tests and small outboxes).
    public func all() throws -> [OutboxMessage] {
        try database.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM outbox ORDER BY id").map(OutboxMessage.init(row:))
        }
    }

    /// The number of messages, or of those in `state`.
    public func count(state: OutboxMessage.State? = nil) throws -> Int {
        let condition =
            switch state {
            case nil: ""
            case .pending: "WHERE sent_at IS NULL AND failed_at IS NULL"
            case .sent: "WHERE sent_at IS NOT NULL"
            case .failed: "WHERE sent_at IS NULL AND failed_at IS NOT NULL"
            }
        return try database.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM outbox \(condition)") ?? 0
        }
    }

    /// One message by id, or nil.
    public func message(id: Int64) throws -> OutboxMessage? {
        try database.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM outbox WHERE id = ?", arguments: [id]).map(
                OutboxMessage.init(row:))
        }
    }

    static func seconds(_ date: Date) -> Int64 {
        Int64(date.timeIntervalSince1970.rounded(.down))
    }

    static func shorten(_ error: String) -> String {
        var text = String(
            String.UnicodeScalarView(
                error.unicodeScalars.map { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) ? " " : $0 }))
        if text.count > maximumErrorLength {
            text = String(text.prefix(maximumErrorLength - 1)) + "…"
        }
        return text
    }
}
