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
    let pool: WorkerPool
    let dates = DateCache()
    /// Set when shutdown begins, before the listeners close, so every response produced from then on
    /// carries `Connection: close`, even before the connection itself hears of the shutdown.
    let isShuttingDown = LockedFlag()
    /// Called once per connection after its descriptor was closed.
    let connectionClosed: @Sendable (Connection) -> Void

    init(
        configuration: Configuration, logger: Logger, handler: @escaping Handler, pool: WorkerPool,
        connectionClosed: @escaping @Sendable (Connection) -> Void
    ) {
        self.configuration = configuration
        self.limits = RequestParser.Limits(configuration)
        self.logger = logger
        self.handler = handler
        self.pool = pool
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

/// One client connection: its descriptor, serial queue, Dispatch sources and parser.
///
/// Life cycle: `reading` (waiting for a complete request) → `processing` (the handler runs on a
/// worker; the read source is suspended, so pipelined requests wait in the kernel or the parser) →
/// `writing` → back to `reading`, or `lingering` (write side shut down, input drained until the peer
/// closes so that unread input cannot turn our close into a reset that destroys the response) →
/// `closed`. Sources are created, suspended, resumed and cancelled only on `queue`; the descriptor is
/// closed exactly once, in the cancel handler of the last source to finish cancelling.
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

    /// How long a closing connection drains input before it closes anyway.
    static let lingerTimeout: TimeInterval = 2
    /// How much input a closing connection drains at most.
    static let lingerByteLimit = 4 * 1024 * 1024

    let fd: Int32
    let queue: DispatchQueue
    let remoteAddress: String
    private let context: ServerContext

    private var state = State.reading
    private var parser: RequestParser
    private let readBuffer: UnsafeMutableRawBufferPointer
    private var readSource: (any DispatchSourceRead)?
    private var writeSource: (any DispatchSourceWrite)?
    private var timer: (any DispatchSourceTimer)?
    private var isReadSuspended = false
    private var isWriteSuspended = false
    private var pendingCancellations = 0

    private var output: [UInt8] = []
    private var outputOffset = 0
    private var closeAfterWrite = false
    private var peerClosedInput = false
    private var isShuttingDown = false
    private var lingerDiscarded = 0

    init(fd: Int32, remoteAddress: String, context: ServerContext) {
        self.fd = fd
        self.remoteAddress = remoteAddress
        self.context = context
        self.queue = DispatchQueue(label: "http.connection")
        self.parser = RequestParser(limits: context.limits)
        self.readBuffer = .allocate(byteCount: max(512, context.configuration.readBufferSize), alignment: 16)
    }

    deinit {
        readBuffer.deallocate()
    }

    // MARK: - Start and stop

    /// Creates the sources on the connection's own queue and starts reading.
    func start() {
        queue.async { self.setUp() }
    }

    private func setUp() {
        let read = DispatchSource.makeReadSource(fileDescriptor: fd, queue: queue)
        read.setEventHandler { [self] in self.readAvailable() }
        read.setCancelHandler { [self] in self.sourceCancelled() }
        readSource = read

        let timer = DispatchSource.makeTimerSource(queue: queue)
        timer.setEventHandler { [self] in self.timerFired() }
        timer.setCancelHandler { [self] in self.sourceCancelled() }
        self.timer = timer
        pendingCancellations = 2

        arm(after: context.configuration.keepAliveIdleTimeout)
        timer.activate()
        read.activate()
        if isShuttingDown { close() }
    }

    /// Graceful shutdown: an idle connection closes now, a busy one after its response.
    func beginShutdown() {
        queue.async {
            self.isShuttingDown = true
            if self.state == .reading, self.readSource != nil { self.close() }
        }
    }

    /// Closes at once, whatever is in flight (end of the shutdown grace period).
    func forceClose() {
        queue.async { self.close() }
    }

    /// Cancels every source; the last cancel handler closes the descriptor.
    private func close() {
        guard state != .closed else { return }
        state = .closed
        output = []
        guard readSource != nil else {
            // Never set up (shutdown raced with start): no source owns the descriptor yet.
            Platform.closeDescriptor(fd)
            context.connectionClosed(self)
            return
        }
        if let readSource {
            readSource.cancel()
            if isReadSuspended {
                isReadSuspended = false
                readSource.resume()
            }
        }
        if let writeSource {
            writeSource.cancel()
            if isWriteSuspended {
                isWriteSuspended = false
                writeSource.resume()
            }
        }
        timer?.cancel()
    }

    private func sourceCancelled() {
        pendingCancellations -= 1
        guard pendingCancellations == 0 else { return }
        readSource = nil
        writeSource = nil
        timer = nil
        Platform.closeDescriptor(fd)
        context.connectionClosed(self)
    }

    // MARK: - Timer

    private func arm(after seconds: TimeInterval) {
        timer?.schedule(deadline: .now() + seconds, repeating: .never)
    }

    private func disarm() {
        timer?.schedule(deadline: .distantFuture, repeating: .never)
    }

    private func timerFired() {
        switch state {
        case .reading, .lingering, .writing:
            // Idle keep-alive, a client that never finishes its request, one that stops reading
            // our response, or a linger that took too long.
            close()
        case .processing, .closed:
            break
        }
    }

    // MARK: - Reading

    private func suspendReading() {
        guard let readSource, !isReadSuspended else { return }
        isReadSuspended = true
        readSource.suspend()
    }

    private func resumeReading() {
        guard let readSource, isReadSuspended else { return }
        isReadSuspended = false
        readSource.resume()
    }

    private func readAvailable() {
        guard state == .reading || state == .lingering else { return }
        let count = read(fd, readBuffer.baseAddress, readBuffer.count)
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
            let code = errno
            if Platform.isWouldBlock(code) || code == EINTR { return }
            close()
            return
        }
        if state == .lingering {
            lingerDiscarded += count
            if lingerDiscarded > Self.lingerByteLimit { close() }
            return
        }
        if !parser.hasBufferedBytes {
            // The first byte of a new request starts its deadline; until then the connection was idle.
            // (Separate head and body deadlines against slow clients belong here as well.)
            arm(after: context.configuration.keepAliveIdleTimeout)
        }
        parser.append(UnsafeRawBufferPointer(rebasing: readBuffer[0..<count]))
        processBufferedRequests()
    }

    /// Starts the next complete request in the parser, answers a parse error, or keeps reading.
    private func processBufferedRequests() {
        while state == .reading {
            switch parser.next() {
            case .needMoreData:
                if peerClosedInput || isShuttingDown {
                    close()
                } else {
                    resumeReading()
                }
                return
            case .continueExpected:
                send(ResponseEncoder.continueResponse)
            case .request(let request):
                startProcessing(request)
                return
            case .error(let error):
                reject(error)
                return
            }
        }
    }

    private func reject(_ error: RequestParser.ParseError) {
        context.logger.info(
            "- - \(error.status.code) rejected: \(error.reason)",
            metadata: ["status": "\(error.status.code)"]
        )
        suspendReading()
        state = .writing
        closeAfterWrite = true
        send(ResponseEncoder.errorResponse(error.status, date: context.dates.current()))
    }

    // MARK: - Handling

    private func startProcessing(_ parsed: RequestParser.ParsedRequest) {
        state = .processing
        suspendReading()
        disarm()
        let request = ServerRequest(
            head: parsed.head, body: parsed.body, remoteAddress: remoteAddress, id: RequestID.make()
        )
        let keepAlive = parsed.keepAlive
        let announceKeepAlive = parsed.version == .http10
        let context = self.context
        let accepted = context.pool.submit { [self] in
            let started = DispatchTime.now().uptimeNanoseconds
            let response = context.handler(request)
            let prepared = ResponseEncoder.prepare(response, for: request, configuration: context.configuration)
            let milliseconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1_000_000
            Self.logAccess(request, prepared, milliseconds: milliseconds, logger: context.logger)
            self.queue.async {
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
        state = .writing
        closeAfterWrite = close
        let bytes = ResponseEncoder.serialize(
            response, date: context.dates.current(), close: close, announceKeepAlive: announceKeepAlive
        )
        send(bytes)
    }

    // MARK: - Writing

    private func send(_ bytes: [UInt8]) {
        if output.isEmpty {
            output = bytes
            outputOffset = 0
        } else {
            output.append(contentsOf: bytes)
        }
        flush()
    }

    /// Writes as much as the socket takes; waits for a write event on EAGAIN.
    private func flush() {
        while outputOffset < output.count {
            let written = output.withUnsafeBytes { buffer in
                #if canImport(Glibc) || canImport(Musl)
                    let sent = Glibc.send(
                        fd, buffer.baseAddress! + outputOffset, buffer.count - outputOffset, Platform.sendFlags
                    )
                #else
                    let sent = Darwin.send(
                        fd, buffer.baseAddress! + outputOffset, buffer.count - outputOffset, Platform.sendFlags
                    )
                #endif
                return sent
            }
            if written > 0 {
                outputOffset += written
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
        output = []
        outputOffset = 0
        if let writeSource, !isWriteSuspended {
            isWriteSuspended = true
            writeSource.suspend()
        }
        finishedWriting()
    }

    private func waitUntilWritable() {
        // A client that stops reading our response gets the idle timeout, not forever.
        arm(after: context.configuration.keepAliveIdleTimeout)
        if let writeSource {
            if isWriteSuspended {
                isWriteSuspended = false
                writeSource.resume()
            }
            return
        }
        let source = DispatchSource.makeWriteSource(fileDescriptor: fd, queue: queue)
        source.setEventHandler { [self] in
            if self.state != .closed { self.flush() }
        }
        source.setCancelHandler { [self] in self.sourceCancelled() }
        writeSource = source
        pendingCancellations += 1
        source.activate()
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
        arm(after: context.configuration.keepAliveIdleTimeout)
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
        arm(after: min(Self.lingerTimeout, context.configuration.keepAliveIdleTimeout))
        resumeReading()
    }
}
