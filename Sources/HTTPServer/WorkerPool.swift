import Foundation

/// A fixed number of threads that run request handlers, fed from one FIFO queue.
///
/// Handlers are synchronous and may block (database, rendering), so they get threads of their own
/// instead of Dispatch's shared pool, and the thread count is the bound: at most `count` handlers run
/// at once whatever the number of connections. Each connection has at most one job queued (it reads
/// nothing more until that job's response is written), so the queue is bounded by
/// `Configuration.maxConnections`.
final class WorkerPool: @unchecked Sendable {
    // `condition` guards `jobs`, `head`, `isStopping` and `running`.
    private let condition = NSCondition()
    private var jobs: [@Sendable () -> Void] = []
    private var head = 0
    private var isStopping = false
    private var running = 0
    private let count: Int
    private let name: String

    init(count: Int, name: String) {
        self.count = max(1, count)
        self.name = name
    }

    /// Starts the threads.
    func start() {
        for index in 0..<count {
            let thread = Thread { [self] in self.work() }
            thread.name = "\(name)-\(index)"
            condition.lock()
            running += 1
            condition.unlock()
            thread.start()
        }
    }

    /// Queues a job; false if the pool is stopping (the job is not run).
    @discardableResult
    func submit(_ job: @escaping @Sendable () -> Void) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        guard !isStopping else { return false }
        jobs.append(job)
        condition.signal()
        return true
    }

    /// Lets the queued jobs run, then ends the threads. Waits at most `timeout` seconds for them.
    func stop(timeout: TimeInterval) {
        condition.lock()
        isStopping = true
        condition.broadcast()
        let deadline = Date(timeIntervalSinceNow: timeout)
        while running > 0, condition.wait(until: deadline) {}
        condition.unlock()
    }

    private func work() {
        while true {
            condition.lock()
            while head == jobs.count, !isStopping { condition.wait() }
            if head == jobs.count {
                running -= 1
                condition.broadcast()
                condition.unlock()
                return
            }
            let job = jobs[head]
            head += 1
            if head == jobs.count {
                jobs.removeAll(keepingCapacity: true)
                head = 0
            } else if head > 1024, head * 2 > jobs.count {
                jobs.removeSubrange(0..<head)
                head = 0
            }
            condition.unlock()
            job()
        }
    }
}
