import Foundation

/// One thing wrong with a posted form: the field it belongs to and a message code.
///
/// `code` is `<rule>.<reason>` (e.g. `title.missing`, `item_quantity.invalid`); the web layer shows the
/// string `posting.error.<code>` with `values` filled into its placeholders. `field` is the form field
/// the message is shown next to (for item lines `item_3_name`).
public struct FieldProblem: Sendable, Hashable {
    public var field: String
    public var code: String
    public var values: [String: String]

    public init(field: String, code: String, values: [String: String] = [:]) {
        self.field = field
        self.code = code
        self.values = values
    }
}

/// How donated items change hands.
public enum DonationHandover: String, Sendable, CaseIterable, Codable {
    /// The receiver collects them.
    case pickup
    /// The giver brings them.
    case delivery
    /// Either way.
    case both
}

/// The languages a contact person can say they speak: a small fixed list, German first.
public enum ContactLanguage {
    public static let codes = ["de", "en", "tr", "ar", "uk", "ru", "pl", "fr", "fa", "ku"]
}

/// Upper bounds of the text fields of postings, in characters.
public enum PostingLimits {
    public static let title = 150
    public static let description = 5000
    public static let summary = 200
    public static let place = 100
    public static let address = 200
    public static let requirements = 1000
    public static let practical = 500
    public static let contactName = 100
    public static let phone = 30
    public static let itemName = 100
    public static let itemQuantity = 100_000
    public static let itemLines = 20
    public static let dropoff = 500
    public static let venue = 150
    public static let registration = 500
    public static let cost = 200
    public static let topics = 5
    public static let hoursPerWeek = 1...60
    public static let minimumAge = 0...99
    /// How long a listing stays public after it is published, unless its end date comes first.
    public static let listingLifetimeDays = 183
}

/// Dates and times as people in Germany type them, `TT.MM.JJJJ` and `HH:MM` (the forms the pages ask
/// for and show), read strictly in the county's time zone (no 31.02., no 24:00, no time that a clock
/// change skips). Also read, because the site speaks other languages: `TT/MM/JJJJ` (day first, as in
/// British English, Arabic and Turkish use), ISO `JJJJ-MM-TT`, `HH.MM`, and Arabic-Indic digits.
public enum GermanDateText {
    /// The start of the day `text` names, or nil. Day and month may have one or two digits, the year four.
    public static func day(_ text: String, in calendar: Calendar) -> Date? {
        let text = asciiDigits(text)
        let iso = text.split(separator: "-", omittingEmptySubsequences: false)
        if iso.count == 3 {
            guard let year = number(iso[0], digits: 4...4), let month = number(iso[1], digits: 2...2),
                let day = number(iso[2], digits: 2...2)
            else { return nil }
            return validDay(year: year, month: month, day: day, in: calendar)
        }
        let separator: Character = text.contains("/") ? "/" : "."
        let parts = text.split(separator: separator, omittingEmptySubsequences: false)
        guard parts.count == 3, let day = number(parts[0], digits: 1...2), let month = number(parts[1], digits: 1...2),
            let year = number(parts[2], digits: 4...4)
        else { return nil }
        return validDay(year: year, month: month, day: day, in: calendar)
    }

    private static func validDay(year: Int, month: Int, day: Int, in calendar: Calendar) -> Date? {
        guard (1...12).contains(month), (1...31).contains(day), year >= 1900 else { return nil }
        return date(year: year, month: month, day: day, hour: 0, minute: 0, in: calendar)
    }

    /// Hours and minutes of `text` (`H:MM`, `HH:MM` or with a dot, 00:00 to 23:59), or nil.
    public static func time(_ text: String) -> (hour: Int, minute: Int)? {
        let text = asciiDigits(text)
        let separator: Character = text.contains(".") ? "." : ":"
        let parts = text.split(separator: separator, omittingEmptySubsequences: false)
        guard parts.count == 2, let hour = number(parts[0], digits: 1...2),
            let minute = number(parts[1], digits: 2...2),
            (0...23).contains(hour), (0...59).contains(minute)
        else { return nil }
        return (hour, minute)
    }

