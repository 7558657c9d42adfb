import Dispatch
import Foundation
import Logging

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Application code: turns a complete request into a response. Synchronous; it runs on one of the
/// server's worker threads, never on the I/O path, so it may block on a database or render a page.
public typealias Handler = @Sendable (ServerRequest) -> ServerResponse

/// Answers the requests it can answer without blocking (from memory, at most a `stat`) on the
/// connection's own thread, sparing them the hand-over to a worker and back; nil sends the request to
/// the worker pool and the `Handler`. It must never wait: a slow answer here delays every connection.
public typealias QuickHandler = @Sendable (ServerRequest) -> ServerResponse?

/// Why the server could not start.
public enum ServerError: Error, Sendable, CustomStringConvertible, LocalizedError {
    /// `start()` was called on a server that is running or was already stopped.
    case alreadyStarted
    /// The host name did not resolve to an address.
    case addressResolution(host: String, port: Int, reason: String)
    /// A socket could not be created or configured.
    case socket(address: String, port: Int, reason: String)
    /// The address could not be bound (in use, not local, no permission).
    case bind(address: String, port: Int, reason: String)
    /// `listen` failed on a bound socket.
    case listen(address: String, port: Int, reason: String)

    /// A sentence naming the address and the system's reason.
    public var description: String {
        switch self {
        case .alreadyStarted:
            return "The HTTP server was already started."
        case .addressResolution(let host, let port, let reason):
            return "Cannot resolve \(host) (port \(port)): \(reason)"
        case .socket(let address, let port, let reason):
            return "Cannot create a socket for \(Self.endpoint(address, port)): \(reason)"
        case .bind(let address, let port, let reason):
            return "Cannot bind \(Self.endpoint(address, port)): \(reason)"
        case .listen(let address, let port, let reason):
            return "Cannot listen on \(Self.endpoint(address, port)): \(reason)"
        }
    }

    /// Same as ``description``, for `localizedDescription`.
    public var errorDescription: String? { description }

    private static func endpoint(_ address: String, _ port: Int) -> String {
        address.contains(":") ? "[\(address)]:\(port)" : "\(address):\(port)"
    }
}

/// An HTTP/1.1 server on POSIX sockets and Dispatch.
///
/// Accepting and all socket I/O happen on Dispatch queues (one serial queue per connection);
/// handlers run on a fixed pool of `configuration.workerCount` threads. See `docs/HTTP.md` for the
/// limits, keep-alive, gzip and shutdown rules.
///
/// ```swift
/// let server = Server(configuration: Configuration(port: 8080), logger: logger) { request in
///     .text("Hallo")
/// }
/// try server.start()
/// server.runUntilTerminated()
/// ```
public final class Server: Sendable {
    private let core: ServerCore

    /// Creates a stopped server; nothing is bound until ``start()``.
    public init(
        configuration: Configuration, logger: Logger, quickHandler: QuickHandler? = nil,
        handler: @escaping Handler
    ) {
        core = ServerCore(configuration: configuration, logger: logger, quickHandler: quickHandler, handler: handler)
    }

    /// Binds and listens on every address of `configuration.host` (an IPv4 or IPv6 literal, or a name
    /// such as `localhost` that may resolve to both), then begins accepting. Ignores `SIGPIPE`
    /// process-wide. Throws ``ServerError`` with the address and the system's reason on failure.
    public func start() throws {
        try core.start()
    }

    /// The bound port (the kernel's choice when the configuration asked for port 0); 0 before
    /// ``start()``.
    public var port: Int {
        core.port
    }

    /// Stops gracefully: closes the listening sockets (new connections are refused), lets requests in
    /// flight finish and write their responses (with `Connection: close`), closes idle keep-alive
    /// connections, and returns when all connections are closed or after
    /// `configuration.shutdownGracePeriod`, when the remaining ones are closed forcibly. Calling it
    /// again, or concurrently, waits for the first call to finish.
    public func shutdown() {
        core.shutdown()
    }

    /// Blocks until ``shutdown()`` has completed (returns at once if the server never started).
    public func waitUntilStopped() {
        core.waitUntilStopped()
    }

