import HTTPServer

/// Decodes `multipart/form-data` bodies (RFC 7578 on RFC 2046), strictly and within `FormLimits`.
///
/// The body is scanned once: each part's end is found by searching for CRLF "--" boundary in a window no
/// longer than that part may be, so an oversized part is refused without reading further. Preamble and
/// epilogue are ignored. A part with a `filename` parameter (even an empty one) is a file; its bytes are
/// kept as sent. Every other part is text and follows `FormText`'s rules.
enum MultipartForm {
    static func parse(_ body: [UInt8], boundary: String, limits: FormLimits) throws(FormError) -> FormData {
        guard isValidBoundary(boundary) else { throw .malformed("invalid boundary") }
        guard body.count <= limits.maxTotalBytes else { throw .bodyTooLarge }
        let result = body.withUnsafeBufferPointer { buffer in
            var scanner = Scanner(buffer: buffer, boundary: Array(boundary.utf8), limits: limits)
            return Result { () throws(FormError) in try scanner.parse() }
        }
        return try result.get()
    }

    /// RFC 2046 §5.1.1: 1 to 70 characters from `bchars`, not ending in a space.
    static func isValidBoundary(_ boundary: String) -> Bool {
        let bytes = Array(boundary.utf8)
        guard (1...70).contains(bytes.count), bytes.last != UInt8(ascii: " ") else { return false }
        return bytes.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "A")...UInt8(ascii: "Z"):
                true
            case UInt8(ascii: "'"), UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "+"), UInt8(ascii: "_"),
                UInt8(ascii: ","), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "/"), UInt8(ascii: ":"),
                UInt8(ascii: "="), UInt8(ascii: "?"), UInt8(ascii: " "):
                true
            default:
                false
            }
        }
    }

    /// The headers of one part that matter here.
    private struct PartHeaders {
        var name: String
        /// Present (possibly empty) exactly when the part is a file.
        var fileName: String?
        var contentType: String?
    }

    private struct Scanner {
        let buffer: UnsafeBufferPointer<UInt8>
        let limits: FormLimits
        /// `--boundary`, which opens the body without a line break before it.
        let dashBoundary: [UInt8]
        /// CRLF `--boundary`: the delimiter between parts.
        let delimiter: BytePattern
        static let headerEnd = BytePattern([0x0D, 0x0A, 0x0D, 0x0A])
        var position = 0
        var form = FormData()
        var parts = 0

        init(buffer: UnsafeBufferPointer<UInt8>, boundary: [UInt8], limits: FormLimits) {
            self.buffer = buffer
            self.limits = limits
            dashBoundary = [UInt8(ascii: "-"), UInt8(ascii: "-")] + boundary
            delimiter = BytePattern([0x0D, 0x0A] + dashBoundary)
        }

        mutating func parse() throws(FormError) -> FormData {
            if buffer.starts(with: dashBoundary) {
                position = dashBoundary.count
            } else if let found = delimiter.firstIndex(in: buffer, from: 0, to: buffer.count) {
                position = found + delimiter.count
            } else {
                throw .malformed("no boundary delimiter")
            }
            // `position` is always just after a boundary here.
            while !consume("--") {
                while position < buffer.count, buffer[position] == 0x20 || buffer[position] == 0x09 { position += 1 }
                guard consume("\r\n") else { throw .malformed("boundary not followed by CRLF") }
                guard parts < limits.maxFields else { throw .tooManyFields }
                parts += 1
                try readPart()
            }
            return form
        }

        /// Reads headers and content of one part and the delimiter after it.
        private mutating func readPart() throws(FormError) {
            let headers = try readHeaders()
            let contentLimit = headers.fileName == nil ? limits.maxValueBytes : limits.maxFileBytes
            let start = position
            let windowEnd = min(buffer.count, start + contentLimit + delimiter.count)
            guard let end = delimiter.firstIndex(in: buffer, from: start, to: windowEnd) else {
                guard windowEnd < buffer.count else { throw .malformed("no close delimiter") }
                guard headers.fileName != nil else { throw .fieldTooLarge }
                guard limits.skipsOversizedFiles else { throw .fileTooLarge(fieldName: headers.name) }
                // The window is searched already; a delimiter can only begin in its last bytes or after it.
                let resume = windowEnd - delimiter.count + 1
                guard let end = delimiter.firstIndex(in: buffer, from: resume, to: buffer.count) else {
                    throw .malformed("no close delimiter")
                }
                position = end + delimiter.count
                form.oversizedFileFields.append(headers.name)
                return
            }
            position = end + delimiter.count
            let content = buffer[start..<end]
            guard let fileName = headers.fileName else {
                form.fields.append((headers.name, try FormText.value(content, limits: limits)))
                return
            }
            guard !content.isEmpty else { return }  // a file input left empty
            guard form.files.count < limits.maxFiles else { throw .tooManyFiles }
            form.files.append(
                UploadedFile(
                    fieldName: headers.name, fileName: MultipartForm.displayName(fileName),
                    declaredContentType: headers.contentType ?? "application/octet-stream", bytes: Array(content)))
        }

        /// Reads the header section (CRLF-separated lines, ended by an empty line) and leaves `position`
        /// at the first content byte.
        private mutating func readHeaders() throws(FormError) -> PartHeaders {
            let start = position
            let sectionEnd: Int  // index of the CRLF that ends the last header line
            if buffer[start...].starts(with: [0x0D, 0x0A]) {
                sectionEnd = start
                position = start + 2
            } else {
                let windowEnd = min(buffer.count, start + limits.maxPartHeaderBytes + 2)
                guard let found = Self.headerEnd.firstIndex(in: buffer, from: start, to: windowEnd) else {
                    if windowEnd < buffer.count { throw .malformed("part header section too long") }
                    throw .malformed("part header section not terminated")
                }
                sectionEnd = found + 2
                position = found + 4
            }
            let section = buffer[start..<sectionEnd]
            guard FormText.string(validating: section) != nil else { throw .malformed("part header not UTF-8") }

            var disposition: HeaderValue?
            var contentType: String?
            var lineStart = start
            while lineStart < sectionEnd {
                let lineEnd = buffer[lineStart..<sectionEnd].firstIndex(of: 0x0D) ?? sectionEnd
                guard lineEnd + 1 < buffer.count, buffer[lineEnd + 1] == 0x0A else {
                    throw .malformed("part header line not ended by CRLF")
                }
                let line = buffer[lineStart..<lineEnd]
                lineStart = lineEnd + 2
                guard !line.contains(0x0A) else { throw .malformed("part header line not ended by CRLF") }
                guard let colon = line.firstIndex(of: UInt8(ascii: ":")), colon > line.startIndex,
                    line[..<colon].allSatisfy(HeaderValue.isTokenByte)
                else { throw .malformed("invalid part header line") }
                let name = String(decoding: line[..<colon], as: UTF8.self).lowercased()
                let value = Array(line[(colon + 1)...])
                switch name {
                case "content-disposition":
                    guard disposition == nil else { throw .malformed("repeated Content-Disposition") }
                    do throws(HeaderValue.SyntaxError) {
                        disposition = try HeaderValue(bytes: value)
                    } catch {
                        throw .malformed("invalid Content-Disposition")
                    }
                case "content-type":
                    guard contentType == nil else { throw .malformed("repeated part Content-Type") }
                    guard !FormText.controlCharacter(in: value, allowingLineBreaksAndTab: false) else {
                        throw .malformed("control character in part Content-Type")
                    }
                    contentType = String(decoding: value, as: UTF8.self).trimmingSpacesAndTabs()
                default:
                    break
                }
            }
            guard let disposition else { throw .malformed("part without Content-Disposition") }
            guard disposition.value == "form-data" else { throw .malformed("part disposition is not form-data") }
            guard let rawName = disposition.parameters["name"] else { throw .malformed("part without name") }
            let name = try FormText.name(Array(rawName.utf8), limits: limits)
            var fileName = disposition.parameters["filename"]
            if fileName == nil, let extended = disposition.parameters["filename*"] {
                fileName = MultipartForm.decodeExtendedValue(extended) ?? ""
            }
            return PartHeaders(name: name, fileName: fileName, contentType: contentType)
        }

        /// Consumes `literal` if the bytes at `position` start with it.
        private mutating func consume(_ literal: StaticString) -> Bool {
            let count = literal.utf8CodeUnitCount
            guard position + count <= buffer.count else { return false }
            for offset in 0..<count where buffer[position + offset] != literal.utf8Start[offset] { return false }
            position += count
            return true
        }
    }

    /// A file name fit for showing: its last path component (either slash), without control and bidi
    /// formatting characters, cut to at most 255 bytes of UTF-8 at a character boundary.
    static func displayName(_ fileName: String) -> String {
        let lastComponent = fileName.split(omittingEmptySubsequences: false) { $0 == "/" || $0 == "\\" }.last ?? ""
        var result = ""
        var byteCount = 0
        for character in lastComponent {
            let kept = String(String.UnicodeScalarView(character.unicodeScalars.filter { !isHiddenScalar($0) }))
            guard byteCount + kept.utf8.count <= 255 else { break }
            byteCount += kept.utf8.count
            result += kept
        }
        return result.trimmingSpacesAndTabs()
    }

    private static func isHiddenScalar(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F: true  // control characters
        case 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: true  // bidi marks, embeddings, overrides, isolates
        default: false
        }
    }

    /// RFC 8187 `filename*=UTF-8''…`; nil for any other charset or a bad escape.
    static func decodeExtendedValue(_ value: String) -> String? {
        let parts = value.split(separator: "'", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].lowercased() == "utf-8" else { return nil }
        return PercentDecoding.decode(parts[2])
    }
}

