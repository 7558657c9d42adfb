/// Decodes `application/x-www-form-urlencoded` text: query strings now, form bodies later.
///
/// Hostile input is refused instead of repaired: an invalid percent escape or bytes that are not
/// UTF-8 make the whole query invalid, and the number of pairs is bounded.
struct QueryString: Sendable, Equatable {
    enum DecodingError: Error, Equatable {
        case invalidEscape
        case invalidUTF8
        case tooManyParameters
    }

    static let maximumParameterCount = 100

    private(set) var pairs: [(name: String, value: String)]

    init(_ text: Substring) throws {
        pairs = []
        guard !text.isEmpty else { return }
        for part in text.split(separator: "&", omittingEmptySubsequences: true) {
            guard pairs.count < Self.maximumParameterCount else { throw DecodingError.tooManyParameters }
            let nameAndValue = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = try Self.decode(nameAndValue[0])
            let value = nameAndValue.count > 1 ? try Self.decode(nameAndValue[1]) : ""
            pairs.append((name, value))
        }
    }

    /// The first value of `name`, if present.
    func first(_ name: String) -> String? {
        pairs.first { $0.name == name }?.value
    }

    /// Every value of `name` in order, without empty values and duplicates.
    func all(_ name: String) -> [String] {
        var seen = Set<String>()
        return pairs.compactMap { pair in
            guard pair.name == name, !pair.value.isEmpty, seen.insert(pair.value).inserted else { return nil }
            return pair.value
        }
    }

    /// Percent-decodes one component; `+` means a space in this encoding.
    static func decode(_ component: Substring) throws -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(component.utf8.count)
        var iterator = component.utf8.makeIterator()
        while let byte = iterator.next() {
            switch byte {
            case UInt8(ascii: "+"):
                bytes.append(UInt8(ascii: " "))
            case UInt8(ascii: "%"):
                guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else {
                    throw DecodingError.invalidEscape
                }
                bytes.append(high << 4 | low)
            default:
                bytes.append(byte)
            }
        }
        guard let text = String(validating: bytes, as: UTF8.self) else { throw DecodingError.invalidUTF8 }
        return text
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x30...0x39: byte - 0x30
        case 0x41...0x46: byte - 0x41 + 10
        case 0x61...0x66: byte - 0x61 + 10
        default: nil
        }
    }

    static func == (lhs: QueryString, rhs: QueryString) -> Bool {
        lhs.pairs.elementsEqual(rhs.pairs) { $0.name == $1.name && $0.value == $1.value }
    }
}

/// Builds query strings for links; the counterpart of `QueryString`.
struct QueryBuilder {
    private var parts: [String] = []

    mutating func add(_ name: String, _ value: String) {
        parts.append(Self.encode(name) + "=" + Self.encode(value))
    }

    mutating func add(_ name: String, _ values: [String]) {
        for value in values { add(name, value) }
    }

    /// `?a=b&c=d`, or an empty string when there is nothing to add.
    var string: String { parts.isEmpty ? "" : "?" + parts.joined(separator: "&") }

    static func encode(_ text: String) -> String {
        var result = ""
        for byte in text.utf8 {
            switch byte {
            case 0x30...0x39, 0x41...0x5A, 0x61...0x7A, UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."),
                UInt8(ascii: "~"):
                result.unicodeScalars.append(UnicodeScalar(byte))
            default:
                let hex = String(byte, radix: 16, uppercase: true)
                result += byte < 16 ? "%0" + hex : "%" + hex
            }
        }
        return result
    }
}