    /// Serves until the process receives SIGTERM or SIGINT, then shuts down gracefully and returns,
    /// so that `main` can exit with status 0. Call ``start()`` first.
    ///
    /// The signals' default actions are disabled (`SIG_IGN`) and Dispatch signal sources observe
    /// them instead.
    public func runUntilTerminated() {
        signal(SIGTERM, SIG_IGN)
        signal(SIGINT, SIG_IGN)
        let queue = DispatchQueue(label: "http.signals")
        let sources = [SIGTERM, SIGINT].map { number in
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler { [self] in
                core.logger.info("Received signal \(number), shutting down")
                shutdown()
            }
            source.activate()
            return source
        }
        waitUntilStopped()
        for source in sources { source.cancel() }
    }

    /// Counters for tests (open connections, accept failures, input held per connection).
    var statistics: ServerStatistics {
        core.statistics()
    }

    /// Per-connection counters for tests.
    var connectionStatistics: [Connection.Statistics] {
        core.connectionStatistics()
    }
}

/// What tests may observe about a running server.
struct ServerStatistics: Sendable {
    /// Connections being served (at most `maxConnections`).
    var openConnections: Int
    /// Connections past the cap that are being answered 503.
    var overloadConnections: Int
    /// `accept` calls that failed with something other than "try again" (EMFILE, ENFILE, ENOMEM …).
    var acceptFailures: Int
    /// Whether accepting is paused right now (after a failure, or at the connection cap).
    var isAcceptPaused: Bool
}

/// A listening socket and its accept source.
///
/// `@unchecked Sendable`: `isSuspended` and the source's suspend/resume/cancel calls are confined
/// to the server's accept queue.
final class Listener: @unchecked Sendable {
    let fd: Int32
    let source: any DispatchSourceRead
    var isSuspended = false

    init(fd: Int32, source: any DispatchSourceRead) {
        self.fd = fd
        self.source = source
    }
}

/// The server's mutable state and its machinery.
///
/// `@unchecked Sendable`: the fields between `condition` and the accept-queue section are read and
/// written only while holding it; the `Listener` objects and the fields of the accept-queue section
/// are touched only on `acceptQueue`.
///
/// Connection cap: up to `maxConnections` connections are served. Past it, up to
/// ``overloadLimit`` more are accepted only to answer 503 (with `Retry-After`) and close; past that
/// too, accepting pauses until a connection closes, and new clients wait in the kernel's backlog.
final class ServerCore: @unchecked Sendable {
    enum Phase {
        case idle
        case running
        case stopping
        case stopped
    }

    let configuration: Configuration
    let logger: Logger
    let handler: Handler
    let quickHandler: QuickHandler?
    private let acceptQueue = DispatchQueue(label: "http.accept")

    private let condition = NSCondition()
    private var phase = Phase.idle
    private var listeners: [Listener] = []
    private var connections: [ObjectIdentifier: Connection] = [:]
    /// Connections accepted past the cap, answering 503.
    private var overloadConnections: [ObjectIdentifier: Connection] = [:]
    /// Accepting is paused because both the cap and the overload allowance are used up.
    private var isPausedAtCapacity = false
    private var boundPort = 0
    private var pool: WorkerPool?
    private var context: ServerContext?

    // Accept-queue section.
    /// Accepting is paused after a failure (EMFILE, ENFILE, ENOMEM …) until `acceptRetryDelay` passes.
    private var isPausedAfterFailure = false
    private var failurePauseGeneration = 0
    private var acceptFailures = 0
    /// Failures since the last successful accept, and when the last one was logged.
    private var failureStreak = 0
    private var lastFailureLog: DispatchTime?
    private var lastCapacityLog: DispatchTime?

    /// How long accepting pauses after a failed `accept` that is not "try again".
    static let acceptRetryDelay: TimeInterval = 0.1
    /// During a streak of accept failures, one log line at most this often.
    static let acceptFailureLogInterval: TimeInterval = 10

    /// Connections accepted past `maxConnections` only to be answered 503.
    var overloadLimit: Int {
        max(8, configuration.maxConnections / 8)
    }

    init(configuration: Configuration, logger: Logger, quickHandler: QuickHandler?, handler: @escaping Handler) {
        self.configuration = configuration
        self.logger = logger
        self.handler = handler
        self.quickHandler = quickHandler
    }

    var port: Int {
        condition.lock()
        defer { condition.unlock() }
        return boundPort
    }

    // MARK: - Start

