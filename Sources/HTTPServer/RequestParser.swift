import HTTPTypes

/// An incremental, byte-level HTTP/1.1 request parser: no I/O, no clock, no allocation per byte.
///
/// Feed it whatever the socket delivered with ``append(_:)`` and ask for the next result with
/// ``next()`` until it answers ``Output/needMoreData``. Complete requests come out in order, so
/// pipelined requests are simply left in the buffer until the caller asks again. Every limit of
/// ``Limits`` is checked while bytes arrive, so an over-long line is rejected without waiting for its
/// end and an over-long body before a byte of it is read.
///
/// The parser is a state machine over ``phase``: request line, header fields, body. Chunked
/// transfer coding (today answered with 501) becomes another body phase, and deadlines stay with
/// the caller, which owns the clock.
public struct RequestParser: Sendable {
    /// The size limits a request must respect; each one maps to a status code.
    public struct Limits: Sendable, Equatable {
        /// Longest request line, CRLF excluded (→ 414).
        public var maxRequestLineLength: Int
        /// Longest single header field line, CRLF excluded (→ 431).
        public var maxHeaderFieldLength: Int
        /// Longest head: request line, header fields and their CRLFs (→ 431).
        public var maxHeaderBlockLength: Int
        /// Most header fields (→ 431).
        public var maxHeaderCount: Int
        /// Largest body (→ 413).
        public var maxBodyLength: Int

        /// Creates limits from explicit values.
        public init(
            maxRequestLineLength: Int = 8 * 1024,
            maxHeaderFieldLength: Int = 8 * 1024,
            maxHeaderBlockLength: Int = 32 * 1024,
            maxHeaderCount: Int = 100,
            maxBodyLength: Int = 1024 * 1024
        ) {
            self.maxRequestLineLength = maxRequestLineLength
            self.maxHeaderFieldLength = maxHeaderFieldLength
            self.maxHeaderBlockLength = maxHeaderBlockLength
            self.maxHeaderCount = maxHeaderCount
            self.maxBodyLength = maxBodyLength
        }

        /// Creates the limits configured for a server.
        public init(_ configuration: Configuration) {
            self.init(
                maxRequestLineLength: configuration.maxRequestLineLength,
                maxHeaderFieldLength: configuration.maxHeaderFieldLength,
                maxHeaderBlockLength: configuration.maxHeaderBlockLength,
                maxHeaderCount: configuration.maxHeaderCount,
                maxBodyLength: configuration.maxBodyLength
            )
        }
    }

    /// The protocol version from the request line (major 1 only; others are rejected with 505).
    public struct Version: Sendable, Equatable, CustomStringConvertible {
        /// Major version digit.
        public var major: Int
        /// Minor version digit.
        public var minor: Int

        /// HTTP/1.0
        public static let http10 = Version(major: 1, minor: 0)
        /// HTTP/1.1
        public static let http11 = Version(major: 1, minor: 1)

        /// `HTTP/1.1` style text.
        public var description: String { "HTTP/\(major).\(minor)" }
    }

    /// A request the parser accepted completely: head, body and what the connection should do next.
    public struct ParsedRequest: Sendable {
        /// Method, target, authority (from `Host`) and header fields. `Host` stays in the fields too.
        public var head: HTTPRequest
        /// The protocol version of the request line.
        public var version: Version
        /// The body, exactly `Content-Length` bytes (empty without one).
        public var body: [UInt8]
        /// Whether the client allows the connection to stay open after the response (version default
        /// and the `Connection` tokens `close` / `keep-alive`).
        public var keepAlive: Bool
    }

    /// Why a request was rejected; the connection answers `status` with `Connection: close` and closes.
    public struct ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        /// The status to answer with (400, 413, 414, 417, 431, 501 or 505).
        public var status: HTTPResponse.Status
        /// A short English reason for the log; never sent to the client.
        public var reason: String

        /// Creates an error with a status and a log reason.
        public init(_ status: HTTPResponse.Status, _ reason: String) {
            self.status = status
            self.reason = reason
        }

