// libFuzzer entry point for `RequestParser`.
//
// Every input is parsed several times, with two sets of limits (small ones that reach the 413, 414
// and 431 paths quickly, and the defaults; both with an upload route `/upload/`) and three ways of
// feeding the bytes (all at once; in chunks of 1–7 bytes, sometimes larger, with split points and a
// lazy or eager consumer derived from a hash of the input; one byte at a time), followed by
// `endOfInput()` as when the peer closes. The checks, each a `fatalError` that libFuzzer reports as
// a crash:
//
// 1. Segmentation independence: for one set of limits, every way of feeding gives the same sequence
//    of outputs (`.needMoreData` aside): the same `100 Continue` points, the same requests (method,
//    scheme, authority, path, every field name and value, version, body bytes, keep-alive), the
//    same error status and the same answer to `endOfInput()`.
// 2. Limits are monotonic: the run with small limits agrees with the run with default limits until
//    the small one stops with 413, 414 or 431.
// 3. Progress and stickiness: `next()` always terminates (bounded number of calls per input), an
//    error stays the answer after more input arrives, `.needMoreData` stays the answer when no
//    input arrives, and `endOfInput()` is clean only when nothing is buffered.
// 4. What an accepted request may never contain (RFC 9112 and issue 3; `FUZZ_SPEC_CHECKS=0` turns
//    these off): tokens only in method and field names, no control characters in target or field
//    values, a path in origin-form (or `*` for OPTIONS) with valid percent-encoding and UTF-8,
//    HTTP/1.0 or HTTP/1.1 only, exactly one `Host` in HTTP/1.1 and never two, never both
//    `Content-Length` and `Transfer-Encoding`, no `Transfer-Encoding` in HTTP/1.0, `chunked` as its
//    last coding, a body of exactly `Content-Length` bytes, a body within the route's limit,
//    `Expect` only `100-continue`, an error status only from the documented set.
// 5. `PercentDecoding` agrees with itself (`isValid` vs `decode`) and with the standard library's
//    UTF-8 validation (`String(validating:as:)`) on the input's first line.
//
// Nothing here allocates more than a small multiple of the input (plus the parser's own bounded
// buffers), so `-rss_limit_mb` only fires on a real leak or unbounded growth in the parser.

import HTTPServer
import HTTPTypes

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

// MARK: - Configuration

/// Upload routes in both limit sets, so the per-route body limit is exercised too.
let uploadPrefixes = ["/upload/"]

/// Small limits: every limit is reachable with inputs of a few hundred bytes. The chunk extension
/// limit stays at its default because exceeding it answers 400, not a limit status (see
/// `compareLimits`).
let smallLimits = RequestParser.Limits(
    maxRequestLineLength: 64,
    maxHeaderFieldLength: 64,
    maxHeaderBlockLength: 256,
    maxHeaderCount: 6,
    maxBodyLength: 64,
    maxUploadBodyLength: 200,
    uploadPathPrefixes: uploadPrefixes,
    maxTrailerLength: 64
)

/// The server's defaults, plus an upload route.
let defaultLimits = RequestParser.Limits(uploadPathPrefixes: uploadPrefixes)

/// The statuses the parser may answer with (issue 3, docs/HTTP.md).
let allowedErrorStatuses: Set<Int> = [400, 413, 414, 417, 431, 501, 505]

/// Statuses caused by a limit; only these may differ between small and default limits.
let limitStatuses: Set<Int> = [413, 414, 431]

/// `FUZZ_SPEC_CHECKS=0` disables the checks of group 4 (for hunting crashes only).
let specChecks: Bool = {
    guard let value = getenv("FUZZ_SPEC_CHECKS") else { return true }
    return String(cString: value) != "0"
}()

// MARK: - Comparable view of the outputs

/// One output of `next()` other than `.needMoreData`, reduced to plain comparable values.
enum Event: Equatable, CustomStringConvertible {
    case continueExpected
    case request(RequestSummary)
    case error(status: Int)
    /// What `endOfInput()` answered after all bytes were fed: nil for `.needMoreData` (the
    /// connection may close cleanly), else the error status.
    case endOfInput(status: Int?)

