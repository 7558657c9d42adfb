import Dispatch
import Foundation

#if os(Linux)
    import CEpoll
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

// Why the server watches its connection sockets itself instead of with Dispatch read/write sources:
// on Linux, libdispatch keeps one shared "muxnote" per descriptor for all of its sources and updates
// it from many threads. Under connection churn (thousands of short connections, a write source added
// to a descriptor that already has a read source, descriptors closed and reused at once) that
// bookkeeping breaks: the manager thread died with "Illegal instruction" in
// `_dispatch_source_refs_finalize_unregistration` (a source finalized twice) — reproduced in under
// a minute by 16 threads opening connections with a small receive buffer and resetting some of
// them. The same class of fault is open upstream (swift-corelibs-libdispatch #833, #949).
//
// The replacement is small: one epoll descriptor and one thread per server. Each socket is registered
// once, with a token that is never reused, and armed one-shot for exactly the readiness its
// connection wants; an event is handed to the connection's own serial queue, which re-arms after
// handling it. Deregistration happens on that queue before the descriptor is closed, and a late event
// for a token that is gone (or a watcher already cancelled) is dropped, so a reused descriptor number
// can never receive another connection's events. Timers stay Dispatch timer sources: they involve no
// descriptor. macOS keeps Dispatch sources, whose kqueue back end does not share this fault.

