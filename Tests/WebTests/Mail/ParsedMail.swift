import Foundation

/// A test-side reader of composed messages: unfolds headers, decodes encoded-words and quoted-printable,
/// and splits multipart bodies. Written independently of `MIMEComposer` so round trips check it.
struct ParsedMail {
    let raw: [UInt8]
    let text: String
    /// Header fields in order, unfolded, values as written (still encoded).
    let headers: [(name: String, value: String)]
    let body: String

    init(_ bytes: [UInt8]) {
        raw = bytes
        text = String(decoding: bytes, as: UTF8.self)
        let split = text.range(of: "\r\n\r\n")!
        let head = String(text[..<split.lowerBound])
        body = String(text[split.upperBound...])
        let unfolded = head.replacingOccurrences(of: "\r\n ", with: " ").replacingOccurrences(of: "\r\n\t", with: "\t")
        headers = unfolded.components(separatedBy: "\r\n").map { line in
            let colon = line.firstIndex(of: ":")!
            return (
                String(line[..<colon]), String(line[line.index(after: colon)...]).trimmingCharacters(in: .whitespaces)
            )
        }
    }

    func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    /// The header's value with encoded-words decoded (white space between adjacent encoded-words dropped).
    func decodedHeader(_ name: String) -> String? {
        header(name).map(Self.decodeWords)
    }

    /// Every line of the message without its CRLF.
    var lines: [String] { text.components(separatedBy: "\r\n") }

    var headerLines: [String] {
        String(text[..<text.range(of: "\r\n\r\n")!.lowerBound]).components(separatedBy: "\r\n")
    }

    /// The boundary parameter of a multipart message.
    var boundary: String? {
        guard let type = header("Content-Type"), let range = type.range(of: "boundary=\"") else { return nil }
        let rest = type[range.upperBound...]
        return String(rest[..<rest.firstIndex(of: "\"")!])
    }

    /// The parts of a multipart body: their header block and their raw (encoded) body.
    var parts: [(headers: String, body: String)] {
        guard let boundary else { return [] }
        var pieces = body.components(separatedBy: "--" + boundary)
        pieces.removeFirst()  // preamble
        let closing = pieces.removeLast()
        precondition(closing.hasPrefix("--"))
        return pieces.map { piece in
            var content = piece
            precondition(content.hasPrefix("\r\n") && content.hasSuffix("\r\n"))
            // "\r\n" is one Character in Swift.
            content = String(content.dropFirst().dropLast())
            let split = content.range(of: "\r\n\r\n")!
            return (String(content[..<split.lowerBound]), String(content[split.upperBound...]))
        }
    }

    /// The decoded text of the part whose Content-Type is `text/<subtype>` (or the body of a single-part message).
    func decodedPart(_ subtype: String) -> String? {
        if boundary == nil {
            return Self.decodeQuotedPrintable(body)
        }
        guard let part = parts.first(where: { $0.headers.contains("Content-Type: text/\(subtype);") }) else {
            return nil
        }
        return Self.decodeQuotedPrintable(part.body)
    }

    static func decodeWords(_ value: String) -> String {
        let pattern = try! NSRegularExpression(pattern: "=\\?UTF-8\\?B\\?([A-Za-z0-9+/=]*)\\?=")
        let source = value as NSString
        var result = ""
        var position = 0
        var previousWasWord = false
        for match in pattern.matches(in: value, range: NSRange(location: 0, length: source.length)) {
            let between = source.substring(with: NSRange(location: position, length: match.range.location - position))
            if !(previousWasWord && between.allSatisfy(\.isWhitespace)) { result += between }
            let base64 = source.substring(with: match.range(at: 1))
            result += String(decoding: Data(base64Encoded: base64)!, as: UTF8.self)
            position = match.range.location + match.range.length
            previousWasWord = true
        }
        result += source.substring(from: position)
        return result
    }

    /// Every encoded-word in `value`.
    static func encodedWords(_ value: String) -> [String] {
        let pattern = try! NSRegularExpression(pattern: "=\\?UTF-8\\?B\\?[A-Za-z0-9+/=]*\\?=")
        return pattern.matches(in: value, range: NSRange(value.startIndex..., in: value)).map {
            String(value[Range($0.range, in: value)!])
        }
    }

    static func decodeQuotedPrintable(_ encoded: String) -> String {
        let bytes = Array(encoded.replacingOccurrences(of: "=\r\n", with: "").utf8)
        var output: [UInt8] = []
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "="), index + 2 < bytes.count,
                let value = UInt8(String(decoding: bytes[index + 1...index + 2], as: UTF8.self), radix: 16)
            {
                output.append(value)
                index += 3
            } else {
                output.append(bytes[index])
                index += 1
            }
        }
        return String(decoding: output, as: UTF8.self).replacingOccurrences(of: "\r\n", with: "\n")
    }
}
