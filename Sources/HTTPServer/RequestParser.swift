import HTTPTypes

/// An incremental, byte-level HTTP/1.1 request parser: no I/O, no clock, no allocation per byte.
///
/// Feed it whatever the socket delivered with ``append(_:)`` and ask for the next result with
/// ``next()`` until it answers ``Output/needMoreData``. Complete requests come out in order, so
/// pipelined requests are simply left in the buffer until the caller asks again. Every limit of
/// ``Limits`` is checked while bytes arrive, so an over-long line is rejected without waiting for its
/// end and an over-long body before a byte of it is read.
///
/// The parser is a state machine over ``phase``: request line, header fields, then a body framed by
/// `Content-Length` or by the chunked transfer coding (chunk-size line, chunk data, CRLF, …, trailer
/// section). Deadlines stay with the caller, which owns the clock. The rules, with the status each
/// violation gets, are listed in `docs/HTTP.md` ("Framing and syntax"). Every line must end in CRLF:
/// a bare LF is rejected with 400 everywhere (request line, fields, chunk lines, trailers).
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
        /// Largest body for ordinary routes, such as forms (→ 413).
        public var maxBodyLength: Int
        /// Largest body for upload routes, see ``uploadPathPrefixes`` (→ 413).
        public var maxUploadBodyLength: Int
        /// A request whose path starts with one of these prefixes is an upload route and may send up to
        /// ``maxUploadBodyLength`` bytes. Empty prefixes are ignored.
        public var uploadPathPrefixes: [String]
        /// Longest chunk extension (everything after the chunk size on a chunk-size line, → 400).
        public var maxChunkExtensionLength: Int
        /// Longest trailer section of a chunked body: its field lines with their CRLFs (→ 431).
        public var maxTrailerLength: Int

        /// Creates limits from explicit values.
        public init(
            maxRequestLineLength: Int = 8 * 1024,
            maxHeaderFieldLength: Int = 8 * 1024,
            maxHeaderBlockLength: Int = 32 * 1024,
            maxHeaderCount: Int = 100,
            maxBodyLength: Int = 1024 * 1024,
            maxUploadBodyLength: Int = 8 * 1024 * 1024,
            uploadPathPrefixes: [String] = [],
            maxChunkExtensionLength: Int = 256,
            maxTrailerLength: Int = 8 * 1024
        ) {
            self.maxRequestLineLength = maxRequestLineLength
            self.maxHeaderFieldLength = maxHeaderFieldLength
            self.maxHeaderBlockLength = maxHeaderBlockLength
            self.maxHeaderCount = maxHeaderCount
            self.maxBodyLength = maxBodyLength
            self.maxUploadBodyLength = maxUploadBodyLength
            self.uploadPathPrefixes = uploadPathPrefixes
            self.maxChunkExtensionLength = maxChunkExtensionLength
            self.maxTrailerLength = maxTrailerLength
        }

        /// Creates the limits configured for a server.
        public init(_ configuration: Configuration) {
            self.init(
                maxRequestLineLength: configuration.maxRequestLineLength,
                maxHeaderFieldLength: configuration.maxHeaderFieldLength,
                maxHeaderBlockLength: configuration.maxHeaderBlockLength,
                maxHeaderCount: configuration.maxHeaderCount,
                maxBodyLength: configuration.maxBodyLength,
                maxUploadBodyLength: configuration.maxUploadBodyLength,
                uploadPathPrefixes: configuration.uploadPathPrefixes,
                maxChunkExtensionLength: configuration.maxChunkExtensionLength,
                maxTrailerLength: configuration.maxTrailerLength
            )
        }

        /// The body limit for a request path (still percent-encoded, the query is ignored):
        /// ``maxUploadBodyLength`` when the path starts with one of ``uploadPathPrefixes`` and has no
        /// dot segment (`.`, `..`, also percent-encoded), ``maxBodyLength`` otherwise.
        public func maxBodyLength(forPath target: some StringProtocol) -> Int {
            guard !uploadPathPrefixes.isEmpty else { return maxBodyLength }
            // Bytes, not characters: this runs for every request.
            let pathBytes = target.utf8.prefix { $0 != UInt8(ascii: "?") }
            guard uploadPathPrefixes.contains(where: { !$0.isEmpty && pathBytes.starts(with: $0.utf8) }),
                !HTTPSyntax.hasDotSegment(target.prefix { $0 != "?" })
            else { return maxBodyLength }
            return maxUploadBodyLength
        }
    }

    /// The protocol version from the request line (only HTTP/1.0 and HTTP/1.1 are accepted).
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
        /// Trailer fields of a chunked body are never merged in.
        public var head: HTTPRequest
        /// The protocol version of the request line.
        public var version: Version
        /// The body: exactly `Content-Length` bytes, or the decoded chunks of a chunked body (empty
        /// without either).
        public var body: [UInt8]
        /// Whether the client allows the connection to stay open after the response (version default
        /// and the `Connection` tokens `close` / `keep-alive`).
        public var keepAlive: Bool
    }

    /// Why a request was rejected; the connection answers `status` with `Connection: close` and closes.
    public struct ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        /// The status to answer with: 400, 413, 414, 417, 431, 501 or 505 from the parser (the
        /// connection also uses this type for its 408 deadlines).
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
        /// The head asked for `Expect: 100-continue`, announces a body (`Content-Length` > 0 within
        /// the limit, or chunked) and is acceptable: the caller may send `100 Continue` before the body
        /// arrives. Reported once per request.
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
        /// A `Content-Length` body with this many bytes still to come.
        case body(remaining: Int)
        /// A chunked body, before a chunk-size line (or the last-chunk `0`).
        case chunkSize
        /// Inside a chunk's data with this many bytes still to come.
        case chunkData(remaining: Int)
        /// After a chunk's data: exactly CRLF must follow.
        case chunkDataEnd
        /// After the last chunk: trailer field lines until an empty line.
        case trailers
        case failed(ParseError)
    }

    /// The limits this parser enforces.
    public let limits: Limits

    var buffer: [UInt8] = []
    /// Index of the first byte that belongs to the current line (or body).
    var start = 0
    /// Bytes before this index are known to contain no LF, so a byte-by-byte feed stays linear.
    var scanned = 0
    var phase: Phase = .requestLine

    // The request being assembled.
    private var method: HTTPRequest.Method = .get
    /// The request-target in origin-form (`/path?query`, absolute-form reduced to it) or `*`.
    private var target = ""
    /// The authority of an absolute-form target, which wins over `Host` (RFC 9112 §3.2.2).
    private var targetAuthority: String?
    private var version = Version.http11
    private var fields = HTTPFields()
    /// The `Host` field's value, once the head is complete.
    private var host: String?
    private var headLength = 0
    private var fieldCount = 0
    private var emptyLinesSkipped = 0
    var body: [UInt8] = []
    /// The body limit of the current request (depends on its path).
    var bodyLimit = 0
    /// Bytes of trailer field lines (with CRLF) seen so far in the current chunked body.
    var trailerLength = 0
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

    /// Whether the head of the current request is complete and its body (with `Content-Length` or
    /// chunked, trailers included) is being read: the connection switches from the head deadline to
    /// the body deadline here.
    public var isReadingBody: Bool {
        switch phase {
        case .body, .chunkSize, .chunkData, .chunkDataEnd, .trailers: return true
        case .requestLine, .headerFields, .failed: return false
        }
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

    /// Call after ``next()`` answered ``Output/needMoreData`` and the peer then closed its sending side:
    /// a request that was begun but not finished (a head without its end, a body shorter than its
    /// `Content-Length`, chunks without the last-chunk) is an error (400); between requests the answer
    /// is ``Output/needMoreData`` and the connection can simply close.
    public mutating func endOfInput() -> Output {
        if case .failed(let error) = phase { return .error(error) }
        guard hasBufferedBytes else { return .needMoreData }
        return fail(.badRequest, "connection closed inside a request")
    }

    /// Parses as far as the buffered bytes allow and reports the next result.
    public mutating func next() -> Output {
        while true {
            switch phase {
            case .failed(let error):
                return .error(error)
            case .requestLine:
                guard let line = nextLine(limit: limits.maxRequestLineLength, tooLong: requestLineTooLong) else {
                    return failureOrNeedMoreData
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
                guard let line = nextLine(limit: limits.maxHeaderFieldLength, tooLong: headerFieldTooLong) else {
                    return failureOrNeedMoreData
                }
                headLength += line.count + 2
                if headLength > limits.maxHeaderBlockLength {
                    return fail(.requestHeaderFieldsTooLarge, "header block too long")
                }
                if line.isEmpty {
                    if let error = finishHead() { return fail(error) }
                    if expectsContinue {
                        expectsContinue = false
                        return .continueExpected
                    }
                    continue
                }
                fieldCount += 1
                if fieldCount > limits.maxHeaderCount {
                    return fail(.requestHeaderFieldsTooLarge, "more than \(limits.maxHeaderCount) header fields")
                }
                switch HTTPSyntax.parseFieldLine(line) {
                case .success(let field): fields.append(field)
                case .failure(let error): return fail(error)
                }
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
            case .chunkSize, .chunkData, .chunkDataEnd, .trailers:
                switch nextChunkedStep() {
                case .progress: continue
                case .needMoreData: return failureOrNeedMoreData
                case .complete: return .request(finishRequest())
                }
            }
        }
    }

    private var failureOrNeedMoreData: Output {
        if case .failed(let error) = phase { return .error(error) }
        return .needMoreData
    }

    // MARK: - Lines

    /// Returns the next CRLF-terminated line without its CRLF, or nil when it is incomplete, too long
    /// (`tooLong`) or ends in a bare LF (400); in both error cases `phase` is `.failed`.
    ///
    /// The length check comes first and also applies to an incomplete line, so a line is judged the same
    /// whether it arrives at once or byte by byte.
    mutating func nextLine(limit: Int, tooLong: ParseError) -> ArraySlice<UInt8>? {
        let end = buffer.count
        var index = max(scanned, start)
        while index < end, buffer[index] != HTTPSyntax.lf { index += 1 }
        if index == end {
            scanned = end
            // Without its terminator the line is already `end - start` bytes long; a trailing CR
            // may still turn out to be the first half of the CRLF.
            var length = end - start
            if length > 0, buffer[end - 1] == HTTPSyntax.cr { length -= 1 }
            if length > limit { phase = .failed(tooLong) }
            return nil
        }
        let lineEnd = index  // position of LF
        let hasCR = lineEnd > start && buffer[lineEnd - 1] == HTTPSyntax.cr
        let length = lineEnd - start - (hasCR ? 1 : 0)
        if length > limit {
            phase = .failed(tooLong)
            return nil
        }
        guard hasCR else {
            phase = .failed(ParseError(.badRequest, "line terminated by a bare LF"))
            return nil
        }
        let line = buffer[start..<(lineEnd - 1)]
        start = lineEnd + 1
        scanned = start
        return line
    }

    private var requestLineTooLong: ParseError {
        ParseError(.uriTooLong, "request line longer than \(limits.maxRequestLineLength) bytes")
    }

    private var headerFieldTooLong: ParseError {
        ParseError(.requestHeaderFieldsTooLarge, "header field longer than \(limits.maxHeaderFieldLength) bytes")
    }

    private mutating func compactIfUseful() {
        // Move the unconsumed tail to the front once the consumed part dominates.
        guard start > 0, start >= buffer.count / 2 || start > 64 * 1024 else { return }
        buffer.removeSubrange(0..<start)
        scanned -= start
        start = 0
    }

    // MARK: - Request line

    /// The methods handed to the application; every other syntactically valid method gets 501.
    private static let implementedMethods: [HTTPRequest.Method] = [
        .get, .head, .post, .put, .delete, .options, .patch,
    ]

    private mutating func parseRequestLine(_ line: ArraySlice<UInt8>) -> ParseError? {
        // method SP request-target SP HTTP-version, exactly one space each (RFC 9112 §3). An HTTP/0.9
        // line (`GET /`) has no second space.
        guard let firstSpace = line.firstIndex(of: HTTPSyntax.space) else {
            return ParseError(.badRequest, "malformed request line")
        }
        let afterMethod = line.index(after: firstSpace)
        guard let secondSpace = line[afterMethod...].firstIndex(of: HTTPSyntax.space) else {
            return ParseError(.badRequest, "malformed request line")
        }
        let methodBytes = line[line.startIndex..<firstSpace]
        let targetBytes = line[afterMethod..<secondSpace]
        let versionBytes = line[line.index(after: secondSpace)...]

        // Syntax first (400), then the version (505), then the method (501), then the target's form.
        guard !methodBytes.isEmpty, methodBytes.allSatisfy(HTTPSyntax.isTokenByte),
            let method = HTTPRequest.Method(String(decoding: methodBytes, as: UTF8.self))
        else {
            return ParseError(.badRequest, "invalid method")
        }
        guard !targetBytes.isEmpty, targetBytes.allSatisfy(HTTPSyntax.isTargetByte) else {
            return ParseError(.badRequest, "invalid request target")
        }
        guard let version = Self.parseVersion(versionBytes) else {
            return ParseError(.badRequest, "malformed HTTP version")
        }
        guard version == .http11 || version == .http10 else {
            return ParseError(.httpVersionNotSupported, "unsupported version \(version)")
        }
        guard Self.implementedMethods.contains(method) else {
            return ParseError(.notImplemented, "method not implemented")
        }
        var target = String(decoding: targetBytes, as: UTF8.self)
        var targetAuthority: String?
        if targetBytes.first == UInt8(ascii: "/") {
            // origin-form
        } else if target == "*" {
            guard method == .options else { return ParseError(.badRequest, "asterisk-form without OPTIONS") }
        } else if let absolute = Self.absoluteFormPath(target) {
            targetAuthority = absolute.authority
            target = absolute.path
        } else {
            return ParseError(.badRequest, "unsupported request target form")
        }
        guard PercentDecoding.isValid(targetBytes) else {
            return ParseError(.badRequest, "invalid percent-encoding or UTF-8 in request target")
        }
        self.method = method
        self.target = target
        self.targetAuthority = targetAuthority
        self.version = version
        phase = .headerFields
        return nil
    }

    private static func parseVersion(_ bytes: ArraySlice<UInt8>) -> Version? {
        guard bytes.count == 8, bytes.starts(with: "HTTP/".utf8) else { return nil }
        let major = bytes[bytes.startIndex + 5]
        let dot = bytes[bytes.startIndex + 6]
        let minor = bytes[bytes.startIndex + 7]
        guard HTTPSyntax.isDigit(major), dot == UInt8(ascii: "."), HTTPSyntax.isDigit(minor) else { return nil }
        return Version(major: Int(major - 48), minor: Int(minor - 48))
    }

    /// For `http://host/path?q` returns (`host`, `/path?q`); nil for anything else, including a target
    /// with user information or an authority that is not a valid `host[:port]`.
    static func absoluteFormPath(_ target: String) -> (authority: String, path: String)? {
        let prefixLength: Int
        if target.utf8.starts(with: "http://".utf8, by: HTTPSyntax.equalIgnoringASCIICase) {
            prefixLength = 7
        } else if target.utf8.starts(with: "https://".utf8, by: HTTPSyntax.equalIgnoringASCIICase) {
            prefixLength = 8
        } else {
            return nil
        }
        let rest = target.dropFirst(prefixLength)
        let slash = rest.firstIndex(where: { $0 == "/" || $0 == "?" }) ?? rest.endIndex
        let authority = rest[..<slash]
        guard HTTPSyntax.isValidHost(authority.utf8) else { return nil }
        var path = String(rest[slash...])
        if path.isEmpty || path.hasPrefix("?") { path = "/" + path }
        return (String(authority), path)
    }

    // MARK: - Head

    /// Validates the complete head and decides how the body is framed.
    private mutating func finishHead() -> ParseError? {
        // One pass over the fields for everything framing needs (each `fields[values:]` would walk them all).
        // Host and Content-Length: the first value and how many there were (no array for the usual one).
        var firstHost: String?
        var hostCount = 0
        var contentLengths: [String] = []
        var transferEncodings: [String] = []
        var expectations: [String] = []
        var connectionValues: [String] = []
        for field in fields {
            switch field.name {
            case HTTPSyntax.host:
                if hostCount == 0 { firstHost = field.value }
                hostCount += 1
            case .contentLength: contentLengths.append(field.value)
            case .transferEncoding: transferEncodings.append(field.value)
            case .expect: expectations.append(field.value)
            case .connection: connectionValues.append(field.value)
            default: break
            }
        }
        if hostCount > 1 { return ParseError(.badRequest, "more than one Host field") }
        if version == .http11, hostCount == 0 { return ParseError(.badRequest, "missing Host field") }
        if let host = firstHost, !HTTPSyntax.isValidHost(host.utf8) {
            return ParseError(.badRequest, "invalid Host field")
        }

        host = firstHost
        bodyLimit = limits.maxBodyLength(forPath: target)

        var chunked = false
        var bodyLength = 0
        if !transferEncodings.isEmpty {
            // RFC 9112 §6.1 and §6.3: both framings at once is how requests are smuggled.
            if version == .http10 { return ParseError(.badRequest, "Transfer-Encoding in an HTTP/1.0 request") }
            if !contentLengths.isEmpty {
                return ParseError(.badRequest, "both Content-Length and Transfer-Encoding")
            }
            if let error = HTTPSyntax.checkTransferCoding(transferEncodings) { return error }
            chunked = true
        } else if !contentLengths.isEmpty {
            guard contentLengths.count == 1 else { return ParseError(.badRequest, "more than one Content-Length") }
            switch HTTPSyntax.parseContentLength(contentLengths[0]) {
            case .success(let length): bodyLength = length
            case .failure(let error): return error
            }
            if bodyLength > bodyLimit {
                return ParseError(.contentTooLarge, "body of \(bodyLength) bytes exceeds \(bodyLimit)")
            }
        }

        if !expectations.isEmpty {
            let expectation = expectations.joined(separator: ", ")
            guard HTTPSyntax.equalIgnoringASCIICase(expectation, "100-continue") else {
                return ParseError(.expectationFailed, "unsupported expectation")
            }
            // RFC 9110 §10.1.1: a 100-continue expectation in an HTTP/1.0 request is ignored.
            expectsContinue = version == .http11 && (chunked || bodyLength > 0)
        }

        let tokens = HTTPSyntax.connectionTokens(connectionValues)
        if tokens.contains("close") {
            keepAlive = false
        } else if version == .http10 {
            keepAlive = tokens.contains("keep-alive")
        } else {
            keepAlive = true
        }

        body = []
        if chunked {
            trailerLength = 0
            phase = .chunkSize
        } else {
            // Grows as bytes arrive: a large announced length alone reserves little.
            body.reserveCapacity(min(bodyLength, 64 * 1024))
            phase = .body(remaining: bodyLength)
        }
        return nil
    }

    private mutating func finishRequest() -> ParsedRequest {
        // RFC 9112 §3.2.2: the authority of an absolute-form target wins over Host.
        let authority = targetAuthority ?? host
        let head = HTTPRequest(
            method: method, scheme: "http", authority: authority, path: target, headerFields: fields)
        let request = ParsedRequest(head: head, version: version, body: body, keepAlive: keepAlive)
        resetForNextRequest()
        return request
    }

    private mutating func resetForNextRequest() {
        phase = .requestLine
        target = ""
        targetAuthority = nil
        fields = HTTPFields()
        host = nil
        headLength = 0
        fieldCount = 0
        emptyLinesSkipped = 0
        body = []
        bodyLimit = 0
        trailerLength = 0
        keepAlive = true
        expectsContinue = false
    }

    private mutating func fail(_ status: HTTPResponse.Status, _ reason: String) -> Output {
        fail(ParseError(status, reason))
    }

    mutating func fail(_ error: ParseError) -> Output {
        phase = .failed(error)
        return .error(error)
    }
}