#if os(Linux)

    /// One epoll instance and the thread that waits on it; created when a server starts and stopped
    /// (its descriptors closed) when it stops.
    ///
    /// `@unchecked Sendable`: `watchers`, `nextToken` and `isStopping` are guarded by `lock`; the
    /// descriptors are immutable after `init` and closed only after the thread has ended.
    final class EventLoop: @unchecked Sendable {
        private static let wakeToken: UInt64 = 0
        private static let batchSize = 256

        private let epollFD: Int32
        private let wakeFD: Int32
        private let lock = NSLock()
        private var watchers: [UInt64: SocketWatcher] = [:]
        private var nextToken: UInt64 = 1
        private var isStopping = false
        private let finished = DispatchSemaphore(value: 0)
        private var thread: Thread?

        struct SetupError: Error, CustomStringConvertible {
            let reason: String
            var description: String { "event loop: \(reason)" }
        }

        init() throws {
            let epollFD = epoll_create1(Int32(EPOLL_CLOEXEC))
            guard epollFD >= 0 else { throw SetupError(reason: "epoll_create1: \(Platform.errorText(errno))") }
            let wakeFD = eventfd(0, Int32(EFD_CLOEXEC | EFD_NONBLOCK))
            guard wakeFD >= 0 else {
                let reason = Platform.errorText(errno)
                Platform.closeDescriptor(epollFD)
                throw SetupError(reason: "eventfd: \(reason)")
            }
            var event = epoll_event()
            event.events = EPOLLIN.rawValue
            event.data.u64 = Self.wakeToken
            guard epoll_ctl(epollFD, EPOLL_CTL_ADD, wakeFD, &event) == 0 else {
                let reason = Platform.errorText(errno)
                Platform.closeDescriptor(wakeFD)
                Platform.closeDescriptor(epollFD)
                throw SetupError(reason: "epoll_ctl: \(reason)")
            }
            self.epollFD = epollFD
            self.wakeFD = wakeFD
        }

        func start() {
            let thread = Thread { [self] in self.run() }
            thread.name = "http-events"
            self.thread = thread
            thread.start()
        }

        /// Ends the thread and closes both descriptors; waits until that is done.
        func stop() {
            lock.lock()
            let wasStopping = isStopping
            isStopping = true
            lock.unlock()
            guard !wasStopping, thread != nil else { return }
            var one: UInt64 = 1
            _ = write(wakeFD, &one, MemoryLayout<UInt64>.size)
            finished.wait()
            Platform.closeDescriptor(wakeFD)
            Platform.closeDescriptor(epollFD)
        }

        private func run() {
            var events = [epoll_event](repeating: epoll_event(), count: Self.batchSize)
            var ready: [(SocketWatcher, UInt32)] = []
            ready.reserveCapacity(Self.batchSize)
            while true {
                let count = epoll_wait(epollFD, &events, Int32(events.count), -1)
                if count < 0 {
                    if errno == EINTR { continue }
                    break
                }
                var wake = false
                ready.removeAll(keepingCapacity: true)
                lock.lock()
                for event in events[0..<Int(count)] {
                    let token = event.data.u64
                    if token == Self.wakeToken {
                        wake = true
                    } else if let watcher = watchers[token] {
                        ready.append((watcher, event.events))
                    }
                }
                let stopping = isStopping
                lock.unlock()
                // Outside the lock: handling an event may deregister (close) its socket. A watcher
                // cancelled in between drops the event (`deliver` checks on the connection's queue).
                for (watcher, events) in ready { watcher.post(events) }
                if wake && stopping { break }
            }
            finished.signal()
        }

        /// Adds a socket armed for `events`; returns its token, or nil if epoll refused it.
        func register(_ watcher: SocketWatcher, fd: Int32, events: UInt32) -> UInt64? {
            lock.lock()
            let token = nextToken
            nextToken += 1
            watchers[token] = watcher
            lock.unlock()
            var event = epoll_event()
            event.events = events | EPOLLONESHOT.rawValue
            event.data.u64 = token
            if epoll_ctl(epollFD, EPOLL_CTL_ADD, fd, &event) == 0 { return token }
            lock.lock()
            watchers[token] = nil
            lock.unlock()
            return nil
        }

        /// Re-arms a registered socket for `events` (one-shot).
        func rearm(fd: Int32, token: UInt64, events: UInt32) -> Bool {
            var event = epoll_event()
            event.events = events | EPOLLONESHOT.rawValue
            event.data.u64 = token
            return epoll_ctl(epollFD, EPOLL_CTL_MOD, fd, &event) == 0
        }

        /// Removes a socket; no event for `token` is handed out after this returns.
        func deregister(fd: Int32, token: UInt64) {
            var event = epoll_event()
            _ = epoll_ctl(epollFD, EPOLL_CTL_DEL, fd, &event)
            lock.lock()
            watchers[token] = nil
            lock.unlock()
        }
    }

    /// Readiness of one socket for one connection, reported on the connection's serial queue.
    ///
    /// Every method but ``post(_:)`` is called on `queue`; `@unchecked Sendable` because the event
    /// loop's thread calls `post`, which only touches the immutable `queue`.
    final class SocketWatcher: @unchecked Sendable {
        private let fd: Int32
        private let queue: DispatchQueue
        private let loop: EventLoop
        private var onReadable: (() -> Void)?
        private var onWritable: (() -> Void)?
        private var token: UInt64?
        /// What the kernel may be armed with right now (cleared when an event arrives: one-shot).
        private var armed: UInt32 = 0
        private var isCancelled = false

        /// Whether the owner wants `onReadable` (peer data, end of stream or an error).
        var wantsRead = true {
            didSet { if wantsRead != oldValue { update() } }
        }
        /// Whether the owner wants `onWritable` (room in the send buffer, or an error).
        var wantsWrite = false {
            didSet { if wantsWrite != oldValue { update() } }
        }

        init(
            fd: Int32, queue: DispatchQueue, loop: EventLoop,
            onReadable: @escaping () -> Void, onWritable: @escaping () -> Void
        ) {
            self.fd = fd
            self.queue = queue
            self.loop = loop
            self.onReadable = onReadable
            self.onWritable = onWritable
        }

        /// Starts watching with the current wishes; false if the socket could not be registered.
        func activate() -> Bool {
            let events = wantedEvents
            guard let token = loop.register(self, fd: fd, events: events) else { return false }
            self.token = token
            armed = events
            return true
        }

        /// Stops watching. From the return on no handler runs again, and the descriptor may be
        /// closed: the kernel registration is gone and a late event is dropped.
        func cancel(then completion: () -> Void) {
            if !isCancelled {
                isCancelled = true
                if let token { loop.deregister(fd: fd, token: token) }
                onReadable = nil
                onWritable = nil
            }
            completion()
        }

        /// Called by the loop's thread: handles the event on the connection's queue, on this thread.
        ///
        /// `sync`, not `async`: an idle serial queue runs the block on the calling thread, so reading and
        /// parsing a request costs no thread switch (the queue still serialises it with the connection's
        /// other work: a worker's response, the timer). Handlers never block: sockets are non-blocking and
        /// requests go to the worker pool, so the loop waits only for a connection's queue to finish what
        /// it is doing.
        fileprivate func post(_ events: UInt32) {
            queue.sync { self.deliver(events) }
        }

        private func deliver(_ events: UInt32) {
            guard !isCancelled else { return }
            armed = 0
            let failed = events & (EPOLLERR.rawValue | EPOLLHUP.rawValue) != 0
            if wantsWrite, failed || events & EPOLLOUT.rawValue != 0 {
                onWritable?()
            }
            if !isCancelled, wantsRead, failed || events & EPOLLIN.rawValue != 0 {
                onReadable?()
            }
            if !isCancelled { update() }
        }

        private var wantedEvents: UInt32 {
            (wantsRead ? EPOLLIN.rawValue : 0) | (wantsWrite ? EPOLLOUT.rawValue : 0)
        }

        /// Arms the kernel for what is wanted. Nothing wanted leaves an earlier arming in place: its
        /// single event, if it comes, is dropped in `deliver`, which costs less than a system call on
        /// every request to disarm.
        private func update() {
            guard !isCancelled, let token else { return }
            let wanted = wantedEvents
            guard wanted != 0, wanted != armed else { return }
            if loop.rearm(fd: fd, token: token, events: wanted) {
                armed = wanted
            }
        }
    }