    func start() throws {
        condition.lock()
        guard phase == .idle else {
            condition.unlock()
            throw ServerError.alreadyStarted
        }
        phase = .running  // reserves the server; reset below if binding fails
        condition.unlock()

        // A write to a socket the peer closed must be an EPIPE error, never a process-killing signal.
        signal(SIGPIPE, SIG_IGN)

        let bound: (fds: [Int32], port: Int)
        do {
            bound = try bindListeningSockets()
        } catch {
            condition.lock()
            phase = .idle
            condition.unlock()
            throw error
        }

        let events: EventLoop
        do {
            events = try EventLoop()
        } catch {
            for fd in bound.fds { Platform.closeDescriptor(fd) }
            condition.lock()
            phase = .idle
            condition.unlock()
            throw error
        }
        events.start()
        let pool = WorkerPool(count: configuration.workerCount, name: "http-worker")
        pool.start()
        let context = ServerContext(
            configuration: configuration, logger: logger, handler: handler, quickHandler: quickHandler, pool: pool,
            events: events,
            connectionClosed: { [weak self] connection in self?.remove(connection) }
        )
        let listeners = bound.fds.map { fd in
            let source = DispatchSource.makeReadSource(fileDescriptor: fd, queue: acceptQueue)
            let listener = Listener(fd: fd, source: source)
            source.setEventHandler { [weak self, listener] in self?.acceptConnections(on: listener) }
            return listener
        }

        condition.lock()
        self.pool = pool
        self.context = context
        self.listeners = listeners
        self.boundPort = bound.port
        condition.unlock()
        for listener in listeners { listener.source.activate() }
        logger.debug("HTTP server listening on \(configuration.host) port \(bound.port)")
    }

    private func bindListeningSockets() throws -> (fds: [Int32], port: Int) {
        let host = configuration.host
        var hints = addrinfo()
        hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Platform.plainStreamType
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(configuration.port), &hints, &list)
        guard status == 0, let list else {
            let reason = status == 0 ? "no address" : String(cString: gai_strerror(status))
            throw ServerError.addressResolution(host: host, port: configuration.port, reason: reason)
        }
        defer { freeaddrinfo(list) }

        var addresses: [sockaddr_storage] = []
        var seen = Set<String>()
        var cursor: UnsafeMutablePointer<addrinfo>? = list
        while let info = cursor {
            cursor = info.pointee.ai_next
            guard let raw = info.pointee.ai_addr else { continue }
            var storage = sockaddr_storage()
            withUnsafeMutableBytes(of: &storage) { target in
                target.copyMemory(
                    from: UnsafeRawBufferPointer(start: raw, count: min(Int(info.pointee.ai_addrlen), target.count))
                )
            }
            let key = "\(storage.ss_family)-\(Platform.hostText(storage))"
            if seen.insert(key).inserted { addresses.append(storage) }
        }

