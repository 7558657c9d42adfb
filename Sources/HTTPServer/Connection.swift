import Dispatch
import Foundation
import HTTPTypes
import Logging

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// What every connection of one server shares. Immutable.
final class ServerContext: Sendable {
    let configuration: Configuration
    let limits: RequestParser.Limits
    let logger: Logger
    let handler: Handler
    let quickHandler: QuickHandler?
    let pool: WorkerPool
    /// Readiness of every connection's socket (see SocketEvents.swift).
    let events: EventLoop
    let dates = DateCache()
    /// Set when shutdown begins, before the listeners close, so every response produced from then on
    /// carries `Connection: close`, even before the connection itself hears of the shutdown.
    let isShuttingDown = LockedFlag()
    /// Called once per connection after its descriptor was closed.
    let connectionClosed: @Sendable (Connection) -> Void

    init(
        configuration: Configuration, logger: Logger, handler: @escaping Handler, quickHandler: QuickHandler? = nil,
        pool: WorkerPool, events: EventLoop, connectionClosed: @escaping @Sendable (Connection) -> Void
    ) {
        self.configuration = configuration
        self.limits = RequestParser.Limits(configuration)
        self.logger = logger
        self.handler = handler
        self.quickHandler = quickHandler
        self.pool = pool
        self.events = events
        self.connectionClosed = connectionClosed
    }
}

/// A Boolean behind a lock (`Synchronization.Atomic` needs macOS 15; the package supports 14).
final class LockedFlag: @unchecked Sendable {
    // `lock` guards `flag`.
    private let lock = NSLock()
    private var flag = false

    var value: Bool {
        lock.lock()
        defer { lock.unlock() }
        return flag
    }

    func set() {
        lock.lock()
        flag = true
        lock.unlock()
    }
}

/// One client connection: its descriptor, serial queue, socket watcher, deadline timer and parser.
///
/// Life cycle: `reading` (waiting for a complete request) → `processing` (the handler runs on a
/// worker) → `writing` → back to `reading`, or `lingering` (write side shut down, input drained until
/// the peer closes so that unread input cannot turn our close into a reset that destroys the
/// response) → `closed`. The watcher and the timer are created, changed and cancelled only on `queue`;
/// the descriptor is closed exactly once, when the watcher has let go of it.
///
/// Reading is suspended from the moment a request is complete until its response is written, so
/// pipelined requests wait in the kernel (whose window then fills and blocks the client) or in the
/// parser's buffer, which then holds at most one read beyond the current request.
///
/// One timer measures one deadline at a time (see ``Deadline``); deadlines cover a whole head, body
/// or response, so a client that trickles bytes cannot extend them.
///
/// `@unchecked Sendable`: all mutable state is confined to `queue`; the worker pool hands results
/// back with `queue.async`.
final class Connection: @unchecked Sendable {
    enum State {
        case reading
        case processing
        case writing
        case lingering
        case closed
    }

    /// What the connection's timer is measuring.
    enum Deadline: Equatable {
        case none
        /// No byte of a next request yet: a fresh connection (`headDeadline`, at most
        /// `keepAliveIdleTimeout`) or an idle keep-alive one (`keepAliveIdleTimeout`). Closes silently.
        case idle
        /// From the first byte of a request until its head is complete (`headDeadline`). Answers 408.
        case head
        /// From the end of the head until the body is complete (`bodyDeadline`). Answers 408.
        case body
        /// From the start of a response until its last byte is taken by the kernel (`sendDeadline`).
        /// Drops the connection with a reset.
        case send
        /// A closing connection drains input for at most ``Connection/lingerTimeout``.
        case linger
    }

    /// What tests may observe about a connection (read on its queue).
    struct Statistics: Sendable {
        /// Bytes read from the socket so far, lingering included.
        var bytesRead: Int
        /// Requests handed to the handler so far.
        var requestsStarted: Int
        var state: State
        var deadline: Deadline
    }