    /// The moment `time` on the day that starts at `day`, or nil when the clock skips that time.
    public static func moment(day: Date, hour: Int, minute: Int, in calendar: Calendar) -> Date? {
        let parts = calendar.dateComponents([.year, .month, .day], from: day)
        guard let year = parts.year, let month = parts.month, let dayNumber = parts.day else { return nil }
        return date(year: year, month: month, day: dayNumber, hour: hour, minute: minute, in: calendar)
    }

    /// "03.12.2026"
    public static func format(day date: Date, in calendar: Calendar) -> String {
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%02d.%02d.%04d", parts.day ?? 0, parts.month ?? 0, parts.year ?? 0)
    }

    /// "18:30"
    public static func format(time date: Date, in calendar: Calendar) -> String {
        let parts = calendar.dateComponents([.hour, .minute], from: date)
        return String(format: "%02d:%02d", parts.hour ?? 0, parts.minute ?? 0)
    }

    /// The date only if the calendar gives back exactly the fields asked for: no rolling over of
    /// 31.02. into March, no silent shift of 02:30 on the night the clocks go forward.
    private static func date(year: Int, month: Int, day: Int, hour: Int, minute: Int, in calendar: Calendar) -> Date? {
        let wanted = DateComponents(year: year, month: month, day: day, hour: hour, minute: minute)
        guard let date = calendar.date(from: wanted) else { return nil }
        let back = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        guard back.year == year, back.month == month, back.day == day, back.hour == hour, back.minute == minute
        else { return nil }
        return date
    }

    /// `text` with Arabic-Indic (U+0660…) and Eastern Arabic-Indic (U+06F0…) digits as ASCII digits.
    static func asciiDigits(_ text: String) -> String {
        var scalars = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x0660...0x0669: scalars.append(Unicode.Scalar(0x30 + scalar.value - 0x0660)!)
            case 0x06F0...0x06F9: scalars.append(Unicode.Scalar(0x30 + scalar.value - 0x06F0)!)
            default: scalars.append(scalar)
            }
        }
        return String(scalars)
    }

    private static func number(_ text: Substring, digits: ClosedRange<Int>) -> Int? {
        guard digits.contains(text.utf8.count), text.utf8.allSatisfy({ (0x30...0x39).contains($0) }) else { return nil }
        return Int(text)
    }
}

/// Where a posting goes in its lifecycle when a poster creates or edits it.
///
/// Moderation is the rule: what a person posts waits for staff (`pending`). An organisation that staff
/// marked as trusted, and that is approved, publishes directly.
public enum PostingLifecycle {
    /// The state of a new posting: submitted, and approved at once when the poster publishes directly.
    public static func initialState(publishesDirectly: Bool) -> PublicationState {
        let submitted = PublicationState.draft.applying(.submit) ?? .pending
        return publishesDirectly ? (submitted.applying(.approve) ?? submitted) : submitted
    }

    /// The state after the poster saved changes, or nil when the posting can no longer be edited (archived).
    ///
    /// Rejected and expired postings go back to moderation (`revise`, `republish`). A published posting
    /// whose poster is not trusted goes back to `pending` as well: the state machine has no poster action
    /// for it, because changed content has not been checked. Hidden stays hidden: staff hid it.
    public static func stateAfterEdit(_ current: PublicationState, publishesDirectly: Bool) -> PublicationState? {
        let resubmitted: PublicationState
        switch current {
        case .archived: return nil
        case .hidden: return .hidden
        case .published: return publishesDirectly ? .published : .pending
        case .draft: resubmitted = current.applying(.submit) ?? .pending
        case .pending: resubmitted = .pending
        case .rejected: resubmitted = current.applying(.revise) ?? .pending
        case .expired: resubmitted = current.applying(.republish) ?? .pending
        }
        return publishesDirectly ? (resubmitted.applying(.approve) ?? resubmitted) : resubmitted
    }

