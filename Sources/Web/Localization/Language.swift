import Foundation

/// The languages of the interface. German is the source and has no path prefix (`/ehrenamt`); every
/// other language lives under its code (`/en/ehrenamt`), so a page's language is in its URL: links
/// can be shared and indexed, and every link on a page keeps the language (`SiteRoute.path`).
enum Language: String, CaseIterable, Sendable {
    case de, en, ar, uk, tr

    /// The language of the request being handled; `SiteRoute.path` prefixes links with it.
    @TaskLocal static var current: Language = .de

    var pathPrefix: String { self == .de ? "" : "/" + rawValue }

    /// The language's own name, for the switcher (always in that language, so people find theirs).
    var nativeName: String {
        switch self {
        case .de: "Deutsch"
        case .en: "English"
        case .ar: "العربية"
        case .uk: "Українська"
        case .tr: "Türkçe"
        }
    }

    var isRightToLeft: Bool { self == .ar }

    /// Splits a request path into its language and the rest (`/en/ehrenamt` → en, `/ehrenamt`);
    /// `/en` alone is that language's start page. A path without a known prefix is German.
    static func split(_ path: Substring) -> (Language, Substring) {
        // On bytes (this runs for every request): "/xx" or "/xx/…", a two-letter code after the first slash.
        let bytes = path.utf8
        guard bytes.first == UInt8(ascii: "/") else { return (.de, path) }
        let codeStart = bytes.index(after: bytes.startIndex)
        let codeEnd = bytes[codeStart...].firstIndex(of: UInt8(ascii: "/")) ?? bytes.endIndex
        guard bytes.distance(from: codeStart, to: codeEnd) == 2,
            let language = Language(rawValue: String(path[codeStart..<codeEnd])), language != .de
        else { return (.de, path) }
        let remainder = path[codeEnd...]
        return (language, remainder.isEmpty ? "/" : remainder)
    }

    /// The best supported language for an `Accept-Language` header (q-values respected, `q=0` refuses,
    /// regional variants match their language), or nil when none is acceptable.
    static func preferred(acceptLanguage: String, among available: [Language]) -> Language? {
        var best: (language: Language, quality: Double, order: Int)?
        for (order, item) in acceptLanguage.split(separator: ",").prefix(20).enumerated() {
            let parts = item.split(separator: ";")
            let tag = parts.first?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
            var quality = 1.0
            for parameter in parts.dropFirst() {
                let pair = parameter.trimmingCharacters(in: .whitespaces)
                if pair.hasPrefix("q="), let value = Double(pair.dropFirst(2)) { quality = value }
            }
            guard quality > 0, let language = Language(rawValue: String(tag.prefix { $0 != "-" })),
                available.contains(language)
            else { continue }
            if best == nil || quality > best!.quality { best = (language, quality, order) }
        }
        return best?.language
    }

    /// The CLDR plural category of `count` in this language (integers only).
    func pluralCategory(_ count: Int) -> String {
        let n = abs(count)
        switch self {
        case .de, .en, .tr:
            return n == 1 ? "one" : "other"
        case .uk:
            let mod10 = n % 10
            let mod100 = n % 100
            if mod10 == 1 && mod100 != 11 { return "one" }
            if (2...4).contains(mod10) && !(12...14).contains(mod100) { return "few" }
            return "many"
        case .ar:
            let mod100 = n % 100
            switch n {
            case 0: return "zero"
            case 1: return "one"
            case 2: return "two"
            default:
                if (3...10).contains(mod100) { return "few" }
                if (11...99).contains(mod100) { return "many" }
                return "other"
            }
        }
    }
}
