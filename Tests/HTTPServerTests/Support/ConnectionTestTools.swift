import Foundation
import Testing

@testable import HTTPServer

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Descriptor counts from `/proc` (Linux).
///
/// Tests run in parallel in one process, so the process-wide count (`openCount`) moves with other
/// tests; the per-server count (`serverSockets(port:)`) does not: it counts this process's socket
/// descriptors whose local port is the server's port, which are the listening socket and the
/// accepted connections of that one server (a client's socket has that port as its peer, not its own).
enum Descriptors {
    /// Entries of `/proc/self/fd` (the directory handle used for listing is not counted).
    static func openCount() -> Int {
        ((try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd"))?.count ?? 1) - 1
    }

    /// Sockets of this process bound to local port `port` (the server's side of its connections).
    ///
    /// Asks each socket descriptor for its own address (`getsockname`) instead of reading
    /// `/proc/net/tcp`, whose entries can be skipped while other tests change the table.
    static func serverSockets(port: Int) -> Int {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd") else { return -1 }
        var count = 0
        for entry in entries {
            guard let fd = Int32(entry),
                let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/\(entry)"),
                target.hasPrefix("socket:"), localPort(of: fd) == port
            else { continue }
            count += 1
        }
        return count
    }

    private static func localPort(of fd: Int32) -> Int? {
        var address = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let result = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard result == 0 else { return nil }
        return withUnsafePointer(to: &address) { pointer -> Int? in
            switch Int32(pointer.pointee.ss_family) {
            case AF_INET:
                return pointer.withMemoryRebound(to: sockaddr_in.self, capacity: 1) {
                    Int(UInt16(bigEndian: $0.pointee.sin_port))
                }
            case AF_INET6:
                return pointer.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) {
                    Int(UInt16(bigEndian: $0.pointee.sin6_port))
                }
            default:
                return nil
            }
        }
    }

    /// Polls (for at most `timeout` seconds) until `serverSockets(port:)` is `expected`; returns the
    /// last count seen.
    static func waitForServerSockets(port: Int, toBe expected: Int, timeout: TimeInterval = 10) -> Int {
        let deadline = Date(timeIntervalSinceNow: timeout)
        var count = serverSockets(port: port)
        while count != expected, Date() < deadline {
            Thread.sleep(forTimeInterval: 0.02)
            count = serverSockets(port: port)
        }
        return count
    }
}

/// A running server under test and the descriptor baseline taken right after it started.
struct CheckedServer {
    var server: Server
    var port: Int
    /// Server-side sockets when no client is connected (the listening socket).
    var baselineSockets: Int

    /// Waits until the server has closed every connection; true when it did within the bound.
    func serverSocketsReturnToBaseline(timeout: TimeInterval = 10) -> Bool {
        Descriptors.waitForServerSockets(port: port, toBe: baselineSockets, timeout: timeout) == baselineSockets
    }
}

/// Starts a server, runs `body`, then checks what every connection test must leave behind: a new
/// connection still gets 200 for `GET /probe`, the server's descriptors return to their baseline
/// (every connection closed, none leaked), and no descriptor was closed twice.
///
/// The handler must answer `/probe` with 200.
func withCheckedServer(
    _ configuration: Configuration = testConfiguration(),
    handler: @escaping Handler = { _ in .text("hello") },
    sourceLocation: SourceLocation = #_sourceLocation,
    _ body: (CheckedServer) throws -> Void
) throws {
    try withServer(configuration, handler: handler) { server in
        let baseline = Descriptors.serverSockets(port: server.port)
        let checked = CheckedServer(server: server, port: server.port, baselineSockets: baseline)
        try body(checked)
        // The body closed its clients; let the server see that before probing (a cap may be full).
        _ = Descriptors.waitForServerSockets(port: server.port, toBe: baseline)

        let probe = try TestClient(port: server.port)
        let response = try probe.request(get("/probe", "Connection: close\r\n"))
        #expect(response.status == 200, "a new connection is still served", sourceLocation: sourceLocation)
        probe.close()

        let settled = Descriptors.waitForServerSockets(port: server.port, toBe: baseline)
        #expect(
            settled == baseline,
            "server descriptors back to baseline; open: \(server.statistics), \(server.connectionStatistics)",
            sourceLocation: sourceLocation)
        #expect(Platform.closeFailures == 0, "no descriptor closed twice", sourceLocation: sourceLocation)
    }
}