        var fds: [Int32] = []
        var port = configuration.port
        for (index, address) in addresses.enumerated() {
            do {
                let fd = try openListeningSocket(address, port: port, dualStackAllowed: addresses.count == 1)
                if port == 0 { port = Platform.boundPort(fd) ?? 0 }
                fds.append(fd)
            } catch {
                // The first address is the one the host names; later ones (IPv6 `::1` beside
                // `127.0.0.1` for `localhost`) are a convenience and may be unavailable.
                if index == 0 { throw error }
                logger.warning("Skipping an address of \(host): \(error)")
            }
        }
        return (fds, port)
    }

    private func openListeningSocket(_ address: sockaddr_storage, port: Int, dualStackAllowed: Bool) throws -> Int32 {
        var address = address
        let text = Platform.hostText(address)
        let family = Int32(address.ss_family)
        let fd = socket(family, Platform.streamSocketType, 0)
        guard fd >= 0 else {
            throw ServerError.socket(address: text, port: port, reason: Platform.errorText(errno))
        }
        Platform.setOption(fd, SOL_SOCKET, SO_REUSEADDR, 1)
        if family == AF_INET6 {
            Platform.setOption(fd, Int32(IPPROTO_IPV6), IPV6_V6ONLY, dualStackAllowed ? 0 : 1)
        }
        let length: socklen_t
        switch family {
        case AF_INET:
            length = socklen_t(MemoryLayout<sockaddr_in>.size)
            withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee.sin_port = UInt16(port).bigEndian }
            }
        default:
            length = socklen_t(MemoryLayout<sockaddr_in6>.size)
            withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) {
                    $0.pointee.sin6_port = UInt16(port).bigEndian
                }
            }
        }
        let bindResult = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        guard bindResult == 0 else {
            let reason = Platform.errorText(errno)
            Platform.closeDescriptor(fd)
            throw ServerError.bind(address: text, port: port, reason: reason)
        }
        guard listen(fd, 511) == 0 else {
            let reason = Platform.errorText(errno)
            Platform.closeDescriptor(fd)
            throw ServerError.listen(address: text, port: port, reason: reason)
        }
        guard Platform.setNonBlocking(fd) else {
            let reason = Platform.errorText(errno)
            Platform.closeDescriptor(fd)
            throw ServerError.socket(address: text, port: port, reason: reason)
        }
        return fd
    }

    // MARK: - Accepting

    enum Slot {
        case regular
        case overload
    }

    /// Runs on `acceptQueue` whenever a listening socket is readable.
    private func acceptConnections(on listener: Listener) {
        guard let context = currentContext(), !isPausedAfterFailure else { return }
        // A bounded batch, so one busy listener cannot starve the queue.
        for _ in 0..<64 {
            guard let slot = freeSlot() else {
                if isDue(&lastCapacityLog) {
                    logger.warning(
                        "Connection cap of \(configuration.maxConnections) reached; accepting paused until one closes"
                    )
                }
                updateListeners()
                return
            }
            var address = sockaddr_storage()
            let client = Platform.acceptNonBlocking(listener.fd, &address)
            if client < 0 {
                let code = errno
                if Platform.isWouldBlock(code) { return }
                // Errors of the pending connection itself (Linux passes network errors through):
                // that one is gone, the next may be fine.
                if Self.isTransientAcceptError(code) { continue }
                // Out of descriptors or memory: the socket stays readable, so pause instead of spinning.
                acceptFailed(code)
                return
            }
            if failureStreak > 0 {
                logger.notice("Accepting again after \(failureStreak) failed attempt(s)")
                failureStreak = 0
            }
            Platform.setOption(client, Int32(IPPROTO_TCP), Int32(TCP_NODELAY), 1)
            let connection = Connection(
                fd: client, remoteAddress: Platform.hostText(address), context: context,
                isOverload: slot == .overload
            )
            guard register(connection) else {
                Platform.closeDescriptor(client)
                return
            }
            connection.start()
        }
    }

    private static func isTransientAcceptError(_ code: Int32) -> Bool {
        switch code {
        case EINTR, ECONNABORTED, EPROTO, ENETDOWN, ENOPROTOOPT, EHOSTDOWN, EHOSTUNREACH, EOPNOTSUPP, ENETUNREACH:
            return true
        default:
            #if os(Linux)
                return code == ENONET
            #else
                return false
            #endif
        }
    }

    /// Pauses every listener for `acceptRetryDelay`; logs the first failure of a streak and then at
    /// most one line per `acceptFailureLogInterval`.
    private func acceptFailed(_ code: Int32) {
        acceptFailures += 1
        failureStreak += 1
        if failureStreak == 1 { lastFailureLog = nil }
        if isDue(&lastFailureLog) {
            let streak = failureStreak > 1 ? " (\(failureStreak) failures in a row)" : ""
            logger.error(
                "accept failed: \(Platform.errorText(code)); pausing accepts for \(Self.acceptRetryDelay) s\(streak)"
            )
        }
        isPausedAfterFailure = true
        failurePauseGeneration += 1
        let generation = failurePauseGeneration
        updateListeners()
        acceptQueue.asyncAfter(deadline: .now() + Self.acceptRetryDelay) { [weak self] in
            guard let self, generation == self.failurePauseGeneration else { return }
            self.isPausedAfterFailure = false
            self.updateListeners()
        }
    }

    /// Rate limit for log lines about a lasting condition: true (and `last` set to now) when the
    /// previous line is `acceptFailureLogInterval` old, or there was none.
    private func isDue(_ last: inout DispatchTime?) -> Bool {
        let now = DispatchTime.now()
        let interval = UInt64(Self.acceptFailureLogInterval * 1_000_000_000)
        if let previous = last, now.uptimeNanoseconds < previous.uptimeNanoseconds + interval { return false }
        last = now
        return true
    }

    /// Suspends or resumes the accept sources to match the pause flags. Runs on `acceptQueue`.
    private func updateListeners() {
        condition.lock()
        let listeners = self.listeners
        let paused = isPausedAtCapacity || isPausedAfterFailure
        condition.unlock()
        for listener in listeners where !listener.source.isCancelled {
            if paused, !listener.isSuspended {
                listener.isSuspended = true
                listener.source.suspend()
            } else if !paused, listener.isSuspended {
                listener.isSuspended = false
                listener.source.resume()
            }
        }
    }

    /// The slot a new connection would take, or nil (and `isPausedAtCapacity` set) when there is none.
    private func freeSlot() -> Slot? {
        condition.lock()
        defer { condition.unlock() }
        if connections.count < max(1, configuration.maxConnections) { return .regular }
        if overloadConnections.count < overloadLimit { return .overload }
        isPausedAtCapacity = true
        return nil
    }

    private func currentContext() -> ServerContext? {
        condition.lock()
        defer { condition.unlock() }
        return phase == .running ? context : nil
    }

    private func register(_ connection: Connection) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        guard phase == .running else { return false }
        if connection.isOverload {
            overloadConnections[ObjectIdentifier(connection)] = connection
        } else {
            connections[ObjectIdentifier(connection)] = connection
        }
        return true
    }

    private func remove(_ connection: Connection) {
        condition.lock()
        if connection.isOverload {
            overloadConnections[ObjectIdentifier(connection)] = nil
        } else {
            connections[ObjectIdentifier(connection)] = nil
        }
        let resume = isPausedAtCapacity
        isPausedAtCapacity = false
        condition.broadcast()
        condition.unlock()
        if resume {
            acceptQueue.async { [weak self] in self?.updateListeners() }
        }
    }

    // MARK: - Statistics

    func statistics() -> ServerStatistics {
        let failures = acceptQueue.sync { (acceptFailures, isPausedAfterFailure) }
        condition.lock()
        defer { condition.unlock() }
        return ServerStatistics(
            openConnections: connections.count, overloadConnections: overloadConnections.count,
            acceptFailures: failures.0, isAcceptPaused: failures.1 || isPausedAtCapacity
        )
    }

    func connectionStatistics() -> [Connection.Statistics] {
        condition.lock()
        let open = Array(connections.values)
        condition.unlock()
        return open.map { $0.statistics() }
    }

    // MARK: - Shutdown

    func shutdown() {
        let deadline = Date(timeIntervalSinceNow: configuration.shutdownGracePeriod)
        condition.lock()
        switch phase {
        case .idle:
            phase = .stopped
            condition.broadcast()
            condition.unlock()
            return
        case .stopping, .stopped:
            condition.unlock()
            waitUntilStopped()
            return
        case .running:
            break
        }
        phase = .stopping
        let listeners = self.listeners
        let open = Array(connections.values) + Array(overloadConnections.values)
        let pool = self.pool
        let events = context?.events
        self.listeners = []
        context?.isShuttingDown.set()
        condition.unlock()
        logger.info("HTTP server shutting down: \(open.count) open connection(s)")

        // 1. Stop accepting. Waiting for the cancel handlers means the listening descriptors are
        //    closed when we go on, so new connection attempts are refused from here on.
        let closed = DispatchGroup()
        for listener in listeners {
            closed.enter()
            acceptQueue.async {
                // The cancel handler is the only place a listening descriptor is closed.
                listener.source.setCancelHandler { [fd = listener.fd] in
                    Platform.closeDescriptor(fd)
                    closed.leave()
                }
                listener.source.cancel()
                if listener.isSuspended {
                    listener.isSuspended = false
                    listener.source.resume()
                }
            }
        }
        _ = closed.wait(timeout: .now() + 2)

        // 2. Idle connections close now; busy ones after writing their response.
        for connection in open { connection.beginShutdown() }

        // 3. Wait for them within the grace period, then close the rest forcibly.
        condition.lock()
        while !connections.isEmpty || !overloadConnections.isEmpty, condition.wait(until: deadline) {}
        let remaining = Array(connections.values) + Array(overloadConnections.values)
        condition.unlock()
        if !remaining.isEmpty {
            logger.warning("Shutdown grace period over; closing \(remaining.count) connection(s)")
            for connection in remaining { connection.forceClose() }
            condition.lock()
            let forceDeadline = Date(timeIntervalSinceNow: 0.5)
            while !connections.isEmpty || !overloadConnections.isEmpty, condition.wait(until: forceDeadline) {}
            condition.unlock()
        }
        pool?.stop(timeout: 0.5)
        events?.stop()

        condition.lock()
        phase = .stopped
        self.pool = nil
        self.context = nil
        condition.broadcast()
        condition.unlock()
        logger.info("HTTP server stopped")
    }

    func waitUntilStopped() {
        condition.lock()
        while phase == .running || phase == .stopping { condition.wait() }
        condition.unlock()
    }

}
