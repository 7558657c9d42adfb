import Foundation

/// Runs a piece of work now and then every `interval` seconds on its own queue, until stopped;
/// `stop()` waits for a running pass, so shutdown never cuts a pass in half.
final class PeriodicJob: @unchecked Sendable {
    private let queue: DispatchQueue
    private let lock = NSLock()
    private var timer: (any DispatchSourceTimer)?

    init(label: String) {
        queue = DispatchQueue(label: label)
    }

    func start(every interval: TimeInterval, _ work: @escaping @Sendable () -> Void) {
        lock.withLock {
            guard timer == nil else { return }
            let source = DispatchSource.makeTimerSource(queue: queue)
            source.schedule(deadline: .now(), repeating: interval, leeway: .seconds(5))
            source.setEventHandler(handler: work)
            source.resume()
            timer = source
        }
    }

    func stop() {
        let source = lock.withLock { () -> (any DispatchSourceTimer)? in
            defer { timer = nil }
            return timer
        }
        source?.cancel()
        // A pass already running finishes before this returns.
        queue.sync {}
    }
}