/// Polls `condition` every 10 ms for at most `timeout` seconds; true once it holds.
func eventually(timeout: TimeInterval = 10, _ condition: () -> Bool) -> Bool {
    let deadline = Date(timeIntervalSinceNow: timeout)
    while !condition() {
        if Date() >= deadline { return false }
        Thread.sleep(forTimeInterval: 0.01)
    }
    return true
}

/// Socket-level controls the fault tests need beyond requests and responses.
extension TestClient {
    /// Half-closes: the server sees end of stream, the client can still read.
    func shutdownWrite() {
        _ = shutdown(fd, Int32(SHUT_WR))
    }

    /// Makes `close()` send a reset (`SO_LINGER` 0) instead of a FIN.
    func resetOnClose() {
        var option = linger(l_onoff: 1, l_linger: 0)
        _ = setsockopt(fd, SOL_SOCKET, SO_LINGER, &option, socklen_t(MemoryLayout<linger>.size))
    }

    func setSendBufferSize(_ size: Int32) {
        var size = size
        _ = setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, socklen_t(MemoryLayout<Int32>.size))
    }

    func setNonBlocking(_ on: Bool) {
        let flags = fcntl(fd, F_GETFL)
        _ = fcntl(fd, F_SETFL, on ? flags | O_NONBLOCK : flags & ~O_NONBLOCK)
    }

    /// One `send` without retrying: bytes sent, or -1 with `errno` (EAGAIN on a full non-blocking
    /// socket, EPIPE/ECONNRESET once the server closed).
    func sendOnce(_ bytes: ArraySlice<UInt8>) -> Int {
        bytes.withUnsafeBytes { buffer in
            #if canImport(Glibc)
                Glibc.send(fd, buffer.baseAddress!, buffer.count, Int32(MSG_NOSIGNAL))
            #else
                Darwin.send(fd, buffer.baseAddress!, buffer.count, 0)
            #endif
        }
    }

    /// Waits at most `timeout` seconds for the socket to become readable (data, end of stream or error).
    func isReadable(within timeout: TimeInterval) -> Bool {
        var entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        return poll(&entry, 1, Int32(timeout * 1000)) > 0
    }

    /// Waits at most `timeout` seconds for the socket to accept more bytes.
    func isWritable(within timeout: TimeInterval) -> Bool {
        var entry = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
        return poll(&entry, 1, Int32(timeout * 1000)) > 0 && entry.revents & Int16(POLLOUT) != 0
    }

    /// Reads raw bytes until end of stream or reset (or the client's read timeout); returns how many
    /// arrived, ignoring anything `readResponse` had buffered.
    func drainRaw() -> Int {
        var total = 0
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count > 0 {
                total += count
                continue
            }
            if count < 0, errno == EINTR { continue }
            return total
        }
    }
}

/// A request handler that counts requests other than the checker's `/probe`.
final class RequestCounter: @unchecked Sendable {
    // `lock` guards `count`.
    private let lock = NSLock()
    private var count = 0

    var value: Int {
        lock.lock()
        defer { lock.unlock() }
        return count
    }

    /// Counts `request` unless it is the probe.
    func record(_ request: ServerRequest) {
        guard request.path != "/probe" else { return }
        lock.lock()
        count += 1
        lock.unlock()
    }
}

/// A response body of `count` bytes that starts with `tag` (so a test can tell responses apart) and
/// is not compressed.
func taggedResponse(_ tag: String, count: Int) -> ServerResponse {
    let tagBytes = Array(tag.utf8)
    var body = [UInt8](repeating: UInt8(ascii: "."), count: max(count, tagBytes.count))
    body.replaceSubrange(0..<tagBytes.count, with: tagBytes)
    return ServerResponse(status: .ok, body: body, isCompressible: false)
}
