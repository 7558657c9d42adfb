import Foundation
import HTTPTypes

/// A handler's response after the server's rules were applied, ready to be framed on the wire.
struct PreparedResponse: Sendable {
    var status: HTTPResponse.Status
    /// Empty when `serializedHead` holds the fields.
    var headerFields: HTTPFields
    /// What goes on the wire after the head: empty for HEAD, 1xx, 204 and 304.
    var body: [UInt8]
    /// Bytes of the representation (for the access log; a HEAD reports what GET would send).
    var contentLength: Int
    /// Status line and fields in wire form (``ReusableResponse``); `requestID` then follows them.
    var serializedHead: [UInt8]? = nil
    var requestID: String? = nil
}

/// Applies the server's response rules and serialises responses. Pure functions; the expensive part
/// (``prepare(_:for:configuration:)`` with gzip) runs on a worker, ``serializeHead`` on the I/O queue.
enum ResponseEncoder {
    static let requestIDField = HTTPField.Name("X-Request-Id")!
    private static let keepAliveField = HTTPField.Name("Keep-Alive")!

    /// Fields the server owns; whatever a handler put there is replaced.
    private static func isServerOwned(_ name: HTTPField.Name) -> Bool {
        name == .connection || name == .contentLength || name == .transferEncoding || name == .date
            || name == keepAliveField || name == requestIDField
    }

    /// The compression settings the rules need.
    struct Rules {
        var gzipLevel: Int32
        var gzipMinimumLength: Int

        init(gzipLevel: Int32, gzipMinimumLength: Int) {
            self.gzipLevel = gzipLevel
            self.gzipMinimumLength = gzipMinimumLength
        }

        init(_ configuration: Configuration) {
            self.init(gzipLevel: configuration.gzipLevel, gzipMinimumLength: configuration.gzipMinimumLength)
        }
    }

    /// Adds `Content-Type`, `Content-Length`, `X-Request-Id`, `Vary` and gzip as the rules say. A
    /// response with a serialised head is taken as it is: its rules were applied when it was made.
    static func prepare(
        _ response: ServerResponse, for request: ServerRequest, configuration: Configuration
    ) -> PreparedResponse {
        let isHead = request.head.method == .head
        if let head = response.serializedHead {
            return PreparedResponse(
                status: response.status, headerFields: HTTPFields(), body: isHead ? [] : response.body,
                contentLength: head.contentLength, serializedHead: head.bytes, requestID: request.id)
        }
        var prepared = applyRules(
            response, isHead: isHead,
            acceptsGzip: Gzip.acceptsGzip(request.head.headerFields[values: .acceptEncoding]),
            rules: Rules(configuration))
        prepared.headerFields[requestIDField] = request.id
        if isHead { prepared.body = [] }
        return prepared
    }

    /// The rules without the per-request id: server-owned fields dropped, `Content-Type` defaulted,
    /// gzip with `Vary: Accept-Encoding` where allowed, `Content-Length`. The body is kept for HEAD.
    static func applyRules(
        _ response: ServerResponse, isHead: Bool, acceptsGzip: @autoclosure () -> Bool, rules: Rules
    ) -> PreparedResponse {
        let status = response.status
        var fields = HTTPFields()
        fields.reserveCapacity(response.headerFields.count + 5)
        for field in response.headerFields where !isServerOwned(field.name) {
            fields.append(field)
        }
        var body = response.body
        var contentLength = 0
        // RFC 9110 §6.4.1: 1xx, 204 and 304 never have content and 204 must not carry a length.
        let isBodyless = status.code < 200 || status.code == 204 || status.code == 304
        if isBodyless {
            body = []
        } else {
            if fields[.contentType] == nil, !body.isEmpty {
                fields[.contentType] = "application/octet-stream"
            }
            if response.isCompressible, !fields.contains(.contentEncoding), let type = fields[.contentType],
                Gzip.isCompressible(contentType: type)
            {
                addVaryAcceptEncoding(&fields)
                if body.count >= rules.gzipMinimumLength, acceptsGzip(),
                    let compressed = Gzip.compress(body, level: rules.gzipLevel),
                    compressed.count < body.count
                {
                    body = compressed
                    fields[.contentEncoding] = "gzip"
                }
            }
            contentLength = body.count
            // A HEAD handler may skip producing the body and state its length itself.
            if isHead, body.isEmpty, let stated = response.headerFields[.contentLength],
                let length = Int(stated), length >= 0
            {
                contentLength = length
            }
            fields[.contentLength] = String(contentLength)
        }
        return PreparedResponse(status: status, headerFields: fields, body: body, contentLength: contentLength)
    }