    /// How long a closing connection drains input before it closes anyway.
    static let lingerTimeout: TimeInterval = 2
    /// How much input a closing connection drains at most.
    static let lingerByteLimit = 4 * 1024 * 1024
    /// `Retry-After` seconds in the 503 answer past the connection cap.
    static let overloadRetryAfterSeconds = 5

    let fd: Int32
    let queue: DispatchQueue
    let remoteAddress: String
    /// Accepted past `maxConnections`: answers 503 and closes without reading a request.
    let isOverload: Bool
    private let context: ServerContext

    private var state = State.reading
    private var parser: RequestParser
    /// Bytes asked of the kernel per read. The buffer lives only during the read (on the reading
    /// thread's stack): the parser keeps what it needs, so an idle connection holds no read buffer
    /// (16 KiB each made a thousand connections cost 16 MB of address space and a page each of RSS).
    private let readBufferSize: Int
    private var watcher: SocketWatcher?
    private var timer: (any DispatchSourceTimer)?
    private var isDescriptorClosed = false

    private var deadline = Deadline.none
    private var deadlineTime = DispatchTime.distantFuture
    /// When the timer fires next (distant future: not scheduled).
    private var timerFiresAt = DispatchTime.distantFuture
    /// Output is pending and the socket was full at the last attempt.
    private var isWaitingForWritable = false

    /// Bytes not yet taken by the kernel, in order (a response's head and body stay separate buffers).
    private var output: [[UInt8]] = []
    /// Bytes of `output[0]` already written.
    private var outputOffset = 0
    private var closeAfterWrite = false
    private var peerClosedInput = false
    private var isShuttingDown = false
    private var lingerDiscarded = 0
    /// A `QuickHandler` answer is being written from within `processBufferedRequests`.
    private var isAnsweringInline = false
    private var bytesRead = 0
    private var requestsStarted = 0

    init(fd: Int32, remoteAddress: String, context: ServerContext, isOverload: Bool = false) {
        self.fd = fd
        self.remoteAddress = remoteAddress
        self.context = context
        self.isOverload = isOverload
        // A plain serial queue targets libdispatch's overcommit pool, which starts another thread
        // whenever all of its threads are busy: a thousand connections whose deadline timers fire
        // together made 266 threads (each stack counts towards resident memory). Nothing queued on a
        // connection blocks, so the default global queue (threads about as many as cores) serves them;
        // `sync` from the event loop or a worker still runs on the calling thread.
        self.queue = DispatchQueue(label: "http.connection", target: .global())
        self.parser = RequestParser(limits: context.limits)
        // An overload connection only drains input while lingering; a small buffer does.
        self.readBufferSize = isOverload ? 4096 : max(512, context.configuration.readBufferSize)
    }

    /// A snapshot for tests; blocks until the connection's queue is free.
    func statistics() -> Statistics {
        queue.sync {
            Statistics(bytesRead: bytesRead, requestsStarted: requestsStarted, state: state, deadline: deadline)
        }
    }

    // MARK: - Start and stop

    /// Creates the sources on the connection's own queue and starts reading (or, past the connection
    /// cap, answers 503). `sync`: the new queue is idle, so this runs on the accepting thread, which
    /// saves a thread hop per connection and keeps a burst of connections from making libdispatch start
    /// a thread for each new queue (every thread's stack counts towards resident memory). Nothing in
    /// `setUp` blocks.
    func start() {
        queue.sync { self.setUp() }
    }

    private func setUp() {
        let watcher = SocketWatcher(
            fd: fd, queue: queue, loop: context.events,
            onReadable: { [self] in self.readAvailable() },
            onWritable: { [self] in if self.isWaitingForWritable { self.flush() } }
        )
        guard watcher.activate() else {
            context.logger.warning("- - could not watch a new connection's socket; closing it")
            state = .closed
            closeDescriptor()
            return
        }
        self.watcher = watcher

        let timer = DispatchSource.makeTimerSource(queue: queue)
        timer.setEventHandler { [self] in self.timerFired() }
        self.timer = timer
        timer.activate()

        if isShuttingDown {
            close()
        } else if isOverload {
            suspendReading()
            let response = ResponseEncoder.errorResponse(
                .serviceUnavailable, date: context.dates.current(),
                extraFields: [("Retry-After", String(Self.overloadRetryAfterSeconds))]
            )
            beginWriting(response, closing: true)
        } else {
            let configuration = context.configuration
            arm(.idle, after: min(configuration.headDeadline, configuration.keepAliveIdleTimeout))
        }
    }