extension String {
    fileprivate func trimmingSpacesAndTabs() -> String {
        let isBlank: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = firstIndex(where: { !isBlank($0) }), let last = lastIndex(where: { !isBlank($0) }) else {
            return ""
        }
        return String(self[first...last])
    }
}

/// Finds a byte pattern with the Boyer–Moore–Horspool skip table, so a search through a file mostly jumps
/// by the pattern's length instead of looking at every byte.
struct BytePattern: Sendable {
    let bytes: [UInt8]
    private let skip: [Int]

    init(_ bytes: [UInt8]) {
        precondition(!bytes.isEmpty)
        self.bytes = bytes
        var skip = [Int](repeating: bytes.count, count: 256)
        for (offset, byte) in bytes.dropLast().enumerated() { skip[Int(byte)] = bytes.count - 1 - offset }
        self.skip = skip
    }

    var count: Int { bytes.count }

    /// The first index at which the pattern lies wholly inside `from..<to`.
    func firstIndex(in buffer: UnsafeBufferPointer<UInt8>, from: Int, to: Int) -> Int? {
        let length = bytes.count
        guard to - from >= length, let base = buffer.baseAddress else { return nil }
        return bytes.withUnsafeBufferPointer { pattern in
            skip.withUnsafeBufferPointer { skip in
                let last = pattern[length - 1]
                var start = from
                while start + length <= to {
                    let tail = base[start + length - 1]
                    if tail == last, memoryEqual(base + start, pattern.baseAddress!, length - 1) { return start }
                    start += skip[Int(tail)]
                }
                return nil
            }
        }
    }

    private func memoryEqual(_ lhs: UnsafePointer<UInt8>, _ rhs: UnsafePointer<UInt8>, _ count: Int) -> Bool {
        for offset in 0..<count where lhs[offset] != rhs[offset] { return false }
        return true
    }
}
