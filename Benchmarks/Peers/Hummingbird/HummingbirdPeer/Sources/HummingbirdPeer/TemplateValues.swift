import Domain
import Mustache

/// Template contexts are plain `[String: Any]` dictionaries.
///
/// swift-mustache opens a section for any string, even an empty one, and prints "nil" for a nil wrapped
/// in `Any`. The pages mean "nothing" by both (as in the main server's `Views`), so both become `Nothing`:
/// it prints as empty and counts as false in `{{#x}}`.
enum TemplateValues {
    static func normalized(_ value: [String: Any]) -> [String: Any] {
        value.mapValues(normalized)
    }

    private static func normalized(_ value: Any) -> Any {
        switch value {
        case let text as String: return text.isEmpty ? Nothing() : text
        case let dictionary as [String: Any]: return normalized(dictionary)
        case let array as [[String: Any]]: return array.map(normalized)
        case let array as [Any]: return array.map(normalized)
        case Optional<Any>.none: return Nothing()
        default: return value
        }
    }

    struct Nothing: MustacheCustomRenderable {
        var renderText: String { "" }
        var isNull: Bool { true }
    }
}

/// Builds query strings for links: `?a=b&c=d`, percent-encoding all but unreserved characters.
struct QueryBuilder {
    private var parts: [String] = []

    mutating func add(_ name: String, _ value: String) {
        parts.append(Self.encode(name) + "=" + Self.encode(value))
    }

    mutating func add(_ name: String, _ values: [String]) {
        for value in values { add(name, value) }
    }

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

/// The site's paths the peer's pages link to (German, unprefixed).
enum Paths {
    static let volunteerNeeds = "/ehrenamt"
    static func volunteerNeed(_ id: Int64) -> String { "/ehrenamt/\(id)" }
    /// The list of a kind's section (as our `ListingSection`): donations offered and needed share one.
    static func listings(_ kind: ListingKind) -> String {
        switch kind {
        case .volunteerNeed: volunteerNeeds
        case .volunteerOffer: "/mithelfen"
        case .donationNeed, .donationOffer: "/spenden"
        }
    }
    static func listing(_ kind: ListingKind, id: Int64) -> String { listings(kind) + "/\(id)" }
    static func contact(_ id: Int64) -> String { "/ehrenamt/\(id)/kontakt" }
    static func municipality(_ slug: String) -> String { "/gemeinden/\(slug)" }
    static func organisation(_ id: Int64) -> String { "/organisationen/\(id)" }
    static func image(_ name: String) -> String { "/bilder/\(name)" }
    static func staticFile(_ path: String) -> String { "/static/" + path }

    /// A positive decimal id of at most 18 digits, without sign or leading zero (as the main server accepts).
    static func identifier(_ text: Substring) -> Int64? {
        guard (1...18).contains(text.utf8.count), text.first != "0",
            text.utf8.allSatisfy({ (0x30...0x39).contains($0) })
        else { return nil }
        return Int64(text)
    }
}
