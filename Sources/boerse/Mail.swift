import ArgumentParser
import Foundation
import Logging
import Storage
import Web

/// `boerse mail`: read the outbox and run a delivery pass (an operator's tool, so its output is English).
struct Mail: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Read the mail outbox and deliver what is due.",
        subcommands: [List.self, Show.self, Deliver.self])

    /// `boerse mail list`: the newest messages, pending and given up ones unless `--all`.
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List outbox messages, newest first (only unsent ones unless --all).")

        @OptionGroup var common: CommonOptions

        @Option(help: "Show at most this many messages.")
        var limit: Int = 50

        @Flag(help: "Include messages that were sent.")
        var all = false

        func validate() throws {
            guard (1...100_000).contains(limit) else { throw ValidationError("--limit must be 1…100000") }
        }

        func run() throws {
            let store = try MailCommand.openStore(common)
            let messages = try store.recent(limit: limit, unsentOnly: !all)
            let total = try all ? store.count() : store.count() - store.count(state: .sent)
            if messages.isEmpty {
                print(all ? "the outbox is empty" : "no unsent messages (--all shows sent ones too)")
                return
            }
            print(MailCommand.row(["ID", "CREATED", "STATE", "TRIES", "RECIPIENT", "SUBJECT"]))
            for message in messages {
                print(
                    MailCommand.row([
                        String(message.id), MailCommand.berlinTime(message.createdAt),
                        MailCommand.stateLabel(message.state), String(message.attempts), message.recipient,
                        message.subject,
                    ]))
            }
            if total > messages.count { print("… \(total - messages.count) more (use --limit)") }
        }
    }

    /// `boerse mail show <id>`: one message's facts and its plain-text part (or the raw message).
    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print one outbox message's text.")

        @OptionGroup var common: CommonOptions

        @Argument(help: "The message id (from `boerse mail list`).")
        var id: Int64

        @Flag(help: "Print the complete RFC 5322 message as it is handed to sendmail.")
        var raw = false

        func run() throws {
            let store = try MailCommand.openStore(common)
            guard let message = try store.message(id: id) else {
                throw MailCommand.Failure("no outbox message with id \(id)")
            }
            if raw {
                FileHandle.standardOutput.write(Data(message.message))
                return
            }
            print("To:       \(message.recipient)")
            print("Subject:  \(message.subject)")
            print("Purpose:  \(message.purpose)")
            print("Created:  \(MailCommand.berlinTime(message.createdAt))")
            var state = MailCommand.stateLabel(message.state) + ", \(message.attempts) attempt(s)"
            if let sentAt = message.sentAt { state += ", sent \(MailCommand.berlinTime(sentAt))" }
            if let failedAt = message.failedAt { state += ", given up \(MailCommand.berlinTime(failedAt))" }
            if message.state == .pending, message.attempts > 0 {
                state += ", next try \(MailCommand.berlinTime(message.nextAttemptAt))"
            }
            print("State:    \(state)")
            if let lastError = message.lastError { print("Error:    \(lastError)") }
            print("")
            print(message.textBody, terminator: message.textBody.hasSuffix("\n") ? "" : "\n")
        }
    }

    /// `boerse mail deliver`: one delivery pass with the configured transport.
    struct Deliver: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run one delivery pass: send due messages with the configured transport.",
            discussion: """
                With the transport 'outbox' nothing is sent: messages stay pending in the outbox. \
                A failed message is retried later with back-off (1 min doubling, 8 attempts).
                """)

        @OptionGroup var common: CommonOptions

        @Option(help: "How mail leaves the system: outbox or sendmail. [env: BOERSE_MAIL_TRANSPORT]")
        var transport: String = Environment.value("BOERSE_MAIL_TRANSPORT") ?? MailSettings.Transport.outbox.rawValue

        @Option(help: "The sendmail-compatible program for --transport sendmail. [env: BOERSE_SENDMAIL_PATH]")
        var sendmailPath: String = Environment.value("BOERSE_SENDMAIL_PATH") ?? MailSettings().sendmailPath

        func validate() throws {
            guard MailSettings.Transport(rawValue: transport) != nil else {
                throw ValidationError("--transport must be outbox or sendmail")
            }
            if transport == MailSettings.Transport.sendmail.rawValue, !sendmailPath.hasPrefix("/") {
                throw ValidationError("--sendmail-path must be an absolute path")
            }
        }

        func run() throws {
            let settings = MailSettings(
                transport: MailSettings.Transport(rawValue: transport) ?? .outbox, sendmailPath: sendmailPath)
            guard let deliveryTransport = settings.deliveryTransport else {
                print("transport is outbox: nothing is sent, messages stay pending (use --transport sendmail)")
                return
            }
            let store = try MailCommand.openStore(common)
            let worker = MailDeliveryWorker(
                store: store, transport: deliveryTransport, clock: { Date() },
                logger: Logging.make("boerse.mail", level: common.logLevel))
            let result = worker.deliverDue(now: Date())
            print("sent \(result.sent), failed \(result.failed), still pending \(try store.count(state: .pending))")
            if result.failed > 0 { throw ExitCode(1) }
        }
    }
}

enum MailCommand {
    /// An error ArgumentParser prints without the usage text.
    struct Failure: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    static func openStore(_ common: CommonOptions) throws -> OutboxStore {
        let database = try AppDatabase(path: common.databasePath)
        try Migrator(directory: common.root + "/Migrations").migrate(database)
        return OutboxStore(database: database)
    }

    static func stateLabel(_ state: OutboxMessage.State) -> String {
        switch state {
        case .pending: "pending"
        case .sent: "sent"
        case .failed: "given up"
        }
    }

    static func berlinTime(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "Europe/Berlin")
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        return formatter.string(from: date)
    }

    private static let widths = [6, 16, 8, 5, 32]

    /// Columns padded to fixed widths; the last (the subject) is not cut.
    static func row(_ columns: [String]) -> String {
        var line = ""
        for (index, column) in columns.enumerated() {
            if index < widths.count {
                var cell = column.count > widths[index] ? String(column.prefix(widths[index] - 1)) + "…" : column
                cell += String(repeating: " ", count: widths[index] - cell.count)
                line += cell + "  "
            } else {
                line += column
            }
        }
        return line
    }
}
