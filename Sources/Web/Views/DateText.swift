import Foundation

/// Formats dates for people in the county's time zone, with day and month names from the
/// localization (so every language gets its own), without a shared `DateFormatter`.
struct DateText: Sendable {
    let calendar: Calendar
    private let weekdays: [String]
    private let months: [String]
    private let dateTemplate: [Part]
    private let dateTimeTemplate: [Part]
    private let timeTemplate: [Part]

    /// A format from the localization (`{weekday}, {day}. {month} {year}`), split once into its parts.
    enum Part: Equatable {
        case text(String)
        case weekday, day, month, year, hour, minute

        static let fields: [String: Part] = [
            "weekday": .weekday, "day": .day, "month": .month, "year": .year, "hour": .hour, "minute": .minute,
        ]

        /// `{name}` for the six fields; any other brace is text.
        static func parse(_ template: String) -> [Part] {
            var parts: [Part] = []
            var text = ""
            var rest = template[...]
            while let open = rest.firstIndex(of: "{") {
                text += rest[..<open]
                let afterOpen = rest.index(after: open)
                if let close = rest[afterOpen...].firstIndex(of: "}"),
                    let field = fields[String(rest[afterOpen..<close])]
                {
                    if !text.isEmpty { parts.append(.text(text)) }
                    text = ""
                    parts.append(field)
                    rest = rest[rest.index(after: close)...]
                } else {
                    text += "{"
                    rest = rest[afterOpen...]
                }
            }
            text += rest
            if !text.isEmpty { parts.append(.text(text)) }
            return parts
        }
    }

    init(strings: Localization, timeZone: TimeZone) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        self.calendar = calendar
        weekdays = (1...7).map { strings["date.weekday.\($0)"] }
        months = (1...12).map { strings["date.month.\($0)"] }
        dateTemplate = Part.parse(strings["date.format.date"])
        dateTimeTemplate = Part.parse(strings["date.format.date_time"])
        timeTemplate = Part.parse(strings["date.format.time"])
    }

    /// "Mittwoch, 3. Dezember 2026"
    func date(_ date: Date) -> String {
        fill(dateTemplate, date)
    }

    /// "Mittwoch, 3. Dezember 2026, 18:00 Uhr"
    func dateTime(_ date: Date) -> String {
        fill(dateTimeTemplate, date)
    }

    /// "18:00 Uhr"
    func time(_ date: Date) -> String {
        fill(timeTemplate, date)
    }

    /// "2026-12-03T18:00:00+01:00" for `<time datetime>`. Built by hand: `String(format:)` cost a tenth
    /// of a list page (a card has one; Benchmarks/NOTES.md).
    func machineReadable(_ date: Date) -> String {
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        let offset = calendar.timeZone.secondsFromGMT(for: date)
        var text = Self.padded(c.year ?? 0, 4) + "-" + Self.twoDigits(c.month ?? 0) + "-" + Self.twoDigits(c.day ?? 0)
        text +=
            "T" + Self.twoDigits(c.hour ?? 0) + ":" + Self.twoDigits(c.minute ?? 0) + ":"
            + Self.twoDigits(c.second ?? 0)
        text +=
            (offset < 0 ? "-" : "+") + Self.twoDigits(abs(offset) / 3600) + ":"
            + Self.twoDigits(abs(offset) % 3600 / 60)
        return text
    }

    private func fill(_ template: [Part], _ date: Date) -> String {
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .weekday], from: date)
        var result = ""
        for part in template {
            switch part {
            case .text(let text): result += text
            case .weekday: result += weekdays[(c.weekday ?? 1) - 1]
            case .day: result += String(c.day ?? 0)
            case .month: result += months[(c.month ?? 1) - 1]
            case .year: result += String(c.year ?? 0)
            case .hour: result += Self.twoDigits(c.hour ?? 0)
            case .minute: result += Self.twoDigits(c.minute ?? 0)
            }
        }
        return result
    }

    private static func twoDigits(_ value: Int) -> String { padded(value, 2) }

    /// `value` with leading zeros to `width` digits (non-negative values; others as they are).
    private static func padded(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        guard value >= 0, digits.utf8.count < width else { return digits }
        return String(repeating: "0", count: width - digits.utf8.count) + digits
    }
}