    /// Graceful shutdown: an idle connection closes now, a busy one after its response.
    func beginShutdown() {
        queue.async {
            self.isShuttingDown = true
            if self.state == .reading, self.watcher != nil { self.close() }
        }
    }

    /// Closes at once, whatever is in flight (end of the shutdown grace period).
    func forceClose() {
        queue.async { self.abort() }
    }

    /// Drops the connection with a reset (`SO_LINGER` 0), so the kernel discards unsent output at
    /// once instead of keeping it for a client that does not read.
    private func abort() {
        guard state != .closed else { return }
        Platform.setAbortiveClose(fd)
        close()
    }

    /// Stops the timer and the watcher; the descriptor is closed once the watcher has let go of it.
    private func close() {
        guard state != .closed else { return }
        state = .closed
        deadline = .none
        isWaitingForWritable = false
        output = []
        outputOffset = 0
        timer?.cancel()
        timer = nil
        guard let watcher else {
            // Never set up (shutdown raced with start): nothing watches the descriptor yet.
            closeDescriptor()
            return
        }
        self.watcher = nil
        watcher.cancel { [self] in self.closeDescriptor() }
    }

    private func closeDescriptor() {
        guard !isDescriptorClosed else {
            Platform.recordCloseFailure()
            return
        }
        isDescriptorClosed = true
        Platform.closeDescriptor(fd)
        context.connectionClosed(self)
    }

    // MARK: - Deadlines

    private func arm(_ kind: Deadline, after seconds: TimeInterval) {
        deadline = kind
        deadlineTime = .now() + max(0, seconds)
        scheduleTimer()
    }

    private func disarm() {
        deadline = .none
        deadlineTime = .distantFuture
        scheduleTimer()
    }

    /// Moves the timer only when the deadline is earlier than its next firing. Rescheduling a Dispatch
    /// timer goes through libdispatch's timer machinery, and a request changes its deadline four
    /// times; firing early is harmless, because `timerFired` schedules the rest.
    private func scheduleTimer() {
        guard deadlineTime < timerFiresAt else { return }
        timerFiresAt = deadlineTime
        timer?.schedule(deadline: deadlineTime, repeating: .never)
    }

    private func timerFired() {
        timerFiresAt = .distantFuture
        guard state != .closed else { return }
        // Before the deadline: an event scheduled before the last re-arm.
        if DispatchTime.now() < deadlineTime {
            scheduleTimer()
            return
        }
        let configuration = context.configuration
        switch deadline {
        case .none:
            break
        case .idle, .linger:
            close()
        case .head:
            reject(ParseError(.requestTimeout, "head not complete within \(configuration.headDeadline) s"))
        case .body:
            reject(ParseError(.requestTimeout, "body not complete within \(configuration.bodyDeadline) s"))
        case .send:
            context.logger.info("- - dropped: response not taken within \(configuration.sendDeadline) s")
            abort()
        }
    }

    typealias ParseError = RequestParser.ParseError

    // MARK: - Reading

    private func suspendReading() {
        watcher?.wantsRead = false
    }

    private func resumeReading() {
        watcher?.wantsRead = true
    }