    var description: String {
        switch self {
        case .continueExpected: return "continueExpected"
        case .request(let request): return "request(\(request))"
        case .error(let status): return "error(\(status))"
        case .endOfInput(let status): return "endOfInput(\(status.map(String.init) ?? "clean"))"
        }
    }

    var errorStatus: Int? {
        switch self {
        case .error(let status): return status
        case .endOfInput(let status): return status
        default: return nil
        }
    }
}

struct RequestSummary: Equatable, CustomStringConvertible {
    var method: String
    var scheme: String?
    var authority: String?
    var path: String?
    /// Every field as (name length, name, value length, value), flattened into one array: one
    /// allocation per request instead of two per field.
    var fields: [UInt8]
    var fieldCount: Int
    var versionMajor: Int
    var versionMinor: Int
    var body: [UInt8]
    var keepAlive: Bool

    init(_ request: RequestParser.ParsedRequest) {
        method = request.head.method.rawValue
        scheme = request.head.scheme
        authority = request.head.authority
        path = request.head.path
        var flat: [UInt8] = []
        func appendPart(_ part: String) {
            let count = part.utf8.count  // < 64 KiB: inputs are at most 16 KiB
            flat.append(UInt8(truncatingIfNeeded: count >> 8))
            flat.append(UInt8(truncatingIfNeeded: count))
            flat.append(contentsOf: part.utf8)
        }
        for field in request.head.headerFields {
            appendPart(field.name.rawName)
            appendPart(field.value)
        }
        fields = flat
        fieldCount = request.head.headerFields.count
        versionMajor = request.version.major
        versionMinor = request.version.minor
        body = request.body
        keepAlive = request.keepAlive
    }

    var description: String {
        var parts: [String] = []
        var index = 0
        while index + 2 <= fields.count {
            let count = Int(fields[index]) << 8 | Int(fields[index + 1])
            parts.append(escape(fields[(index + 2)..<min(index + 2 + count, fields.count)]))
            index += 2 + count
        }
        let shownFields = stride(from: 0, to: parts.count - 1, by: 2).map { "\(parts[$0]): \(parts[$0 + 1])" }
        return "\(method) \(path.map { escape(Array($0.utf8)) } ?? "nil") HTTP/\(versionMajor).\(versionMinor)"
            + " authority=\(authority ?? "nil") fields=\(shownFields) body=\(body.count)B \(escape(body.prefix(64)))"
            + " keepAlive=\(keepAlive)"
    }
}

/// Bytes as a Swift string literal body (`\r`, `\n`, `\u{00}` …), for messages.
func escape(_ bytes: some Sequence<UInt8>) -> String {
    var text = ""
    for byte in bytes {
        switch byte {
        case 0x0D: text += "\\r"
        case 0x0A: text += "\\n"
        case 0x09: text += "\\t"
        case 0x5C: text += "\\\\"
        case 0x22: text += "\\\""
        case 0x20...0x7E: text.unicodeScalars.append(Unicode.Scalar(byte))
        default: text += "\\u{\(String(byte, radix: 16, uppercase: true))}"
        }
    }
    return text
}

func fail(_ message: String, input: UnsafeBufferPointer<UInt8>) -> Never {
    let shown = escape(input.prefix(2048)) + (input.count > 2048 ? "…(\(input.count) bytes)" : "")
    fatalError("\(message)\ninput: \"\(shown)\"")
}

// MARK: - Feeding strategies

/// A tiny deterministic generator (SplitMix64) seeded with a hash (FNV-1a) of the input, so the
/// same input is always split the same way and any mutation changes the split points. (Seeding
/// from the first bytes alone would split nearly every input alike: most begin with `GET / HT`.)
struct SplitMix {
    var state: UInt64

