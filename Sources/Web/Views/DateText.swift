import Foundation

/// Formats dates for people in the county's time zone, with day and month names from the
/// localization (so every language gets its own), without a shared `DateFormatter`.
struct DateText: Sendable {
    let calendar: Calendar
    private let weekdays: [String]
    private let months: [String]
    private let dateTemplate: String
    private let dateTimeTemplate: String
    private let timeTemplate: String

    init(strings: Localization, timeZone: TimeZone) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        self.calendar = calendar
        weekdays = (1...7).map { strings["date.weekday.\($0)"] }
        months = (1...12).map { strings["date.month.\($0)"] }
        dateTemplate = strings["date.format.date"]
        dateTimeTemplate = strings["date.format.date_time"]
        timeTemplate = strings["date.format.time"]
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

    /// "2026-12-03T18:00:00+01:00" for `<time datetime>`.
    func machineReadable(_ date: Date) -> String {
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        let offset = calendar.timeZone.secondsFromGMT(for: date)
        let sign = offset < 0 ? "-" : "+"
        return String(
            format: "%04d-%02d-%02dT%02d:%02d:%02d%@%02d:%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0, c.hour ?? 0,
            c.minute ?? 0, c.second ?? 0, sign, abs(offset) / 3600, abs(offset) % 3600 / 60)
    }

    private func fill(_ template: String, _ date: Date) -> String {
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .weekday], from: date)
        return
            template
            .replacingOccurrences(of: "{weekday}", with: weekdays[(c.weekday ?? 1) - 1])
            .replacingOccurrences(of: "{day}", with: String(c.day ?? 0))
            .replacingOccurrences(of: "{month}", with: months[(c.month ?? 1) - 1])
            .replacingOccurrences(of: "{year}", with: String(c.year ?? 0))
            .replacingOccurrences(of: "{hour}", with: String(format: "%02d", c.hour ?? 0))
            .replacingOccurrences(of: "{minute}", with: String(format: "%02d", c.minute ?? 0))
    }
}