    private func readAvailable() {
        guard state == .reading || state == .lingering else {
            // Reading is suspended outside these states; a stale event must not spin.
            suspendReading()
            return
        }
        let isReading = state == .reading
        let (count, code) = withUnsafeTemporaryAllocation(byteCount: readBufferSize, alignment: 16) { buffer in
            let count = read(fd, buffer.baseAddress, buffer.count)
            let code = errno
            // A request's bytes go to the parser while the buffer lives; lingering input is only counted.
            if count > 0, isReading { parser.append(UnsafeRawBufferPointer(rebasing: buffer[0..<count])) }
            return (count, code)
        }
        // End of stream first: errno is meaningless when read returned 0.
        if count == 0 {
            peerClosedInput = true
            if state == .lingering {
                close()
            } else {
                suspendReading()
                processBufferedRequests()
            }
            return
        }
        if count < 0 {
            if Platform.isWouldBlock(code) || code == EINTR { return }
            close()
            return
        }
        bytesRead += count
        if state == .lingering {
            lingerDiscarded += count
            if lingerDiscarded > Self.lingerByteLimit { close() }
            return
        }
        if deadline == .idle {
            // The first byte of a request starts its head deadline; it is not reset until the head
            // is complete, however slowly the rest arrives.
            arm(.head, after: context.configuration.headDeadline)
        }
        processBufferedRequests()
    }

    /// Starts the next complete request in the parser, answers a parse error, or keeps reading.
    private func processBufferedRequests() {
        while state == .reading {
            switch parser.next() {
            case .needMoreData:
                if peerClosedInput, case .error(let error) = parser.endOfInput() {
                    // The client half-closed inside a request: say so (400) before closing.
                    reject(error)
                    return
                }
                if peerClosedInput || isShuttingDown {
                    close()
                    return
                }
                startBodyDeadlineIfNeeded()
                resumeReading()
                return
            case .continueExpected:
                startBodyDeadlineIfNeeded()
                send(ResponseEncoder.continueResponse)
            case .request(let request):
                // A request answered inline (`QuickHandler`) leaves the connection reading: the loop
                // goes on with the next pipelined request instead of recursing into it.
                startProcessing(request)
            case .error(let error):
                reject(error)
                return
            }
        }
    }

    private func startBodyDeadlineIfNeeded() {
        if parser.isReadingBody, deadline == .head || deadline == .idle {
            arm(.body, after: context.configuration.bodyDeadline)
        }
    }

    private func reject(_ error: ParseError) {
        context.logger.info(
            "- - \(error.status.code) rejected: \(error.reason)",
            metadata: ["status": "\(error.status.code)"]
        )
        suspendReading()
        beginWriting(ResponseEncoder.errorResponse(error.status, date: context.dates.current()), closing: true)
    }

    // MARK: - Handling

    private func startProcessing(_ parsed: RequestParser.ParsedRequest) {
        state = .processing
        suspendReading()
        disarm()
        requestsStarted += 1
        let request = ServerRequest(
            head: parsed.head, body: parsed.body, remoteAddress: remoteAddress, id: RequestID.make()
        )
        // The last request a connection may carry is answered with `Connection: close`.
        let keepAlive = parsed.keepAlive && requestsStarted < context.configuration.maxRequestsPerConnection
        let announceKeepAlive = parsed.version == .http10
        let context = self.context
        if let quickHandler = context.quickHandler {
            let started = DispatchTime.now().uptimeNanoseconds
            if let response = quickHandler(request) {
                let prepared = ResponseEncoder.prepare(response, for: request, configuration: context.configuration)
                let milliseconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1_000_000
                Self.logAccess(request, prepared, milliseconds: milliseconds, logger: context.logger)
                isAnsweringInline = true
                respond(prepared, keepAlive: keepAlive, announceKeepAlive: announceKeepAlive)
                isAnsweringInline = false
                return
            }
        }
        let accepted = context.pool.submit { [self] in
            let started = DispatchTime.now().uptimeNanoseconds
            let response = context.handler(request)
            let prepared = ResponseEncoder.prepare(response, for: request, configuration: context.configuration)
            let milliseconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1_000_000
            Self.logAccess(request, prepared, milliseconds: milliseconds, logger: context.logger)
            // `sync`: the worker writes the response itself (the queue is usually idle, so the block runs
            // on this thread) instead of waking another thread for it. The queue never waits for a worker.
            self.queue.sync {
                self.respond(prepared, keepAlive: keepAlive, announceKeepAlive: announceKeepAlive)
            }
        }
        if !accepted { close() }
    }