    /// Whether saving an edit of a posting in `current` takes it off the public pages until staff look again.
    public static func editReturnsToModeration(_ current: PublicationState, publishesDirectly: Bool) -> Bool {
        current == .published && stateAfterEdit(current, publishesDirectly: publishesDirectly) == .pending
    }

    /// When a listing published at `publishedAt` stops being public: after `listingLifetimeDays`, or at the
    /// end of its last day (`endDay`, the start of that day) if that comes first.
    public static func listingExpiry(publishedAt: Date, endDay: Date?, calendar: Calendar) -> Date {
        let lifetime =
            calendar.date(byAdding: .day, value: PostingLimits.listingLifetimeDays, to: publishedAt)
            ?? publishedAt.addingTimeInterval(Double(PostingLimits.listingLifetimeDays) * 86_400)
        guard let endDay, let afterEnd = calendar.date(byAdding: .day, value: 1, to: endDay) else { return lifetime }
        return min(lifetime, afterEnd)
    }
}

/// Shared checks of the two drafts.
enum DraftCheck {
    /// `missing` when empty and required, `too_long` over `limit` characters.
    static func text(
        _ value: String, field: String, limit: Int, required: Bool, into problems: inout [FieldProblem]
    ) {
        if value.isEmpty {
            if required { problems.append(FieldProblem(field: field, code: "\(field).missing")) }
        } else if value.count > limit {
            problems.append(FieldProblem(field: field, code: "\(field).too_long", values: ["max": String(limit)]))
        }
    }

    /// A whole number written with digits only (no sign, no spaces inside), or nil.
    static func wholeNumber(_ text: String) -> Int? {
        guard (1...9).contains(text.utf8.count), text.utf8.allSatisfy({ (0x30...0x39).contains($0) }) else {
            return nil
        }
        return Int(text)
    }

    /// A text without surrounding whitespace.
    static func trimmed(_ text: String) -> String { text.trimmingCharacters(in: .whitespacesAndNewlines) }

    /// A short summary for list cards: the first `limit` characters of the description, cut at a word,
    /// with "…" when something was left out. Line breaks become spaces.
    static func summary(of description: String, limit: Int) -> String {
        let flat = flattened(description, beyond: limit)
        guard flat.count > limit else { return flat }
        let cut = flat.prefix(limit - 1)
        let atWord = cut.lastIndex(of: " ").map { cut[..<$0] } ?? cut
        return atWord.trimmingCharacters(in: .whitespaces.union(.punctuationCharacters)) + "…"
    }

    /// The non-empty lines of `text`, trimmed and joined with spaces, up to the first line that takes the
    /// result past `limit` characters: the summary needs no more, and a detail page checks it for every view
    /// of a long description. The joining spaces are not counted (one can merge with a combining mark that
    /// starts the next line), so the count never exceeds the result's real length.
    static func flattened(_ text: String, beyond limit: Int) -> String {
        var flat = ""
        var counted = 0
        for line in text.split(whereSeparator: \.isNewline) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty else { continue }
            if !flat.isEmpty { flat += " " }
            flat += trimmed
            counted += trimmed.count
            if counted > limit { break }
        }
        return flat
    }

    /// Whether `summary` is what `summary(of:)` makes of `description` (the detail page then does not
    /// repeat the beginning of the text as its lead).
    static func isDerived(_ summary: String, from description: String, limit: Int) -> Bool {
        summary == Self.summary(of: description, limit: limit)
    }
}

/// Summaries of postings (list cards) are made from the description.
public enum PostingSummary {
    public static func make(from description: String) -> String {
        DraftCheck.summary(of: description, limit: PostingLimits.summary)
    }

    public static func isDerived(_ summary: String, from description: String) -> Bool {
        DraftCheck.isDerived(summary, from: description, limit: PostingLimits.summary)
    }
}