    init(seed input: UnsafeBufferPointer<UInt8>) {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in input { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        state = hash
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

enum Feed {
    /// Everything in one `append`.
    case whole
    /// Chunks of 1–7 bytes (one in sixteen up to 512 bytes), split points and consumer behaviour
    /// derived from the input's bytes.
    case chunks
    /// One byte per `append`.
    case byteByByte
}

/// Runs one parser over `input` and returns its events. Stops at the first error.
func run(_ input: UnsafeBufferPointer<UInt8>, limits: RequestParser.Limits, feed: Feed) -> [Event] {
    var parser = RequestParser(limits: limits)
    var events: [Event] = []
    // Every request consumes at least a request line ("A / HTTP/1.0\r\n\r\n" is 16 bytes), so more
    // outputs than this means `next()` produced something from nothing.
    let maxEvents = 2 * (input.count / 8 + 1)
    // Bound on `next()` calls: a few per appended chunk plus the events themselves.
    var callBudget = 4 * input.count + 2 * maxEvents + 64

    /// Asks for outputs until `.needMoreData` (or at most `limit` outputs); returns false after an error.
    func drain(limit: Int = .max) -> Bool {
        var produced = 0
        while produced < limit {
            callBudget -= 1
            if callBudget < 0 { fail("next() called more than the budget allows: no progress", input: input) }
            let output = parser.next()
            if parser.isReadingBody && !parser.hasBufferedBytes {
                fail("isReadingBody without hasBufferedBytes", input: input)
            }
            switch output {
            case .needMoreData:
                // Without new input, the answer must stay the same.
                guard case .needMoreData = parser.next() else {
                    fail("next() changed its answer after .needMoreData without new input", input: input)
                }
                return true
            case .continueExpected:
                events.append(.continueExpected)
            case .request(let request):
                check(request, limits: limits, input: input)
                events.append(.request(RequestSummary(request)))
            case .error(let error):
                let status = error.status.code
                if specChecks, !allowedErrorStatuses.contains(status) {
                    fail("unexpected error status \(status) (\(error))", input: input)
                }
                events.append(.error(status: status))
                // Sticky: the same error again, also after more input.
                guard case .error(let again) = parser.next(), again.status.code == status else {
                    fail("error \(status) not repeated by the next call", input: input)
                }
                parser.append([UInt8(ascii: "\r"), UInt8(ascii: "\n")])
                guard case .error(let afterInput) = parser.next(), afterInput.status.code == status else {
                    fail("error \(status) not repeated after more input", input: input)
                }
                return false
            }
            produced += 1
            if events.count > maxEvents {
                fail("more than \(maxEvents) outputs from \(input.count) bytes", input: input)
            }
        }
        return true
    }

    switch feed {
    case .whole:
        parser.append(UnsafeRawBufferPointer(input))
        _ = drain()
    case .byteByByte:
        for index in input.indices {
            parser.append(CollectionOfOne(input[index]))
            if !drain() { return events }
        }
    case .chunks:
        var random = SplitMix(seed: input)
        var offset = 0
        while offset < input.count {
            let bits = random.next()
            let size = bits & 0xF == 0 ? Int((bits >> 8) % 512) + 1 : Int((bits >> 4) % 7) + 1
            let end = min(offset + size, input.count)
            // Alternate between the two `append` overloads.
            if bits & 0x10000 == 0 {
                parser.append(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: input[offset..<end])))
            } else {
                parser.append(input[offset..<end])
            }
            offset = end
            // Sometimes behave like a lazy consumer that takes at most one output per read, so
            // bytes pile up in the parser's buffer (exercises compaction and pipelining).
            let lazy = bits & 0x20000 != 0
            if !drain(limit: lazy ? 1 : .max) { return events }
        }
        if !drain() { return events }
    }
    if case .error = events.last { return events }

    // The peer closes: a request cut short is an error, a clean end between requests is not.
    switch parser.endOfInput() {
    case .needMoreData:
        if parser.hasBufferedBytes { fail("endOfInput() is clean although bytes are buffered", input: input) }
        events.append(.endOfInput(status: nil))
    case .error(let error):
        let status = error.status.code
        if specChecks, !allowedErrorStatuses.contains(status) {
            fail("unexpected endOfInput() status \(status) (\(error))", input: input)
        }
        events.append(.endOfInput(status: status))
        guard case .error(let again) = parser.next(), again.status.code == status else {
            fail("endOfInput() error \(status) not repeated by next()", input: input)
        }
    case .continueExpected, .request:
        fail("endOfInput() produced a request or 100 Continue", input: input)
    }
    return events
}

// MARK: - Invariants of accepted requests

func isTokenByte(_ byte: UInt8) -> Bool {
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

let hostName = HTTPField.Name("Host")!

func isControl(_ byte: UInt8) -> Bool { (byte < 0x20 && byte != 0x09) || byte == 0x7F }

func check(_ request: RequestParser.ParsedRequest, limits: RequestParser.Limits, input: UnsafeBufferPointer<UInt8>) {
    func violated(_ what: String) -> Never {
        fail("accepted request violates: \(what)\nrequest: \(RequestSummary(request))", input: input)
    }
    // Memory bounds hold regardless of spec checks.
    if request.body.count > limits.maxBodyLength(forPath: request.head.path ?? "") {
        violated("body longer than the route's body limit")
    }
    if request.body.count > input.count { violated("body longer than the input") }
    if request.head.headerFields.count > limits.maxHeaderCount { violated("more fields than maxHeaderCount") }
    guard specChecks else { return }

    let head = request.head
    let method = Array(head.method.rawValue.utf8)
    if method.isEmpty || !method.allSatisfy(isTokenByte) { violated("method is not a token") }
    if request.version != .http10 && request.version != .http11 { violated("version \(request.version) accepted") }

    guard let path = head.path else { violated("no path") }
    let pathBytes = Array(path.utf8)
    if pathBytes.isEmpty || !pathBytes.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) {
        violated("path empty or with whitespace, control or non-ASCII bytes")
    }
    if path == "*" {
        if head.method != .options { violated("asterisk-form for a method other than OPTIONS") }
    } else if pathBytes.first != UInt8(ascii: "/") {
        violated("path neither origin-form nor *")
    }
    if !PercentDecoding.isValid(pathBytes) { violated("invalid percent-encoding or UTF-8 in the path") }
    if let authority = head.authority, authority.utf8.contains(where: isControl) {
        violated("control character in authority")
    }

    for field in head.headerFields {
        let name = Array(field.name.rawName.utf8)
        if name.isEmpty || !name.allSatisfy(isTokenByte) { violated("field name is not a token") }
        if field.value.utf8.contains(where: isControl) { violated("control character in field value") }
    }

    let hosts = head.headerFields[values: hostName]
    if hosts.count > 1 { violated("more than one Host") }
    if request.version.minor >= 1, hosts.isEmpty { violated("HTTP/1.1 without Host") }

    let transferEncodings = head.headerFields[values: .transferEncoding]
    let contentLengths = head.headerFields[values: .contentLength]
    if !transferEncodings.isEmpty {
        if !contentLengths.isEmpty { violated("both Content-Length and Transfer-Encoding") }
        if request.version.minor == 0 { violated("Transfer-Encoding in HTTP/1.0") }
        let codings = transferEncodings.joined(separator: ",").split(separator: ",")
            .map { $0.trimmingCharacters(in: " \t").lowercased() }.filter { !$0.isEmpty }
        if codings.last != "chunked" { violated("Transfer-Encoding without chunked as last coding") }
    } else if !contentLengths.isEmpty {
        // All values agree (duplicates or lists of one number); the body has exactly that length.
        var length: Int?
        for value in contentLengths {
            for item in value.split(separator: ",", omittingEmptySubsequences: false) {
                let text = item.trimmingCharacters(in: " \t")
                guard !text.isEmpty, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
                    violated("Content-Length not digits")
                }
                // Leading zeros are allowed; what remains must fit any body limit.
                let significant = text.drop { $0 == "0" }
                guard significant.utf8.count <= 18, let parsed = Int(significant.isEmpty ? "0" : significant) else {
                    violated("huge Content-Length accepted")
                }
                if let length, length != parsed { violated("conflicting Content-Length values") }
                length = parsed
            }
        }
        if let length, request.body.count != length { violated("body is not Content-Length bytes") }
    } else if !request.body.isEmpty {
        violated("body without Content-Length or Transfer-Encoding")
    }

