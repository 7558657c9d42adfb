import Foundation
import HTTPServer

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A parsed response as the raw client saw it.
struct TestResponse {
    var status: Int
    var reason: String
    /// Fields in wire order, names as sent.
    var headers: [(name: String, value: String)]
    var body: [UInt8]

    /// The first value of a field, case-insensitive name.
    func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    /// All values of a field, case-insensitive name.
    func headers(_ name: String) -> [String] {
        headers.filter { $0.name.lowercased() == name.lowercased() }.map(\.value)
    }

    var text: String { String(decoding: body, as: UTF8.self) }
}

enum TestClientError: Error, CustomStringConvertible {
    case connect(Int32)
    case timeout
    case closedEarly
    case malformed(String)
    case send(Int32)

    var description: String {
        switch self {
        case .connect(let code): return "connect failed: errno \(code)"
        case .timeout: return "timed out waiting for the server"
        case .closedEarly: return "server closed the connection before a complete response"
        case .malformed(let text): return "malformed response: \(text)"
        case .send(let code): return "send failed: errno \(code)"
        }
    }
}

/// A blocking raw-socket HTTP client with a deadline on every read, for tests only.
///
/// It sends exactly the bytes it is given and parses responses by `Content-Length`, so tests see
/// what the server put on the wire. Closes its socket in `close()` or `deinit`.
final class TestClient {
    private(set) var fd: Int32 = -1
    private var buffer: [UInt8] = []
    private var chunk = [UInt8](repeating: 0, count: 64 * 1024)
    /// How long one read may wait; generous, it only prevents hangs.
    static let timeout: TimeInterval = 10

    /// Connects; `receiveBufferSize` shrinks the socket's receive buffer (to force partial writes).
    init(port: Int, host: String = "127.0.0.1", receiveBufferSize: Int32? = nil) throws {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        #if os(Linux)
            hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        #else
            hints.ai_socktype = SOCK_STREAM
        #endif
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &list) == 0, let info = list else {
            throw TestClientError.connect(-1)
        }
        defer { freeaddrinfo(list) }
        let socketFD = socket(info.pointee.ai_family, info.pointee.ai_socktype, 0)
        guard socketFD >= 0 else { throw TestClientError.connect(errno) }
        var time = timeval(tv_sec: Int(Self.timeout), tv_usec: 0)
        setsockopt(socketFD, SOL_SOCKET, SO_RCVTIMEO, &time, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(socketFD, SOL_SOCKET, SO_SNDTIMEO, &time, socklen_t(MemoryLayout<timeval>.size))
        if var size = receiveBufferSize {
            setsockopt(socketFD, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        }
        guard connect(socketFD, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0 else {
            let code = errno
            _ = Glibc.close(socketFD)
            throw TestClientError.connect(code)
        }
        fd = socketFD
    }

    deinit { close() }

    func close() {
        if fd >= 0 {
            _ = Glibc.close(fd)
            fd = -1
        }
    }

    func send(_ text: String) throws {
        try send(Array(text.utf8))
    }

    func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes.withUnsafeBytes {
                Glibc.send(fd, $0.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL))
            }
            guard sent > 0 else { throw TestClientError.send(errno) }
            offset += sent
        }
    }

    /// Reads more bytes into the buffer; false at end of stream.
    private func fill() throws -> Bool {
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count > 0 {
                chunk.withUnsafeBytes { buffer.append(contentsOf: $0[0..<count]) }
                return true
            }
            if count == 0 { return false }
            let code = errno
            if code == EINTR { continue }
            if code == EAGAIN || code == EWOULDBLOCK { throw TestClientError.timeout }
            if code == ECONNRESET { return false }
            throw TestClientError.malformed("read errno \(code)")
        }
    }

    /// Reads one complete response. `bodyless` for answers to HEAD (no body despite Content-Length).
    func readResponse(bodyless: Bool = false) throws -> TestResponse {
        var headEnd: Int?
        var searched = 0
        while headEnd == nil {
            headEnd = buffer.withUnsafeBufferPointer { bytes in
                var index = max(0, searched - 3)
                while index + 3 < bytes.count {
                    if bytes[index] == 13, bytes[index + 1] == 10, bytes[index + 2] == 13, bytes[index + 3] == 10 {
                        return index
                    }
                    index += 1
                }
                return nil
            }
            if headEnd != nil { break }
            searched = buffer.count
            guard try fill() else { throw TestClientError.closedEarly }
        }
        let head = String(decoding: buffer[0..<headEnd!], as: UTF8.self)
        buffer.removeSubrange(0..<(headEnd! + 4))
        var lines = head.components(separatedBy: "\r\n")
        let statusLine = lines.removeFirst()
        let parts = statusLine.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count >= 2, parts[0] == "HTTP/1.1", let status = Int(parts[1]) else {
            throw TestClientError.malformed(statusLine)
        }
        var headers: [(String, String)] = []
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { throw TestClientError.malformed(line) }
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            headers.append((String(line[..<colon]), value))
        }
        var response = TestResponse(
            status: status, reason: parts.count > 2 ? String(parts[2]) : "", headers: headers, body: []
        )
        if status == 100 { return response }
        let noBody = bodyless || status == 204 || status == 304
        if !noBody {
            if let lengthText = response.header("Content-Length") {
                guard let length = Int(lengthText) else { throw TestClientError.malformed(lengthText) }
                while buffer.count < length {
                    guard try fill() else { throw TestClientError.closedEarly }
                }
                response.body = Array(buffer[0..<length])
                buffer.removeSubrange(0..<length)
            } else {
                while try fill() {}
                response.body = buffer
                buffer = []
            }
        }
        return response
    }

    /// Sends a request and reads its response.
    func request(_ text: String, bodyless: Bool = false) throws -> TestResponse {
        try send(text)
        return try readResponse(bodyless: bodyless)
    }

    /// True when the server closes the connection (end of stream or reset) with no further bytes
    /// before the deadline; false if bytes arrive; throws on timeout.
    func waitForClose() throws -> Bool {
        guard buffer.isEmpty else { return false }
        return try !fill()
    }

    /// Bytes received but not yet consumed by `readResponse` (should be empty after HEAD).
    var unreadBytes: [UInt8] { buffer }
}

/// `GET` request text with `Host` and optional extra header lines.
func get(_ path: String, _ extra: String = "", method: String = "GET") -> String {
    "\(method) \(path) HTTP/1.1\r\nHost: test\r\n\(extra)\r\n"
}
