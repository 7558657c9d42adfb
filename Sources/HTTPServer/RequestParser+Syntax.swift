import HTTPTypes

/// Byte classes and small grammar helpers from RFC 9110 and RFC 9112.
enum HTTPSyntax {
    /// `Host`; swift-http-types hides its constant to steer HTTP/2 code to `authority`.
    static let host = HTTPField.Name("Host")!

    static let cr = UInt8(ascii: "\r")
    static let lf = UInt8(ascii: "\n")
    static let space = UInt8(ascii: " ")

    static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

    static func isWhitespace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 }

    /// The value of a hex digit, or nil.
    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x30...0x39: byte - 0x30
        case 0x41...0x46: byte - 0x41 + 10
        case 0x61...0x66: byte - 0x61 + 10
        default: nil
        }
    }

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

    /// field-vchar / SP / HTAB; obs-text (0x80–0xFF) is tolerated as RFC 9110 allows. Excludes every
    /// other control character (NUL, CR, LF, …) and DEL.
    static func isFieldValueByte(_ byte: UInt8) -> Bool {
        byte == 0x09 || (byte >= 0x20 && byte != 0x7F)
    }

    /// A byte of a request-target as sent: visible ASCII except `#` (a fragment is never sent). No
    /// space, control character, DEL or non-ASCII byte; those must be percent-encoded.
    static func isTargetByte(_ byte: UInt8) -> Bool {
        byte > 0x20 && byte < 0x7F && byte != UInt8(ascii: "#")
    }

    /// ASCII case-insensitive equality of two bytes.
    static func equalIgnoringASCIICase(_ left: UInt8, _ right: UInt8) -> Bool {
        if left == right { return true }
        let lower = left | 0x20
        return lower == right | 0x20 && lower >= UInt8(ascii: "a") && lower <= UInt8(ascii: "z")
    }

    /// ASCII case-insensitive equality of two texts.
    static func equalIgnoringASCIICase(_ left: some StringProtocol, _ right: some StringProtocol) -> Bool {
        left.utf8.elementsEqual(right.utf8, by: equalIgnoringASCIICase)
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

    // MARK: - Field lines

    /// `field-name ":" OWS field-value OWS` (RFC 9112 §5) without its CRLF: header fields and trailer
    /// fields alike. No obs-fold, no whitespace before the colon, no control characters.
    static func parseFieldLine(_ line: ArraySlice<UInt8>) -> Result<HTTPField, RequestParser.ParseError> {
        if let first = line.first, isWhitespace(first) {
            return .failure(RequestParser.ParseError(.badRequest, "obsolete line folding"))
        }
        guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else {
            return .failure(RequestParser.ParseError(.badRequest, "header field without colon"))
        }
        let nameBytes = line[line.startIndex..<colon]
        // No whitespace is allowed between name and colon (RFC 9112 §5.1): tokens exclude it.
        guard !nameBytes.isEmpty, nameBytes.allSatisfy(isTokenByte),
            let name = HTTPField.Name(String(decoding: nameBytes, as: UTF8.self))
        else {
            return .failure(RequestParser.ParseError(.badRequest, "invalid header field name"))
        }
        var valueBytes = line[line.index(after: colon)...]
        while let first = valueBytes.first, isWhitespace(first) { valueBytes = valueBytes.dropFirst() }
        while let last = valueBytes.last, isWhitespace(last) { valueBytes = valueBytes.dropLast() }
        guard valueBytes.allSatisfy(isFieldValueByte) else {
            return .failure(RequestParser.ParseError(.badRequest, "invalid header field value"))
        }
        return .success(HTTPField(name: name, value: valueBytes))
    }

    // MARK: - Host

    /// `uri-host [ ":" port ]` (RFC 9110 §7.2) with a non-empty host, as an `http` URI requires: an
    /// IP-literal in brackets, or a reg-name / IPv4 address of unreserved characters, sub-delims and
    /// percent escapes; the port has at most 5 digits.
    static func isValidHost(_ bytes: some Collection<UInt8>) -> Bool {
        var rest = bytes[...]
        if rest.first == UInt8(ascii: "[") {
            guard let close = rest.firstIndex(of: UInt8(ascii: "]")) else { return false }
            let literal = rest[rest.index(after: rest.startIndex)..<close]
            guard !literal.isEmpty,
                literal.allSatisfy({ isHostByte($0) || $0 == UInt8(ascii: ":") })
            else { return false }
            rest = rest[rest.index(after: close)...]
        } else {
            let end = rest.firstIndex(of: UInt8(ascii: ":")) ?? rest.endIndex
            let name = rest[rest.startIndex..<end]
            guard !name.isEmpty, name.allSatisfy(isHostByte), PercentDecoding.isValid(name) else { return false }
            rest = rest[end...]
        }
        guard let colon = rest.first else { return true }
        guard colon == UInt8(ascii: ":") else { return false }
        let port = rest.dropFirst()
        return port.count <= 5 && port.allSatisfy(isDigit)
    }

    /// unreserved / sub-delims / `%` (RFC 3986 §3.2.2).
    private static func isHostByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), 0x30...0x39:
            return true
        case UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: "%"),
            UInt8(ascii: "!"), UInt8(ascii: "$"), UInt8(ascii: "&"), UInt8(ascii: "'"), UInt8(ascii: "("),
            UInt8(ascii: ")"), UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: ","), UInt8(ascii: ";"),
            UInt8(ascii: "="):
            return true
        default:
            return false
        }
    }

    // MARK: - Framing

    /// One `Content-Length` value: `1*DIGIT`, no sign, no list, no overflow (→ 400).
    static func parseContentLength(_ value: String) -> Result<Int, RequestParser.ParseError> {
        guard !value.isEmpty else { return .failure(RequestParser.ParseError(.badRequest, "empty Content-Length")) }
        var length = 0
        for byte in value.utf8 {
            guard isDigit(byte) else {
                return .failure(RequestParser.ParseError(.badRequest, "invalid Content-Length"))
            }
            let (shifted, overflow1) = length.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = shifted.addingReportingOverflow(Int(byte - 0x30))
            if overflow1 || overflow2 {
                return .failure(RequestParser.ParseError(.badRequest, "Content-Length overflows"))
            }
            length = sum
        }
        return .success(length)
    }

    /// Checks the `Transfer-Encoding` field values of a request: the codings, in order, must be
    /// exactly `chunked` (nil). A malformed list, `chunked` twice or `chunked` with parameters → 400;
    /// any other coding (`gzip`, `chunked, gzip`, `gzip, chunked`) → 501. Empty list elements are
    /// ignored (RFC 9110 §5.6.1), but at least one coding must be named.
    static func checkTransferCoding(_ values: [String]) -> RequestParser.ParseError? {
        var malformed = false
        var chunkedCount = 0
        var otherCount = 0
        for value in values {
            for element in value.utf8.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false) {
                var item = element[...]
                while let first = item.first, isWhitespace(first) { item = item.dropFirst() }
                while let last = item.last, isWhitespace(last) { item = item.dropLast() }
                if item.isEmpty { continue }
                let nameEnd = item.firstIndex(where: { !isTokenByte($0) }) ?? item.endIndex
                let name = item[item.startIndex..<nameEnd]
                let parameters = item[nameEnd...]
                if name.isEmpty
                    || (!parameters.isEmpty && !isWhitespace(parameters.first!)
                        && parameters.first != UInt8(ascii: ";"))
                {
                    malformed = true
                } else if name.elementsEqual("chunked".utf8, by: equalIgnoringASCIICase) {
                    if !parameters.isEmpty { malformed = true }
                    chunkedCount += 1
                } else {
                    otherCount += 1
                }
            }
        }
        if malformed || chunkedCount + otherCount == 0 {
            return RequestParser.ParseError(.badRequest, "malformed Transfer-Encoding")
        }
        if chunkedCount > 1 { return RequestParser.ParseError(.badRequest, "chunked applied more than once") }
        if otherCount > 0 { return RequestParser.ParseError(.notImplemented, "unsupported transfer coding") }
        return nil
    }

    /// `*( BWS ";" BWS chunk-ext-name [ BWS "=" BWS chunk-ext-val ] )` (RFC 9112 §7.1.1), where a
    /// value is a token or a quoted-string.
    static func isValidChunkExtension(_ bytes: ArraySlice<UInt8>) -> Bool {
        var index = bytes.startIndex
        let end = bytes.endIndex
        func skipWhitespace() { while index < end, isWhitespace(bytes[index]) { index += 1 } }
        func skipToken() -> Bool {
            let first = index
            while index < end, isTokenByte(bytes[index]) { index += 1 }
            return index > first
        }
        while index < end {
            skipWhitespace()
            guard index < end, bytes[index] == UInt8(ascii: ";") else { return false }
            index += 1
            skipWhitespace()
            guard skipToken() else { return false }
            skipWhitespace()
            guard index < end, bytes[index] == UInt8(ascii: "=") else { continue }
            index += 1
            skipWhitespace()
            if index < end, bytes[index] == UInt8(ascii: "\"") {
                guard let after = quotedStringEnd(bytes, from: index) else { return false }
                index = after
            } else {
                guard skipToken() else { return false }
            }
        }
        return true
    }

    /// The index after the quoted-string that starts at `start` (its opening quote), or nil when it is
    /// malformed or unterminated.
    private static func quotedStringEnd(_ bytes: ArraySlice<UInt8>, from start: Int) -> Int? {
        var index = start + 1
        while index < bytes.endIndex {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                return index + 1
            case UInt8(ascii: "\\"):
                // quoted-pair: HTAB / SP / VCHAR / obs-text
                guard index + 1 < bytes.endIndex, isFieldValueByte(bytes[index + 1]) else { return nil }
                index += 2
            default:
                guard isFieldValueByte(byte) else { return nil }
                index += 1
            }
        }
        return nil
    }

    // MARK: - Paths

    /// Whether a path (percent-encoded) has a `.` or `..` segment, literal or encoded as `%2e`.
    static func hasDotSegment(_ path: some StringProtocol) -> Bool {
        for segment in path.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: true) {
            var dots = 0
            var index = segment.startIndex
            var onlyDots = true
            while index < segment.endIndex {
                if segment[index] == UInt8(ascii: ".") {
                    dots += 1
                    index = segment.index(after: index)
                } else if segment[index] == UInt8(ascii: "%"),
                    segment[index...].dropFirst().starts(with: "2e".utf8, by: equalIgnoringASCIICase)
                {
                    dots += 1
                    index = segment.index(index, offsetBy: 3)
                } else {
                    onlyDots = false
                    break
                }
            }
            if onlyDots, dots == 1 || dots == 2 { return true }
        }
        return false
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