        /// `status reason` text for logs.
        public var description: String { "\(status.code) \(reason)" }
    }

    /// One step of parsing.
    public enum Output: Sendable {
        /// The buffered bytes do not complete the next request yet.
        case needMoreData
        /// The head asked for `Expect: 100-continue` and is acceptable: the caller may send
        /// `100 Continue` before the body arrives. Reported once per request.
        case continueExpected
        /// A complete request; any bytes after it stay buffered for the next call.
        case request(ParsedRequest)
        /// The input is unacceptable. The parser stays in this error from now on.
        case error(ParseError)
    }

    /// Where in a request the parser is.
    enum Phase: Sendable {
        case requestLine
        case headerFields
        case body(remaining: Int)
        case failed(ParseError)
    }

    /// The limits this parser enforces.
    public let limits: Limits

    private var buffer: [UInt8] = []
    /// Index of the first byte that belongs to the current line (or body).
    private var start = 0
    /// Bytes before this index are known to contain no LF, so a byte-by-byte feed stays linear.
    private var scanned = 0
    private(set) var phase: Phase = .requestLine

    // The request being assembled.
    private var method: HTTPRequest.Method = .get
    private var target = ""
    private var version = Version.http11
    private var fields = HTTPFields()
    private var headLength = 0
    private var fieldCount = 0
    private var emptyLinesSkipped = 0
    private var body: [UInt8] = []
    private var contentLength = 0
    private var keepAlive = true
    private var expectsContinue = false

    /// Creates a parser that enforces `limits`.
    public init(limits: Limits) {
        self.limits = limits
    }

    /// Whether bytes of a not yet complete request are buffered (used to tell an idle connection from
    /// a slow one).
    public var hasBufferedBytes: Bool {
        if case .requestLine = phase { return start < buffer.count }
        return true
    }

    /// Whether the head of the current request is complete and its body is being read (the connection
    /// switches from the head deadline to the body deadline here).
    public var isReadingBody: Bool {
        if case .body = phase { return true }
        return false
    }

    /// Appends bytes received from the peer.
    public mutating func append(_ bytes: UnsafeRawBufferPointer) {
        compactIfUseful()
        buffer.append(contentsOf: bytes)
    }

    /// Appends bytes received from the peer.
    public mutating func append(_ bytes: some Sequence<UInt8>) {
        compactIfUseful()
        buffer.append(contentsOf: bytes)
    }

    /// Parses as far as the buffered bytes allow and reports the next result.
    public mutating func next() -> Output {
        while true {
            switch phase {
            case .failed(let error):
                return .error(error)
            case .requestLine:
                guard let line = nextLine(limit: limits.maxRequestLineLength) else {
                    if case .failed(let error) = phase { return .error(error) }
                    return .needMoreData
                }
                if line.isEmpty {
                    // RFC 9112 §2.2: ignore at least one empty line before the request line.
                    emptyLinesSkipped += 1
                    if emptyLinesSkipped > 4 { return fail(.badRequest, "empty lines before request line") }
                    continue
                }
                if let error = parseRequestLine(line) { return fail(error) }
                headLength = line.count + 2
            case .headerFields:
                guard let line = nextLine(limit: limits.maxHeaderFieldLength) else {
                    if case .failed(let error) = phase { return .error(error) }
                    return .needMoreData
                }
                headLength += line.count + 2
                if headLength > limits.maxHeaderBlockLength {
                    return fail(.requestHeaderFieldsTooLarge, "header block too long")
                }
                if line.isEmpty {
                    if let error = finishHead() { return fail(error) }
                    if expectsContinue, case .body(let remaining) = phase, remaining > 0 {
                        expectsContinue = false
                        return .continueExpected
                    }
                    continue
                }
                if let error = parseFieldLine(line) { return fail(error) }
            case .body(let remaining):
                if remaining > 0 {
                    let available = min(remaining, buffer.count - start)
                    if available == 0 { return .needMoreData }
                    body.append(contentsOf: buffer[start..<(start + available)])
                    start += available
                    scanned = start
                    phase = .body(remaining: remaining - available)
                    if remaining - available > 0 { return .needMoreData }
                }
                return .request(finishRequest())
            }
        }
    }

    // MARK: - Lines

    /// Returns the next CRLF-terminated line without its CRLF, or nil when it is incomplete (or too
    /// long: then `phase` is `.failed`).
    private mutating func nextLine(limit: Int) -> ArraySlice<UInt8>? {
        let end = buffer.count
        var index = max(scanned, start)
        while index < end, buffer[index] != UInt8(ascii: "\n") { index += 1 }
        if index == end {
            scanned = end
            // Without its terminator the line is already `end - start` bytes long; a trailing CR
            // may still turn out to be the first half of the CRLF.
            var length = end - start
            if length > 0, buffer[end - 1] == UInt8(ascii: "\r") { length -= 1 }
            if length > limit { phase = .failed(limitError(limit)) }
            return nil
        }
        let lineEnd = index  // position of LF
        guard lineEnd > start, buffer[lineEnd - 1] == UInt8(ascii: "\r") else {
            phase = .failed(ParseError(.badRequest, "line not terminated by CRLF"))
            return nil
        }
        let line = buffer[start..<(lineEnd - 1)]
        if line.count > limit {
            phase = .failed(limitError(limit))
            return nil
        }
        start = lineEnd + 1
        scanned = start
        return line
    }

    private func limitError(_ limit: Int) -> ParseError {
        if case .requestLine = phase {
            return ParseError(.uriTooLong, "request line longer than \(limit) bytes")
        }
        return ParseError(.requestHeaderFieldsTooLarge, "header field longer than \(limit) bytes")
    }

    private mutating func compactIfUseful() {
        // Move the unconsumed tail to the front once the consumed part dominates.
        guard start > 0, start >= buffer.count / 2 || start > 64 * 1024 else { return }
        buffer.removeSubrange(0..<start)
        scanned -= start
        start = 0
    }

    // MARK: - Request line

    private mutating func parseRequestLine(_ line: ArraySlice<UInt8>) -> ParseError? {
        // method SP request-target SP HTTP-version, single spaces (RFC 9112 §3).
        guard let firstSpace = line.firstIndex(of: UInt8(ascii: " ")) else {
            return ParseError(.badRequest, "malformed request line")
        }
        let afterMethod = line.index(after: firstSpace)
        guard let secondSpace = line[afterMethod...].firstIndex(of: UInt8(ascii: " ")) else {
            return ParseError(.badRequest, "malformed request line")
        }
        let methodBytes = line[line.startIndex..<firstSpace]
        let targetBytes = line[afterMethod..<secondSpace]
        let versionBytes = line[line.index(after: secondSpace)...]

        guard !methodBytes.isEmpty, methodBytes.allSatisfy(HTTPSyntax.isTokenByte),
            let method = HTTPRequest.Method(String(decoding: methodBytes, as: UTF8.self))
        else {
            return ParseError(.badRequest, "invalid method")
        }
        guard !targetBytes.isEmpty, targetBytes.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
            return ParseError(.badRequest, "invalid request target")
        }
        guard let version = Self.parseVersion(versionBytes) else {
            return ParseError(.badRequest, "malformed HTTP version")
        }
        guard version.major == 1 else {
            return ParseError(.httpVersionNotSupported, "unsupported version \(version)")
        }
        let target = String(decoding: targetBytes, as: UTF8.self)
        if target.hasPrefix("/") {
            // origin-form
        } else if target == "*" {
            guard method == .options else { return ParseError(.badRequest, "asterisk-form without OPTIONS") }
        } else if Self.absoluteFormPath(target) != nil {
            // absolute-form; the path is extracted in finishHead.
        } else {
            return ParseError(.badRequest, "unsupported request target form")
        }
        self.method = method
        self.target = target
        self.version = version
        phase = .headerFields
        return nil
    }

    private static func parseVersion(_ bytes: ArraySlice<UInt8>) -> Version? {
        guard bytes.count == 8, bytes.starts(with: Array("HTTP/".utf8)) else { return nil }
        let major = bytes[bytes.startIndex + 5]
        let dot = bytes[bytes.startIndex + 6]
        let minor = bytes[bytes.startIndex + 7]
        guard HTTPSyntax.isDigit(major), dot == UInt8(ascii: "."), HTTPSyntax.isDigit(minor) else { return nil }
        return Version(major: Int(major - 48), minor: Int(minor - 48))
    }

    /// For `http://host/path?q` returns (`host`, `/path?q`); nil for anything else.
    static func absoluteFormPath(_ target: String) -> (authority: String, path: String)? {
        let lower = target.lowercased()
        let prefixLength: Int
        if lower.hasPrefix("http://") {
            prefixLength = 7
        } else if lower.hasPrefix("https://") {
            prefixLength = 8
        } else {
            return nil
        }
        let rest = target.dropFirst(prefixLength)
        let slash = rest.firstIndex(where: { $0 == "/" || $0 == "?" }) ?? rest.endIndex
        let authority = String(rest[..<slash])
        guard !authority.isEmpty, !authority.contains("@") else { return nil }
        var path = String(rest[slash...])
        if path.isEmpty || path.hasPrefix("?") { path = "/" + path }
        return (authority, path)
    }

    // MARK: - Header fields

    private mutating func parseFieldLine(_ line: ArraySlice<UInt8>) -> ParseError? {
        fieldCount += 1
        if fieldCount > limits.maxHeaderCount {
            return ParseError(.requestHeaderFieldsTooLarge, "more than \(limits.maxHeaderCount) header fields")
        }
        if let first = line.first, first == UInt8(ascii: " ") || first == UInt8(ascii: "\t") {
            return ParseError(.badRequest, "obsolete line folding")
        }
        guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else {
            return ParseError(.badRequest, "header field without colon")
        }
        let nameBytes = line[line.startIndex..<colon]
        // No whitespace is allowed between name and colon (RFC 9112 §5.1): tokens exclude it.
        guard !nameBytes.isEmpty, nameBytes.allSatisfy(HTTPSyntax.isTokenByte),
            let name = HTTPField.Name(String(decoding: nameBytes, as: UTF8.self))
        else {
            return ParseError(.badRequest, "invalid header field name")
        }
        var valueBytes = line[line.index(after: colon)...]
        while let first = valueBytes.first, HTTPSyntax.isWhitespace(first) { valueBytes = valueBytes.dropFirst() }
        while let last = valueBytes.last, HTTPSyntax.isWhitespace(last) { valueBytes = valueBytes.dropLast() }
        guard valueBytes.allSatisfy(HTTPSyntax.isFieldValueByte) else {
            return ParseError(.badRequest, "invalid header field value")
        }
        fields.append(HTTPField(name: name, value: valueBytes))
        return nil
    }

    /// Validates the complete head and decides how the body is framed.
    private mutating func finishHead() -> ParseError? {
        let hostName = HTTPSyntax.host
        let hosts = fields[values: hostName]
        if hosts.count > 1 { return ParseError(.badRequest, "more than one Host field") }
        if version == .http11, hosts.isEmpty { return ParseError(.badRequest, "missing Host field") }
        if fields.contains(.transferEncoding) {
            return ParseError(.notImplemented, "Transfer-Encoding is not supported yet")
        }

        var length: Int?
        for value in fields[values: .contentLength] {
            for item in value.split(separator: ",", omittingEmptySubsequences: false) {
                let trimmed = item.trimmingWhitespace()
                guard !trimmed.isEmpty, trimmed.utf8.allSatisfy(HTTPSyntax.isDigit) else {
                    return ParseError(.badRequest, "invalid Content-Length")
                }
                // More digits than any limit can hold: too large, not malformed.
                let parsed = trimmed.utf8.count > 18 ? Int.max : Int(trimmed)!
                if let previous = length, previous != parsed {
                    return ParseError(.badRequest, "conflicting Content-Length values")
                }
                length = parsed
            }
        }
        let bodyLength = length ?? 0
        if bodyLength > limits.maxBodyLength {
            return ParseError(.contentTooLarge, "body of \(bodyLength) bytes exceeds \(limits.maxBodyLength)")
        }

        if let expectation = fields[.expect] {
            guard expectation.lowercased() == "100-continue" else {
                return ParseError(.expectationFailed, "unsupported expectation")
            }
            expectsContinue = version == .http11
        }

        let tokens = HTTPSyntax.connectionTokens(fields[values: .connection])
        if tokens.contains("close") {
            keepAlive = false
        } else if version == .http10 {
            keepAlive = tokens.contains("keep-alive")
        } else {
            keepAlive = true
        }

        contentLength = bodyLength
        body = []
        body.reserveCapacity(bodyLength)
        phase = .body(remaining: bodyLength)
        return nil
    }

    private mutating func finishRequest() -> ParsedRequest {
        var authority = fields[HTTPSyntax.host]
        var path = target
        if let absolute = Self.absoluteFormPath(target) {
            // RFC 9112 §3.2.2: the target's authority wins over Host.
            authority = absolute.authority
            path = absolute.path
        }
        let head = HTTPRequest(method: method, scheme: "http", authority: authority, path: path, headerFields: fields)
        let request = ParsedRequest(head: head, version: version, body: body, keepAlive: keepAlive)
        resetForNextRequest()
        return request
    }

    private mutating func resetForNextRequest() {
        phase = .requestLine
        target = ""
        fields = HTTPFields()
        headLength = 0
        fieldCount = 0
        emptyLinesSkipped = 0
        body = []
        contentLength = 0
        keepAlive = true
        expectsContinue = false
    }

    private mutating func fail(_ status: HTTPResponse.Status, _ reason: String) -> Output {
        fail(ParseError(status, reason))
    }

    private mutating func fail(_ error: ParseError) -> Output {
        phase = .failed(error)
        return .error(error)
    }
}

