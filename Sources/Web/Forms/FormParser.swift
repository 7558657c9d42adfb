import HTTPServer
import HTTPTypes

/// Reads the form in a request body, choosing the decoder by the request's Content-Type.
enum FormParser {
    static func parse(_ request: ServerRequest, limits: FormLimits = .standard) throws(FormError) -> FormData {
        guard let contentType = request.head.headerFields[.contentType] else { throw .unsupportedMediaType }
        let mediaType: HeaderValue
        do throws(HeaderValue.SyntaxError) {
            mediaType = try HeaderValue(contentType)
        } catch .parameters(let value) where value == "multipart/form-data" {
            throw .malformed("invalid Content-Type parameters")
        } catch {
            throw .unsupportedMediaType
        }
        switch mediaType.value {
        case "application/x-www-form-urlencoded":
            if let charset = mediaType.parameters["charset"], charset.lowercased() != "utf-8" {
                throw .unsupportedMediaType
            }
            guard request.body.count <= limits.maxTotalBytes else { throw .bodyTooLarge }
            return try URLEncodedForm.parse(request.body, limits: limits)
        case "multipart/form-data":
            guard request.body.count <= limits.maxTotalBytes else { throw .bodyTooLarge }
            guard let boundary = mediaType.parameters["boundary"] else { throw .malformed("no boundary parameter") }
            return try MultipartForm.parse(request.body, boundary: boundary, limits: limits)
        default:
            throw .unsupportedMediaType
        }
    }
}

/// A header value of the form `value; name=token; name="quoted"` (Content-Type, Content-Disposition).
///
/// `value` and parameter names are lowercased, parameter values kept as sent. In a quoted string `\"` and
/// `\\` stand for `"` and `\`; any other backslash is kept, because browsers send file names with
/// backslashes unescaped. A repeated parameter makes the value invalid, so it can never be read two ways.
struct HeaderValue {
    enum SyntaxError: Error {
        case value
        /// The value was readable (it is given, lowercased), a parameter was not.
        case parameters(value: String)
    }

    var value: String
    var parameters: [String: String]

    init(_ text: some StringProtocol) throws(SyntaxError) {
        try self.init(bytes: Array(text.utf8))
    }

    init(bytes: [UInt8]) throws(SyntaxError) {
        var index = 0
        func skipWhitespace() {
            while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x09 { index += 1 }
        }
        func token(allowingSlash: Bool) -> String? {
            let start = index
            while index < bytes.count, Self.isTokenByte(bytes[index]) || (allowingSlash && bytes[index] == 0x2F) {
                index += 1
            }
            return index > start ? String(decoding: bytes[start..<index], as: UTF8.self).lowercased() : nil
        }

        skipWhitespace()
        guard let value = token(allowingSlash: true) else { throw .value }
        self.value = value
        parameters = [:]
        skipWhitespace()
        while index < bytes.count {
            guard bytes[index] == UInt8(ascii: ";") else { throw .parameters(value: value) }
            index += 1
            skipWhitespace()
            if index == bytes.count || bytes[index] == UInt8(ascii: ";") { continue }
            guard let name = token(allowingSlash: false), index < bytes.count, bytes[index] == UInt8(ascii: "=")
            else { throw .parameters(value: value) }
            index += 1
            let parameterValue: String
            if index < bytes.count, bytes[index] == UInt8(ascii: "\"") {
                guard let quoted = Self.quotedString(bytes, at: &index) else { throw .parameters(value: value) }
                parameterValue = quoted
            } else {
                let start = index
                while index < bytes.count, Self.isTokenByte(bytes[index]) { index += 1 }
                guard index > start else { throw .parameters(value: value) }
                parameterValue = String(decoding: bytes[start..<index], as: UTF8.self)
            }
            guard parameters.updateValue(parameterValue, forKey: name) == nil else { throw .parameters(value: value) }
            skipWhitespace()
        }
    }

    /// Reads a quoted string starting at the opening quote; `index` ends after the closing quote.
    private static func quotedString(_ bytes: [UInt8], at index: inout Int) -> String? {
        var result: [UInt8] = []
        index += 1
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            switch byte {
            case UInt8(ascii: "\""):
                return String(decoding: result, as: UTF8.self)
            case UInt8(ascii: "\\"):
                if index < bytes.count, bytes[index] == UInt8(ascii: "\"") || bytes[index] == UInt8(ascii: "\\") {
                    result.append(bytes[index])
                    index += 1
                } else {
                    result.append(byte)
                }
            case 0x09, 0x20...0x7E, 0x80...0xFF:
                result.append(byte)
            default:
                return nil  // control characters
            }
        }
        return nil
    }

    /// RFC 9110 `tchar`.
    static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "A")...UInt8(ascii: "Z"):
            true
        case UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "%"), UInt8(ascii: "&"),
            UInt8(ascii: "'"), UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."),
            UInt8(ascii: "^"), UInt8(ascii: "_"), UInt8(ascii: "`"), UInt8(ascii: "|"), UInt8(ascii: "~"):
            true
        default:
            false
        }
    }
}
