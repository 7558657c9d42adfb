import Foundation
import StorageTestSupport
import Testing

@testable import Web

@Suite("Localization")
struct LocalizationTests {
    let strings: Localization

    init() throws {
        strings = try Localization(language: "de", path: TestDatabase.projectRoot + "/Localization/de.json")
    }

    @Test("every {{t.…}} key used in a template exists in de.json")
    func templateKeysExist() throws {
        let root = TestDatabase.projectRoot + "/Templates"
        let files = try #require(FileManager.default.enumerator(atPath: root)).compactMap { $0 as? String }
            .filter { $0.hasSuffix(".mustache") }
        #expect(!files.isEmpty)
        let pattern = try NSRegularExpression(pattern: "\\{\\{[#^/]?\\s*t\\.([a-z0-9_.]+)\\s*\\}\\}")
        var missing: [String] = []
        for file in files {
            let text = try String(contentsOfFile: root + "/" + file, encoding: .utf8)
            for match in pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                guard let range = Range(match.range(at: 1), in: text) else { continue }
                let key = String(text[range])
                if !strings.contains(key) { missing.append("\(file): \(key)") }
            }
        }
        #expect(missing.isEmpty, "\(missing)")
    }

    @Test("every key the Swift code builds exists")
    func requiredKeysExist() throws {
        try strings.require(RequiredStrings.keys)
    }

    @Test("placeholders and plural forms are filled in")
    func formatting() {
        #expect(strings.plural("listings.result_count", count: 1) == "1 Eintrag gefunden")
        #expect(strings.plural("listings.result_count", count: 0) == "0 Einträge gefunden")
        #expect(strings.plural("listings.result_count", count: 12) == "12 Einträge gefunden")
        #expect(strings.format("pagination.summary", ["page": "2", "count": "9"]) == "Seite 2 von 9")
    }

    @Test("dates are written the German way, in Berlin time")
    func germanDates() throws {
        let dates = DateText(strings: strings, timeZone: try #require(TimeZone(identifier: "Europe/Berlin")))
        // 2026-12-03 17:00 UTC is 18:00 in Berlin (winter time).
        let winter = Date(timeIntervalSince1970: 1_796_317_200)
        #expect(dates.dateTime(winter) == "Donnerstag, 3. Dezember 2026, 18:00 Uhr")
        #expect(dates.date(winter) == "3. Dezember 2026")
        #expect(dates.machineReadable(winter) == "2026-12-03T18:00:00+01:00")
        // 2026-07-01 08:30 UTC is 10:30 in Berlin (summer time).
        let summer = Date(timeIntervalSince1970: 1_782_894_600)
        #expect(dates.time(summer) == "10:30 Uhr")
        #expect(dates.machineReadable(summer) == "2026-07-01T10:30:00+02:00")
        let early = Date(timeIntervalSince1970: 1_782_878_700)  // 2026-07-01 04:05 UTC, 06:05 in Berlin
        #expect(dates.time(early) == "06:05 Uhr")
    }

    @Test("a date format is split once into text and fields; unknown and unclosed braces stay text")
    func dateFormatParts() {
        typealias Part = DateText.Part
        #expect(
            Part.parse("{weekday}, {day}. {month} {year}") == [
                .weekday, .text(", "), .day, .text(". "), .month, .text(" "), .year,
            ])
        #expect(Part.parse("{hour}:{minute} Uhr") == [.hour, .text(":"), .minute, .text(" Uhr")])
        #expect(Part.parse("{x} {day") == [.text("{x} {day")])
        #expect(Part.parse("{{day}}") == [.text("{"), .day, .text("}")])
        #expect(Part.parse("") == [])
    }
}