/// Byte classes and small grammar helpers from RFC 9110.
enum HTTPSyntax {
    /// `Host`; swift-http-types hides its constant to steer HTTP/2 code to `authority`.
    static let host = HTTPField.Name("Host")!

    static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

    static func isWhitespace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 }

    /// tchar: `!#$%&'*+-.^_|~`, digits and letters.
    static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), 0x30...0x39:
            return true
        case UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "%"), UInt8(ascii: "&"),
            UInt8(ascii: "'"), UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."),
            UInt8(ascii: "^"), UInt8(ascii: "_"), UInt8(ascii: "`"), UInt8(ascii: "|"), UInt8(ascii: "~"):
            return true
        default:
            return false
        }
    }

    /// field-vchar / SP / HTAB; obs-text (0x80–0xFF) is tolerated as RFC 9110 allows.
    static func isFieldValueByte(_ byte: UInt8) -> Bool {
        byte == 0x09 || (byte >= 0x20 && byte != 0x7F)
    }

    /// The lowercased tokens of one or more `Connection` field values (a comma-separated list).
    static func connectionTokens(_ values: [String]) -> Set<String> {
        var tokens = Set<String>()
        for value in values {
            for item in value.split(separator: ",") {
                let token = item.trimmingWhitespace().lowercased()
                if !token.isEmpty { tokens.insert(token) }
            }
        }
        return tokens
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces and tabs.
    func trimmingWhitespace() -> Substring {
        var slice = self[...]
        while let first = slice.first, first == " " || first == "\t" { slice = slice.dropFirst() }
        while let last = slice.last, last == " " || last == "\t" { slice = slice.dropLast() }
        return Substring(slice)
    }
}
