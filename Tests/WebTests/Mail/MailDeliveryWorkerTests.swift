import Foundation
import Logging
import Storage
import StorageTestSupport
import Testing

@testable import Web

/// A transport that records what it was given and fails as scripted.
final class FakeTransport: MailTransport, @unchecked Sendable {
    private let lock = NSLock()
    private var failuresLeft: Int
    private let delay: TimeInterval
    private var deliveredStorage: [(recipient: String, message: [UInt8])] = []
    private var callCount = 0
    private var startCount = 0

    init(failures: Int = 0, delay: TimeInterval = 0) {
        failuresLeft = failures
        self.delay = delay
    }

    func deliver(_ message: [UInt8], to recipient: String) throws {
        lock.withLock { startCount += 1 }
        if delay > 0 { Thread.sleep(forTimeInterval: delay) }
        try lock.withLock {
            callCount += 1
            if failuresLeft > 0 {
                failuresLeft -= 1
                throw MailTransportError(kind: .exitStatus(75), detail: "try again later")
            }
            deliveredStorage.append((recipient, message))
        }
    }

    var delivered: [(recipient: String, message: [UInt8])] { lock.withLock { deliveredStorage } }
    var recipients: [String] { delivered.map(\.recipient) }
    /// Finished calls, failed or not.
    var calls: Int { lock.withLock { callCount } }
    /// Calls that have begun (a delayed call counts from its start).
    var started: Int { lock.withLock { startCount } }
}

@Suite("Mail delivery worker")
struct MailDeliveryWorkerTests {
    let database: AppDatabase
    let store: OutboxStore
    let now = TestClock.now
    let logger: Logger = {
        var logger = Logger(label: "test.mail")
        logger.logLevel = .critical
        return logger
    }()

    init() throws {
        database = try TestDatabase.makeMigrated()
        store = OutboxStore(database: database)
    }

    @discardableResult
    func enqueue(_ recipient: String) throws -> Int64 {
        try store.enqueue(
            recipient: recipient, subject: "Betreff", purpose: "confirm_account", textBody: "Hallo\n",
            message: Array("To: \(recipient)\r\n\r\nHallo\r\n".utf8), messageID: UUID().uuidString + "@example.org",
            now: now)
    }

    func worker(_ transport: any MailTransport, store: OutboxStore? = nil) -> MailDeliveryWorker {
        MailDeliveryWorker(store: store ?? self.store, transport: transport, clock: { TestClock.now }, logger: logger)
    }

    @Test("a due message is delivered once and marked sent")
    func deliversDueMessage() throws {
        let id = try enqueue("erika@example.org")
        let transport = FakeTransport()
        let result = worker(transport).deliverDue(now: now)
        #expect(result.sent == 1 && result.failed == 0)
        #expect(transport.recipients == ["erika@example.org"])
        #expect(transport.delivered.first?.message == Array("To: erika@example.org\r\n\r\nHallo\r\n".utf8))
        #expect(try store.message(id: id)?.state == .sent)
        #expect(worker(transport).deliverDue(now: now + 3600) == (0, 0))
        #expect(transport.calls == 1)
    }

    @Test("a message that fails twice is retried after 1 and 2 minutes and then sent")
    func failsTwiceThenSucceeds() throws {
        let id = try enqueue("erika@example.org")
        let transport = FakeTransport(failures: 2)
        let worker = worker(transport)

        #expect(worker.deliverDue(now: now) == (0, 1))
        var message = try #require(try store.message(id: id))
        #expect(message.attempts == 1)
        #expect(message.nextAttemptAt == now + 60)
        #expect(message.lastError == "sendmail exited with status 75: try again later")

        #expect(worker.deliverDue(now: now + 59) == (0, 0))
        #expect(worker.deliverDue(now: now + 60) == (0, 1))
        message = try #require(try store.message(id: id))
        #expect(message.attempts == 2)
        #expect(message.nextAttemptAt == now + 60 + 120)

        #expect(worker.deliverDue(now: now + 179) == (0, 0))
        #expect(worker.deliverDue(now: now + 180) == (1, 0))
        message = try #require(try store.message(id: id))
        #expect(message.state == .sent)
        #expect(message.attempts == 3)
        #expect(message.lastError == nil)
        #expect(transport.calls == 3)
    }

