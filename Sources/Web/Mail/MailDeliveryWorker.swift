import Dispatch
import Foundation
import Logging
import Storage

/// Sends what is due in the outbox through a transport, retrying failures with exponential back-off.
///
/// One pass claims due messages one at a time (each claim is an immediate transaction that leases the
/// message), delivers it and records the outcome, so several workers — threads or processes — never send
/// one message twice. After a failed attempt the next waits 1 min × 2^(attempts − 1), at most 6 h; after
/// `maximumAttempts` the message is given up (`failed_at`). A worker that dies mid-delivery leaves the
/// message leased for `lease`, after which another pass picks it up again.
public final class MailDeliveryWorker: @unchecked Sendable {
    // @unchecked: `timer` is guarded by `lock`; everything else is immutable.
    public static let maximumAttempts = 8
    public static let baseDelay: TimeInterval = 60
    public static let maximumDelay: TimeInterval = 6 * 3600
    /// Longer than a transport may take for one message (the sendmail timeout is 30 s).
    public static let lease: TimeInterval = 300
    /// At most this many messages per pass, so a pass ends even when mail keeps arriving.
    public static let passLimit = 200

    let store: OutboxStore
    let transport: any MailTransport
    let clock: @Sendable () -> Date
    let logger: Logger
    private let queue = DispatchQueue(label: "boerse.mail.delivery")
    private let lock = NSLock()
    private var timer: (any DispatchSourceTimer)?

    public init(store: OutboxStore, transport: any MailTransport, clock: @escaping @Sendable () -> Date, logger: Logger)
    {
        self.store = store
        self.transport = transport
        self.clock = clock
        self.logger = logger
    }

    /// The wait before the next attempt once `attempts` attempts have failed.
    public static func retryDelay(afterAttempts attempts: Int) -> TimeInterval {
        let exponent = min(max(attempts - 1, 0), 30)
        return min(baseDelay * Double(1 << exponent), maximumDelay)
    }

    /// One pass over the due messages. Returns how many were sent and how many attempts failed.
    @discardableResult
    public func deliverDue(now: Date) -> (sent: Int, failed: Int) {
        var sent = 0
        var failed = 0
        for _ in 0..<Self.passLimit {
            let message: OutboxMessage
            do {
                guard let claimed = try store.claimDue(now: now, limit: 1, lease: Self.lease).first else { break }
                message = claimed
            } catch {
                logger.error("mail outbox could not be read", metadata: ["error": "\(error)"])
                break
            }
            do {
                try transport.deliver(message.message, to: message.recipient)
                sent += 1
                record { try store.markSent(id: message.id, now: now) }
                logger.info("mail sent", metadata: ["outbox_id": "\(message.id)", "purpose": "\(message.purpose)"])
            } catch {
                failed += 1
                let attempts = message.attempts + 1
                let retryAt =
                    attempts >= Self.maximumAttempts
                    ? nil : now.addingTimeInterval(Self.retryDelay(afterAttempts: attempts))
                let stored = (error as? MailTransportError)?.storedDescription ?? String(describing: error)
                record { try store.markFailed(id: message.id, error: stored, now: now, nextAttemptAt: retryAt) }
                logger.warning(
                    retryAt == nil ? "mail given up" : "mail delivery failed",
                    metadata: [
                        "outbox_id": "\(message.id)", "attempts": "\(attempts)", "error": "\(error)",
                    ])
            }
        }
        return (sent, failed)
    }

    private func record(_ update: () throws -> Void) {
        do {
            try update()
        } catch {
            // The lease runs out and the message is tried again: sent twice at worst, never lost.
            logger.error("mail outbox could not be updated", metadata: ["error": "\(error)"])
        }
    }

    /// Runs a pass now and then every `interval` seconds on a background queue, until `stop()`.
    public func start(interval: TimeInterval) {
        lock.lock()
        defer { lock.unlock() }
        guard timer == nil else { return }
        let timer = DispatchSource.makeTimerSource(queue: queue)
        timer.schedule(deadline: .now(), repeating: interval, leeway: .milliseconds(500))
        timer.setEventHandler { [weak self] in
            guard let self else { return }
            self.deliverDue(now: self.clock())
        }
        timer.resume()
        self.timer = timer
    }

    /// Stops the timer and returns once a pass that is running has finished. Not to be called from a pass.
    public func stop() {
        lock.lock()
        let timer = self.timer
        self.timer = nil
        lock.unlock()
        timer?.cancel()
        queue.sync {}
    }

    deinit {
        timer?.cancel()
    }
}