    static func addVaryAcceptEncoding(_ fields: inout HTTPFields) {
        let existing = fields[values: .vary]
        let tokens = HTTPSyntax.connectionTokens(existing)
        if tokens.contains("accept-encoding") || tokens.contains("*") { return }
        fields.append(HTTPField(name: .vary, value: "Accept-Encoding"))
    }

    /// The wire form of the head: status line, `Date`, the prepared fields (or the serialised head and the
    /// request id), `Connection`, up to and including the empty line. The body goes out from its own
    /// buffer (`Connection` sends both with one `sendmsg`).
    static func serializeHead(
        _ response: PreparedResponse, date: String, close: Bool, announceKeepAlive: Bool
    ) -> [UInt8] {
        var out: [UInt8] = []
        if let head = response.serializedHead {
            out.reserveCapacity(head.count + 96)
            out.append(contentsOf: head)
            appendField("Date", date, to: &out)
            if let id = response.requestID { appendField("X-Request-Id", id, to: &out) }
        } else {
            out.reserveCapacity(256 + response.headerFields.count * 32)
            appendStatusLine(response.status, to: &out)
            appendField("Date", date, to: &out)
            appendFields(response.headerFields, to: &out)
        }
        if close {
            appendField("Connection", "close", to: &out)
        } else if announceKeepAlive {
            appendField("Connection", "keep-alive", to: &out)
        }
        out.append(0x0D)
        out.append(0x0A)
        return out
    }

    static func appendFields(_ fields: HTTPFields, to out: inout [UInt8]) {
        for field in fields {
            out.append(contentsOf: field.name.rawName.utf8)
            out.append(UInt8(ascii: ":"))
            out.append(UInt8(ascii: " "))
            field.withUnsafeBytesOfValue { out.append(contentsOf: $0) }
            out.append(0x0D)
            out.append(0x0A)
        }
    }

    /// The fixed response for a rejected request (also 408 after a deadline and 503 past the
    /// connection cap): a short text body and `Connection: close`. `extraFields` (such as
    /// `Retry-After`) come before `Connection`.
    static func errorResponse(
        _ status: HTTPResponse.Status, date: String, extraFields: [(name: String, value: String)] = []
    ) -> [UInt8] {
        let body = "\(status.code) \(status.reasonPhrase)\n"
        var out: [UInt8] = []
        appendStatusLine(status, to: &out)
        appendField("Date", date, to: &out)
        appendField("Content-Type", "text/plain; charset=utf-8", to: &out)
        appendField("Content-Length", String(body.utf8.count), to: &out)
        for field in extraFields {
            appendField(field.name, field.value, to: &out)
        }
        appendField("Connection", "close", to: &out)
        out.append(0x0D)
        out.append(0x0A)
        out.append(contentsOf: body.utf8)
        return out
    }

    /// `HTTP/1.1 100 Continue` and an empty line.
    static let continueResponse: [UInt8] = Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)

    static func appendStatusLine(_ status: HTTPResponse.Status, to out: inout [UInt8]) {
        out.append(contentsOf: "HTTP/1.1 ".utf8)
        out.append(contentsOf: String(status.code).utf8)
        out.append(UInt8(ascii: " "))
        out.append(contentsOf: status.reasonPhrase.utf8)
        out.append(0x0D)
        out.append(0x0A)
    }

    private static func appendField(_ name: String, _ value: String, to out: inout [UInt8]) {
        out.append(contentsOf: name.utf8)
        out.append(contentsOf: ": ".utf8)
        out.append(contentsOf: value.utf8)
        out.append(0x0D)
        out.append(0x0A)
    }
}

/// Short random request ids: 12 characters from a 32-letter alphabet (60 random bits).
enum RequestID {
    private static let alphabet = Array("0123456789abcdefghjkmnpqrstvwxyz".utf8)
    private static let counter = Counter()

    /// Unique within a process and unpredictable across processes, without a system call per request
    /// (`SystemRandomNumberGenerator` asks the kernel each time): a counter started at a random value,
    /// scrambled by SplitMix64's finaliser, a bijection, so distinct counters give distinct ids.
    static func make() -> String {
        var value = scrambled(counter.next())
        var bytes = [UInt8](repeating: 0, count: 12)
        for index in 0..<12 {
            bytes[index] = alphabet[Int(value & 31)]
            value >>= 5
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    static func scrambled(_ input: UInt64) -> UInt64 {
        var z = input &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// `@unchecked Sendable`: `next` is guarded by `lock`.
    private final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var current: UInt64 = {
            var generator = SystemRandomNumberGenerator()
            return generator.next()
        }()

        func next() -> UInt64 {
            lock.lock()
            defer { lock.unlock() }
            current &+= 1
            return current
        }
    }
}