#else

    /// On macOS Dispatch sources (kqueue) watch the sockets; there is no loop of our own.
    final class EventLoop: @unchecked Sendable {
        init() throws {}
        func start() {}
        func stop() {}
    }

    /// Readiness of one socket for one connection through a Dispatch read and write source, with the
    /// same contract as the Linux watcher: handlers run on `queue`, and the completion of `cancel`
    /// runs once both sources are cancelled, when the descriptor may be closed.
    final class SocketWatcher: @unchecked Sendable {
        private let read: any DispatchSourceRead
        private let write: any DispatchSourceWrite
        private var isReadRunning = false
        private var isWriteRunning = false
        private var isCancelled = false
        private var pendingCancellations = 2
        private var completion: (() -> Void)?

        var wantsRead = true {
            didSet { update() }
        }
        var wantsWrite = false {
            didSet { update() }
        }

        init(
            fd: Int32, queue: DispatchQueue, loop: EventLoop,
            onReadable: @escaping () -> Void, onWritable: @escaping () -> Void
        ) {
            read = DispatchSource.makeReadSource(fileDescriptor: fd, queue: queue)
            write = DispatchSource.makeWriteSource(fileDescriptor: fd, queue: queue)
            read.setEventHandler(handler: onReadable)
            write.setEventHandler(handler: onWritable)
            read.setCancelHandler { [self] in self.sourceCancelled() }
            write.setCancelHandler { [self] in self.sourceCancelled() }
        }

        func activate() -> Bool {
            // Activated sources start running; an unwanted one is suspended at once.
            read.activate()
            write.activate()
            isReadRunning = true
            isWriteRunning = true
            update()
            return true
        }

        func cancel(then completion: @escaping () -> Void) {
            guard !isCancelled else { return }
            isCancelled = true
            self.completion = completion
            read.cancel()
            write.cancel()
            // A suspended source only finishes cancelling once resumed.
            if !isReadRunning { read.resume() }
            if !isWriteRunning { write.resume() }
        }

        private func sourceCancelled() {
            pendingCancellations -= 1
            guard pendingCancellations == 0 else { return }
            completion?()
            completion = nil
        }

        private func update() {
            guard !isCancelled else { return }
            if wantsRead != isReadRunning {
                isReadRunning = wantsRead
                if wantsRead { read.resume() } else { read.suspend() }
            }
            if wantsWrite != isWriteRunning {
                isWriteRunning = wantsWrite
                if wantsWrite { write.resume() } else { write.suspend() }
            }
        }
    }

#endif