    private static func logAccess(
        _ request: ServerRequest, _ response: PreparedResponse, milliseconds: Double, logger: Logger
    ) {
        let duration = (milliseconds * 10).rounded() / 10
        let method = request.head.method.rawValue
        logger.info(
            "\(method) \(request.path) \(response.status.code) \(response.contentLength) B \(duration) ms",
            metadata: [
                "request-id": "\(request.id)",
                "method": "\(method)",
                "path": "\(request.path)",
                "status": "\(response.status.code)",
                "bytes": "\(response.contentLength)",
                "duration-ms": "\(duration)",
            ]
        )
    }

    private func respond(_ response: PreparedResponse, keepAlive: Bool, announceKeepAlive: Bool) {
        guard state == .processing else { return }
        let close = !keepAlive || isShuttingDown || context.isShuttingDown.value
        let head = ResponseEncoder.serializeHead(
            response, date: context.dates.current(), close: close, announceKeepAlive: announceKeepAlive
        )
        beginWriting(head, response.body, closing: close)
    }

    // MARK: - Writing

    /// Starts writing a final response; the whole of it must be taken within `sendDeadline`.
    private func beginWriting(_ head: [UInt8], _ body: [UInt8] = [], closing: Bool) {
        state = .writing
        closeAfterWrite = closing
        arm(.send, after: context.configuration.sendDeadline)
        send(head, body)
    }

    private func send(_ head: [UInt8], _ body: [UInt8] = []) {
        if !head.isEmpty { output.append(head) }
        if !body.isEmpty { output.append(body) }
        flush()
    }

    /// Writes as much as the socket takes (the first two buffers per system call); waits for a write
    /// event on EAGAIN.
    private func flush() {
        while !output.isEmpty {
            let written = output[0].withUnsafeBytes { first in
                let rest = UnsafeRawBufferPointer(rebasing: first[outputOffset...])
                guard output.count > 1 else { return Platform.send(fd, rest.baseAddress!, rest.count) }
                return output[1].withUnsafeBytes { second in Platform.send(fd, rest, second) }
            }
            if written > 0 {
                consume(written)
                continue
            }
            let code = errno
            if written < 0, code == EINTR { continue }
            if written < 0, Platform.isWouldBlock(code) {
                waitUntilWritable()
                return
            }
            // EPIPE, ECONNRESET: the peer is gone.
            close()
            return
        }
        isWaitingForWritable = false
        outputOffset = 0
        watcher?.wantsWrite = false
        finishedWriting()
    }

    /// Drops `count` written bytes from the front of `output`.
    private func consume(_ count: Int) {
        var remaining = count
        while remaining > 0, !output.isEmpty {
            let left = output[0].count - outputOffset
            if remaining >= left {
                remaining -= left
                output.removeFirst()
                outputOffset = 0
            } else {
                outputOffset += remaining
                remaining = 0
            }
        }
    }

    private func waitUntilWritable() {
        isWaitingForWritable = true
        watcher?.wantsWrite = true
    }

    private func finishedWriting() {
        guard state == .writing else { return }  // an interim 100 Continue while reading
        if closeAfterWrite {
            linger()
            return
        }
        state = .reading
        if isShuttingDown {
            close()
            return
        }
        if parser.hasBufferedBytes {
            // A pipelined request is already partly here: its head deadline starts now.
            arm(.head, after: context.configuration.headDeadline)
        } else {
            arm(.idle, after: context.configuration.keepAliveIdleTimeout)
        }
        // Inside an inline answer, `processBufferedRequests` is already on the stack and goes on.
        if isAnsweringInline { return }
        processBufferedRequests()
    }

    /// Shuts the write side down and drains input until the peer closes (or a short timeout), so that
    /// unread request bytes cannot make the kernel answer our close with a reset.
    private func linger() {
        state = .lingering
        shutdown(fd, Int32(SHUT_WR))
        if peerClosedInput {
            close()
            return
        }
        arm(.linger, after: min(Self.lingerTimeout, context.configuration.keepAliveIdleTimeout))
        resumeReading()
    }
}
