import Foundation
import GRDB
import Storage
import StorageTestSupport
import Testing

@Suite("Outbox store")
struct OutboxStoreTests {
    let database: AppDatabase
    let store: OutboxStore
    let now = TestClock.now

    init() throws {
        database = try TestDatabase.makeMigrated()
        store = OutboxStore(database: database)
    }

    @discardableResult
    func enqueue(_ recipient: String = "erika@example.org", at date: Date? = nil) throws -> Int64 {
        try store.enqueue(
            recipient: recipient, subject: "Betreff", purpose: "confirm_account", textBody: "Hallo\n",
            message: Array("Subject: Betreff\r\n\r\nHallo\r\n".utf8), messageID: UUID().uuidString + "@example.org",
            now: date ?? now)
    }

    @Test("an enqueued message is stored whole, pending and due at once")
    func enqueueStoresPendingMessage() throws {
        let id = try store.enqueue(
            recipient: "erika@example.org", subject: "Bitte bestätigen", purpose: "confirm_account",
            textBody: "Hallo Erika\n", message: [0x41, 0x0D, 0x0A, 0xFF], messageID: "abc@example.org", now: now)
        let message = try #require(try store.message(id: id))
        #expect(message.recipient == "erika@example.org")
        #expect(message.subject == "Bitte bestätigen")
        #expect(message.purpose == "confirm_account")
        #expect(message.textBody == "Hallo Erika\n")
        #expect(message.message == [0x41, 0x0D, 0x0A, 0xFF])
        #expect(message.messageID == "abc@example.org")
        #expect(message.createdAt == now)
        #expect(message.nextAttemptAt == now)
        #expect(message.attempts == 0)
        #expect(message.state == .pending)
        #expect(try store.due(now: now, limit: 10).map(\.id) == [id])
        #expect(try store.due(now: now.addingTimeInterval(-1), limit: 10).isEmpty)
    }

    @Test("a Message-ID is stored only once")
    func messageIDIsUnique() throws {
        _ = try store.enqueue(
            recipient: "a@example.org", subject: "s", purpose: "p", textBody: "t", message: [1], messageID: "x@y",
            now: now)
        #expect(throws: DatabaseError.self) {
            try store.enqueue(
                recipient: "b@example.org", subject: "s", purpose: "p", textBody: "t", message: [1], messageID: "x@y",
                now: now)
        }
    }

    @Test("due lists pending messages oldest first and honours the limit")
    func dueOrderAndLimit() throws {
        let first = try enqueue("a@example.org", at: now.addingTimeInterval(-120))
        let second = try enqueue("b@example.org", at: now.addingTimeInterval(-60))
        let third = try enqueue("c@example.org")
        #expect(try store.due(now: now, limit: 10).map(\.id) == [first, second, third])
        #expect(try store.due(now: now, limit: 2).map(\.id) == [first, second])
    }

    @Test("a claimed message is leased: not due again until the lease runs out")
    func claimLeases() throws {
        let id = try enqueue()
        let claimed = try store.claimDue(now: now, limit: 5, lease: 300)
        #expect(claimed.map(\.id) == [id])
        #expect(try store.claimDue(now: now, limit: 5, lease: 300).isEmpty)
        #expect(try store.claimDue(now: now.addingTimeInterval(299), limit: 5, lease: 300).isEmpty)
        #expect(try store.claimDue(now: now.addingTimeInterval(300), limit: 5, lease: 300).map(\.id) == [id])
    }

    @Test("markSent records the time and the attempt; a sent message is never due again")
    func markSent() throws {
        let id = try enqueue()
        try store.markSent(id: id, now: now.addingTimeInterval(5))
        let message = try #require(try store.message(id: id))
        #expect(message.state == .sent)
        #expect(message.sentAt == now.addingTimeInterval(5))
        #expect(message.attempts == 1)
        #expect(try store.due(now: now.addingTimeInterval(86_400), limit: 10).isEmpty)
    }

    @Test("markFailed with a next time schedules a retry and keeps the error")
    func markFailedSchedulesRetry() throws {
        let id = try enqueue()
        try store.markFailed(id: id, error: "sendmail exited with status 75", now: now, nextAttemptAt: now + 60)
        let message = try #require(try store.message(id: id))
        #expect(message.state == .pending)
        #expect(message.attempts == 1)
        #expect(message.nextAttemptAt == now + 60)
        #expect(message.lastError == "sendmail exited with status 75")
        #expect(try store.due(now: now + 59, limit: 10).isEmpty)
        #expect(try store.due(now: now + 60, limit: 10).map(\.id) == [id])
    }

    @Test("markFailed without a next time gives the message up")
    func markFailedGivesUp() throws {
        let id = try enqueue()
        try store.markFailed(id: id, error: "boom", now: now, nextAttemptAt: nil)
        let message = try #require(try store.message(id: id))
        #expect(message.state == .failed)
        #expect(message.failedAt == now)
        #expect(try store.due(now: now + 86_400, limit: 10).isEmpty)
        // A late success report for a given-up message changes nothing.
        try store.markSent(id: id, now: now + 1)
        #expect(try store.message(id: id)?.state == .failed)
    }

    @Test("the stored error is shortened and has no line breaks")
    func errorIsShortened() throws {
        let id = try enqueue()
        let long = "exit 75: " + String(repeating: "x", count: 2000) + "\r\nBcc: someone"
        try store.markFailed(id: id, error: long, now: now, nextAttemptAt: now + 60)
        let stored = try #require(try store.message(id: id)?.lastError)
        #expect(stored.count == OutboxStore.maximumErrorLength)
        #expect(!stored.contains("\n") && !stored.contains("\r"))
        #expect(stored.hasPrefix("exit 75: xxx"))
    }

    @Test("recent lists newest first, pages, and can leave out sent messages; count counts by state")
    func recentAndCount() throws {
        let old = try enqueue("a@example.org", at: now - 300)
        let middle = try enqueue("b@example.org", at: now - 200)
        let new = try enqueue("c@example.org", at: now - 100)
        try store.markSent(id: middle, now: now)
        try store.markFailed(id: new, error: "x", now: now, nextAttemptAt: nil)
        #expect(try store.recent(limit: 10).map(\.id) == [new, middle, old])
        #expect(try store.recent(limit: 1, offset: 1).map(\.id) == [middle])
        #expect(try store.recent(limit: 10, unsentOnly: true).map(\.id) == [new, old])
        #expect(try store.count() == 3)
        #expect(try store.count(state: .pending) == 1)
        #expect(try store.count(state: .sent) == 1)
        #expect(try store.count(state: .failed) == 1)
        #expect(try store.all().map(\.id) == [old, middle, new])
        #expect(try store.message(id: 999_999) == nil)
    }
}
