import Foundation

/// The German UI strings from `Localization/de.json`, read once at start-up.
///
/// Keys are nested objects in the file and dotted paths in code (`nav.volunteer_needs`); templates get
/// the nested dictionary as `t`, as in the main server.
final class Strings: @unchecked Sendable {
    // Immutable after init; @unchecked because [String: Any] cannot be proven Sendable.
    let language = "de"
    private let flat: [String: String]
    /// The nested dictionary handed to templates as `t`.
    let templateStrings: [String: Any]

    init(path: String) throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw PeerError("\(path) must hold a JSON object")
        }
        var flat: [String: String] = [:]
        Self.flatten(object, prefix: "", into: &flat)
        self.flat = flat
        templateStrings = TemplateValues.normalized(object)
    }

    private static func flatten(_ object: [String: Any], prefix: String, into flat: inout [String: String]) {
        for (key, value) in object {
            let path = prefix.isEmpty ? key : prefix + "." + key
            if let text = value as? String {
                flat[path] = text
            } else if let nested = value as? [String: Any] {
                flatten(nested, prefix: path, into: &flat)
            }
        }
    }

    subscript(_ key: String) -> String { flat[key] ?? key }

    /// The string for `key` with `{name}` placeholders replaced.
    func format(_ key: String, _ values: [String: String]) -> String {
        var text = self[key]
        for (name, value) in values {
            text = text.replacingOccurrences(of: "{\(name)}", with: value)
        }
        return text
    }

    /// German plural: `key.one` for 1, `key.other` otherwise, with `{count}` filled in.
    func plural(_ key: String, count: Int) -> String {
        let category = abs(count) == 1 ? "one" : "other"
        let chosen = flat[key + "." + category] != nil ? key + "." + category : key + ".other"
        return format(chosen, ["count": String(count)])
    }
}

/// Dates for people, in the county's time zone, with month and weekday names from the strings.
struct DateText: Sendable {
    let calendar: Calendar
    private let weekdays: [String]
    private let months: [String]
    private let dateTemplate: String

    init(strings: Strings, timeZone: TimeZone) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        self.calendar = calendar
        weekdays = (1...7).map { strings["date.weekday.\($0)"] }
        months = (1...12).map { strings["date.month.\($0)"] }
        dateTemplate = strings["date.format.date"]
    }

    /// "3. Dezember 2026"
    func date(_ date: Date) -> String {
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .weekday], from: date)
        return
            dateTemplate
            .replacingOccurrences(of: "{weekday}", with: weekdays[(c.weekday ?? 1) - 1])
            .replacingOccurrences(of: "{day}", with: String(c.day ?? 0))
            .replacingOccurrences(of: "{month}", with: months[(c.month ?? 1) - 1])
            .replacingOccurrences(of: "{year}", with: String(c.year ?? 0))
            .replacingOccurrences(of: "{hour}", with: String(format: "%02d", c.hour ?? 0))
            .replacingOccurrences(of: "{minute}", with: String(format: "%02d", c.minute ?? 0))
    }

    /// "2026-12-03T18:00:00+01:00" for `<time datetime>`.
    func machineReadable(_ date: Date) -> String {
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        let offset = calendar.timeZone.secondsFromGMT(for: date)
        let sign = offset < 0 ? "-" : "+"
        return String(
            format: "%04d-%02d-%02dT%02d:%02d:%02d%@%02d:%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0, c.hour ?? 0,
            c.minute ?? 0, c.second ?? 0, sign, abs(offset) / 3600, abs(offset) % 3600 / 60)
    }
}

struct PeerError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