    if let expectation = head.headerFields[.expect], expectation.lowercased() != "100-continue" {
        violated("Expect other than 100-continue accepted")
    }
}

extension StringProtocol {
    func trimmingCharacters(in set: String) -> String {
        var slice = self[...]
        while let first = slice.first, set.contains(first) { slice = slice.dropFirst() }
        while let last = slice.last, set.contains(last) { slice = slice.dropLast() }
        return String(slice)
    }
}

// MARK: - Comparisons

func firstDifference(_ a: [Event], _ b: [Event]) -> Int {
    var index = 0
    while index < a.count, index < b.count, a[index] == b[index] { index += 1 }
    return index
}

func compare(
    _ reference: [Event], _ other: [Event], _ what: String, input: UnsafeBufferPointer<UInt8>
) {
    guard reference != other else { return }
    let index = firstDifference(reference, other)
    fail(
        """
        segmentation changes the outputs (\(what)) at output #\(index)
        all at once: \(reference.dropFirst(index).prefix(2).map(\.description)) (\(reference.count) outputs)
        \(what): \(other.dropFirst(index).prefix(2).map(\.description)) (\(other.count) outputs)
        """,
        input: input
    )
}

/// Small limits may only stop earlier, with a limit status; until then both runs agree.
func compareLimits(_ small: [Event], _ large: [Event], input: UnsafeBufferPointer<UInt8>) {
    guard small != large else { return }
    let index = firstDifference(small, large)
    if index < small.count, let status = small[index].errorStatus, limitStatuses.contains(status) { return }
    fail(
        """
        small limits disagree with default limits at output #\(index) other than by a 413/414/431
        small limits: \(small.dropFirst(index).prefix(2).map(\.description)) (\(small.count) outputs)
        default limits: \(large.dropFirst(index).prefix(2).map(\.description)) (\(large.count) outputs)
        """,
        input: input
    )
}

