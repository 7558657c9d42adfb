import Foundation

/// The UI strings of one language, from `Localization/<language>.json`.
///
/// Keys are nested objects in the file (`{"nav": {"home": "Start"}}`) and dotted paths in code
/// (`nav.home`). Templates get the nested form as `t`, so `{{t.nav.home}}` prints a string.
/// A key missing in the file is a start-up error, not a blank on a page: see `require(_:)`.
final class Localization: @unchecked Sendable {
    // Immutable after init; @unchecked because [String: Any] cannot be proven Sendable.
    let language: String
    private let flat: [String: String]
    /// The nested dictionary handed to templates as `t`.
    let templateStrings: [String: Any]

    enum LoadError: Error, CustomStringConvertible {
        case unreadable(path: String)
        case notAnObject(path: String)
        case nonStringValue(key: String)
        case missingKeys([String])

        var description: String {
            switch self {
            case .unreadable(let path): "Localization file \(path) could not be read."
            case .notAnObject(let path): "Localization file \(path) must hold a JSON object."
            case .nonStringValue(let key): "Localization key \(key) must be a string or an object."
            case .missingKeys(let keys): "Localization lacks keys used by the code: \(keys.joined(separator: ", "))"
            }
        }
    }

    init(language: String, path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else { throw LoadError.unreadable(path: path) }
        guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw LoadError.notAnObject(path: path)
        }
        var flat: [String: String] = [:]
        try Self.flatten(object, prefix: "", into: &flat)
        self.language = language
        self.flat = flat
        self.templateStrings = object
    }

    private static func flatten(_ object: [String: Any], prefix: String, into flat: inout [String: String]) throws {
        for (key, value) in object {
            let path = prefix.isEmpty ? key : prefix + "." + key
            if let text = value as? String {
                flat[path] = text
            } else if let nested = value as? [String: Any] {
                try flatten(nested, prefix: path, into: &flat)
            } else {
                throw LoadError.nonStringValue(key: path)
            }
        }
    }

    /// The string for `key`; keys are checked at start-up (`require`), so a miss here is a programming error
    /// that shows the key itself rather than crashing a request.
    subscript(_ key: String) -> String {
        flat[key] ?? key
    }

    /// The string for `key` with `{name}` placeholders replaced.
    func format(_ key: String, _ values: [String: String]) -> String {
        var text = self[key]
        for (name, value) in values {
            text = text.replacingOccurrences(of: "{\(name)}", with: value)
        }
        return text
    }

    /// The singular or plural form: `key.one` for 1, `key.other` otherwise, with `{count}` filled in.
    func plural(_ key: String, count: Int) -> String {
        // The language's CLDR category; a file that lacks it (German has only one/other) falls back to other.
        let category = (Language(rawValue: language) ?? .de).pluralCategory(count)
        let chosen = flat[key + "." + category] != nil ? key + "." + category : key + ".other"
        return format(chosen, ["count": String(count)])
    }

    func contains(_ key: String) -> Bool { flat[key] != nil }

    /// Fails when any of `keys` is missing, so a forgotten string stops the start instead of showing up later.
    func require(_ keys: [String]) throws {
        let missing = keys.filter { flat[$0] == nil }.sorted()
        if !missing.isEmpty { throw LoadError.missingKeys(missing) }
    }

    var allKeys: Set<String> { Set(flat.keys) }
}