    @Test("back-off doubles from one minute and is capped at six hours")
    func backOffSchedule() {
        let minutes = (1...10).map { MailDeliveryWorker.retryDelay(afterAttempts: $0) / 60 }
        #expect(minutes == [1, 2, 4, 8, 16, 32, 64, 128, 256, 360])
        #expect(MailDeliveryWorker.retryDelay(afterAttempts: 1000) == 6 * 3600)
    }

    @Test("a message that keeps failing is given up after eight attempts")
    func givesUpAfterEightAttempts() throws {
        let id = try enqueue("erika@example.org")
        let transport = FakeTransport(failures: 1000)
        let worker = worker(transport)
        var time = now
        for attempt in 1...8 {
            #expect(worker.deliverDue(now: time) == (0, 1), "attempt \(attempt)")
            time += 7 * 3600
        }
        let message = try #require(try store.message(id: id))
        #expect(message.state == .failed)
        #expect(message.attempts == 8)
        #expect(message.failedAt == now + 7 * 7 * 3600)
        #expect(worker.deliverDue(now: time + 86_400) == (0, 0))
        #expect(transport.calls == 8)
    }

    @Test("one failing message does not hold up the others in the same pass")
    func failureDoesNotBlockOthers() throws {
        for index in 0..<5 { try enqueue("person\(index)@example.org") }
        let transport = FakeTransport(failures: 1)
        #expect(worker(transport).deliverDue(now: now) == (4, 1))
        #expect(try store.count(state: .sent) == 4)
    }

    @Test("two workers on two connections running at once never send a message twice")
    func concurrentPassesNeverSendTwice() throws {
        let count = 120
        for index in 0..<count { try enqueue("person\(index)@example.org") }
        // A second pool on the same file stands in for a second process.
        let otherStore = OutboxStore(database: try AppDatabase(path: database.pool.path))
        let transport = FakeTransport(delay: 0.002)
        let workers = [worker(transport), worker(transport, store: otherStore)]
        let results = LockedResults()
        // Both threads wait at the gate, then start their passes together.
        let ready = DispatchSemaphore(value: 0)
        let gate = DispatchSemaphore(value: 0)
        let done = DispatchGroup()
        for index in 0..<2 {
            done.enter()
            Thread.detachNewThread {
                ready.signal()
                gate.wait()
                results.append(workers[index].deliverDue(now: TestClock.now).sent)
                done.leave()
            }
        }
        ready.wait()
        ready.wait()
        gate.signal()
        gate.signal()
        done.wait()
        // Both workers took part, so the passes really overlapped.
        #expect(results.values.count == 2 && results.values.allSatisfy { $0 > 0 }, "\(results.values)")
        let recipients = transport.recipients
        #expect(recipients.count == count)
        #expect(Set(recipients).count == count)
        #expect(results.values.reduce(0, +) == count)
        #expect(try store.count(state: .sent) == count)
    }

    @Test("a started worker sends in the background; stop waits for the running pass")
    func startAndStop() throws {
        let first = try enqueue("erika@example.org")
        let transport = FakeTransport(delay: 0.3)
        let worker = worker(transport)
        worker.start(interval: 0.05)
        let deadline = Date() + 10
        while transport.started == 0, Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
        // The transport is inside its 0.3 s delivery now; stop returns only after it is recorded.
        #expect(try store.message(id: first)?.state == .pending)
        worker.stop()
        #expect(try store.message(id: first)?.state == .sent)
        let second = try enqueue("max@example.org")
        Thread.sleep(forTimeInterval: 0.3)
        #expect(try store.message(id: second)?.state == .pending)
        #expect(transport.recipients == ["erika@example.org"])
    }
}

final class LockedResults: @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [Int] = []
    func append(_ value: Int) { lock.withLock { storage.append(value) } }
    var values: [Int] { lock.withLock { storage } }
}