// MARK: - Percent-decoding and UTF-8

/// `PercentDecoding` (which the parser uses on every target) against itself and against the standard
/// library's UTF-8 validation, on the input's first line (or the first 512 bytes).
func checkPercentDecoding(_ input: UnsafeBufferPointer<UInt8>) {
    let line = input.prefix(512).prefix { $0 != 0x0A && $0 != 0x0D }
    let bytes = Array(line)
    // Well-formed UTF-8 exactly when Swift's own validator says so.
    let swiftValid = String(validating: bytes, as: UTF8.self) != nil
    if PercentDecoding.isValidUTF8(bytes) != swiftValid {
        fail("PercentDecoding.isValidUTF8 = \(!swiftValid), String(validating:) = \(swiftValid)", input: input)
    }
    // `isValid` on the bytes agrees with `decode` on the same text (ASCII only, so the text is the bytes).
    guard bytes.allSatisfy({ $0 < 0x80 }) else { return }
    let text = String(decoding: bytes, as: UTF8.self)
    let decoded = PercentDecoding.decode(text)
    if PercentDecoding.isValid(bytes) != (decoded != nil) {
        fail("PercentDecoding.isValid and decode disagree", input: input)
    }
    if let decoded {
        if !bytes.contains(UInt8(ascii: "%")), decoded != text {
            fail("decode changed text without escapes", input: input)
        }
        if decoded.utf8.count > bytes.count { fail("decoded text longer than its encoding", input: input) }
    }
}

// MARK: - Entry point

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = UnsafeBufferPointer(start: data, count: size)

    let small = run(input, limits: smallLimits, feed: .whole)
    compare(small, run(input, limits: smallLimits, feed: .chunks), "small limits, chunks", input: input)

    let large = run(input, limits: defaultLimits, feed: .whole)
    compare(large, run(input, limits: defaultLimits, feed: .chunks), "default limits, chunks", input: input)
    compare(large, run(input, limits: defaultLimits, feed: .byteByByte), "default limits, byte by byte", input: input)
    if size <= 1024 {
        compare(small, run(input, limits: smallLimits, feed: .byteByByte), "small limits, byte by byte", input: input)
    }

    compareLimits(small, large, input: input)
    checkPercentDecoding(input)
    return 0
}
