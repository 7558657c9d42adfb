/// Strict percent-decoding (RFC 3986 §2.1) of request targets, with UTF-8 validation.
///
/// Every `%` must start an escape of two hex digits, and the decoded bytes must be well-formed UTF-8:
/// no overlong forms (`%C0%AF`, `%E0%80%AF`), no surrogates (`%ED%A0%80`), nothing above U+10FFFF, no
/// lone or missing continuation bytes. `+` is an ordinary character here; reading it as a space is
/// form semantics (`application/x-www-form-urlencoded`) and belongs to the code that decodes forms.
/// Decoded control characters (`%00`, `%0A`) and encoded slashes (`%2F`) are left to the
/// application: this check is only about well-formed encoding.
public enum PercentDecoding {
    /// Whether `bytes` (a request target or a part of one, as sent) are well-formed: valid escapes
    /// and UTF-8 after decoding.
    public static func isValid(_ bytes: some Sequence<UInt8>) -> Bool {
        var validator = UTF8Validator()
        var iterator = bytes.makeIterator()
        while let byte = iterator.next() {
            var decoded = byte
            if byte == UInt8(ascii: "%") {
                guard let high = iterator.next().flatMap(HTTPSyntax.hexValue),
                    let low = iterator.next().flatMap(HTTPSyntax.hexValue)
                else { return false }
                decoded = high << 4 | low
            }
            guard validator.consume(decoded) else { return false }
        }
        return validator.isComplete
    }

    /// The decoded text, or nil when an escape is malformed or the decoded bytes are not valid UTF-8.
    /// `+` stays `+`.
    public static func decode(_ text: some StringProtocol) -> String? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var iterator = text.utf8.makeIterator()
        while let byte = iterator.next() {
            if byte == UInt8(ascii: "%") {
                guard let high = iterator.next().flatMap(HTTPSyntax.hexValue),
                    let low = iterator.next().flatMap(HTTPSyntax.hexValue)
                else { return nil }
                bytes.append(high << 4 | low)
            } else {
                bytes.append(byte)
            }
        }
        guard isValidUTF8(bytes) else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Whether `bytes` are well-formed UTF-8 (RFC 3629: shortest form only, no surrogates).
    public static func isValidUTF8(_ bytes: some Sequence<UInt8>) -> Bool {
        var validator = UTF8Validator()
        for byte in bytes where !validator.consume(byte) { return false }
        return validator.isComplete
    }
}

/// A byte-at-a-time UTF-8 checker following the well-formed byte sequences of Unicode table 3-7.
struct UTF8Validator {
    /// Continuation bytes still expected for the current scalar.
    private var needed = 0
    /// Allowed range of the next continuation byte (narrower right after some lead bytes).
    private var lower: UInt8 = 0x80
    private var upper: UInt8 = 0xBF

    /// Whether the bytes so far end on a scalar boundary.
    var isComplete: Bool { needed == 0 }

    /// Takes the next byte; false when the sequence can no longer be well-formed.
    mutating func consume(_ byte: UInt8) -> Bool {
        if needed > 0 {
            guard byte >= lower, byte <= upper else { return false }
            needed -= 1
            lower = 0x80
            upper = 0xBF
            return true
        }
        switch byte {
        case 0x00...0x7F: return true
        case 0xC2...0xDF: expect(1, 0x80, 0xBF)
        case 0xE0: expect(2, 0xA0, 0xBF)  // no overlong three-byte forms
        case 0xE1...0xEC, 0xEE...0xEF: expect(2, 0x80, 0xBF)
        case 0xED: expect(2, 0x80, 0x9F)  // no surrogates
        case 0xF0: expect(3, 0x90, 0xBF)  // no overlong four-byte forms
        case 0xF1...0xF3: expect(3, 0x80, 0xBF)
        case 0xF4: expect(3, 0x80, 0x8F)  // nothing above U+10FFFF
        default: return false  // continuation bytes, overlong leads C0/C1, F5–FF
        }
        return true
    }

    private mutating func expect(_ count: Int, _ lower: UInt8, _ upper: UInt8) {
        needed = count
        self.lower = lower
        self.upper = upper
    }
}
