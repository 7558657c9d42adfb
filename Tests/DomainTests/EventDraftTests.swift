import Domain
import Foundation
import Testing

/// The rules of the event form, one test per rule.
@Suite("Event draft rules")
struct EventDraftTests {
    static let berlin = ListingDraftTests.berlin
    static let now = ListingDraftTests.now

    static func valid() -> EventDraft {
        var draft = EventDraft()
        draft.title = "Infoabend Ehrenamt"
        draft.description = "Wir stellen die Börse vor."
        draft.eventType = "info_evening"
        draft.date = "03.12.2026"
        draft.startTime = "18:00"
        draft.endTime = "20:30"
        draft.municipalityID = 2
        return draft
    }

    static func codes(_ draft: EventDraft, isNew: Bool = true) -> [String] {
        switch draft.validate(isNew: isNew, now: now, calendar: berlin) {
        case .valid: []
        case .invalid(let problems): problems.map(\.code)
        }
    }

    static func content(_ draft: EventDraft) throws -> EventContent {
        guard case .valid(let content) = draft.validate(isNew: true, now: now, calendar: berlin) else {
            Issue.record("expected a valid event: \(codes(draft))")
            throw CancellationError()
        }
        return content
    }

    @Test func validEvent_isReadInBerlinTime() throws {
        let content = try Self.content(Self.valid())
        // 2026-12-03 18:00 in Berlin is 17:00 UTC.
        #expect(content.startsAt == Date(timeIntervalSince1970: 1_796_317_200))
        #expect(content.endsAt == Date(timeIntervalSince1970: 1_796_317_200 + 9000))
        #expect(content.eventType == .infoEvening)
        #expect(content.summary == "Wir stellen die Börse vor.")
    }

    @Test func titleAndDescription_areRequiredAndBounded() {
        var draft = Self.valid()
        draft.title = ""
        draft.description = String(repeating: "d", count: 5001)
        #expect(Self.codes(draft) == ["title.missing", "description.too_long"])
        draft.title = String(repeating: "t", count: 151)
        draft.description = ""
        #expect(Self.codes(draft) == ["title.too_long", "description.missing"])
    }

    @Test func eventType_mustBeKnown() {
        var draft = Self.valid()
        draft.eventType = "party"
        #expect(Self.codes(draft) == ["event_type.missing"])
    }

    @Test func date_isRequiredValidAndNotPast() {
        var draft = Self.valid()
        draft.date = ""
        #expect(Self.codes(draft) == ["date.missing"])
        draft.date = "30.02.2027"
        #expect(Self.codes(draft) == ["date.invalid"])
        draft.date = "24.11.2026"
        #expect(Self.codes(draft) == ["date.past"])
        #expect(Self.codes(draft, isNew: false).isEmpty)
        draft.date = "25.11.2026"
        draft.startTime = "09:59"
        draft.endTime = ""
        #expect(Self.codes(draft) == ["date.past"], "earlier today has passed")
        draft.startTime = "10:00"
        #expect(Self.codes(draft).isEmpty)
    }

    @Test func times_areStrictHoursAndMinutes() {
        var draft = Self.valid()
        draft.startTime = ""
        #expect(Self.codes(draft) == ["start_time.missing"])
        for bad in ["24:00", "18", "18,30", "18:5", "6 Uhr"] {
            draft.startTime = bad
            #expect(Self.codes(draft) == ["start_time.invalid"], "\(bad)")
        }
        draft.startTime = "9:30"
        draft.endTime = "25:00"
        #expect(Self.codes(draft) == ["end_time.invalid"])
    }

    @Test func end_mustBeAfterStart() {
        var draft = Self.valid()
        draft.endTime = "18:00"
        #expect(Self.codes(draft) == ["end_time.before_start"])
        draft.endTime = "17:00"
        #expect(Self.codes(draft) == ["end_time.before_start"])
    }

    @Test func aTimeTheClockSkips_isRefused() {
        var draft = Self.valid()
        // Clocks go from 02:00 to 03:00 on 28 March 2027 in Germany.
        draft.date = "28.03.2027"
        draft.startTime = "02:30"
        draft.endTime = ""
        #expect(Self.codes(draft) == ["start_time.skipped"])
    }

    @Test func municipality_isRequired() {
        var draft = Self.valid()
        draft.municipalityID = nil
        #expect(Self.codes(draft) == ["municipality.missing"])
    }

    @Test func placeTexts_areBounded() {
        var draft = Self.valid()
        draft.venue = String(repeating: "v", count: 151)
        draft.address = String(repeating: "a", count: 201)
        draft.costText = String(repeating: "c", count: 201)
        #expect(Self.codes(draft) == ["venue.too_long", "address.too_long", "cost.too_long"])
    }

    @Test func requiredRegistration_saysHow() throws {
        var draft = Self.valid()
        draft.registrationRequired = true
        #expect(Self.codes(draft) == ["registration_text.missing"])
        draft.registrationText = String(repeating: "r", count: 501)
        #expect(Self.codes(draft) == ["registration_text.too_long"])
        draft.registrationText = "Bis 1. Dezember per Telefon"
        #expect(try Self.content(draft).registrationRequired)
    }

    @Test func topics_atMostFive() {
        var draft = Self.valid()
        draft.topicIDs = [1, 2, 3, 4, 5, 6]
        #expect(Self.codes(draft) == ["topics.too_many"])
    }

    @Test func everyProducedCode_isListed() {
        var draft = EventDraft()
        draft.registrationRequired = true
        draft.endTime = "x"
        for code in Self.codes(draft) {
            #expect(EventDraft.problemCodes.contains(code), "\(code)")
        }
    }
}
