import Domain
import Foundation
import Testing

/// The rules of the listing form, one test per rule.
@Suite("Listing draft rules")
struct ListingDraftTests {
    static let berlin: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Europe/Berlin")!
        return calendar
    }()
    /// 2026-11-25 10:00 in Berlin.
    static let now = Date(timeIntervalSince1970: 1_795_597_200)

    /// A volunteer need that passes every rule.
    static func validNeed() -> ListingDraft {
        var draft = ListingDraft(kind: .volunteerNeed)
        draft.title = "Lesepatin gesucht"
        draft.description = "Wir suchen jemanden, der einmal pro Woche mit Kindern liest."
        draft.municipalityID = 3
        draft.topicIDs = [1]
        draft.timeCommitment = "weekly"
        draft.hoursPerWeek = "2"
        draft.contactLanguages = ["de"]
        return draft
    }

    static func validDonationNeed() -> ListingDraft {
        var draft = ListingDraft(kind: .donationNeed)
        draft.title = "Winterjacken gesucht"
        draft.description = "Für die Kleiderkammer."
        draft.municipalityID = 3
        draft.topicIDs = [16]
        draft.contactLanguages = ["de"]
        draft.items = [.init(name: "Winterjacke", quantity: "10"), .init(name: "", quantity: "")]
        return draft
    }

    static func validDonationOffer() -> ListingDraft {
        var draft = ListingDraft(kind: .donationOffer)
        draft.title = "Kinderbett abzugeben"
        draft.description = "Gut erhalten, aus Holz."
        draft.municipalityID = 3
        draft.topicIDs = [15]
        draft.contactLanguages = ["de"]
        draft.itemCondition = "good"
        draft.delivery = "pickup"
        return draft
    }

    static func problems(_ draft: ListingDraft, isNew: Bool = true) -> [FieldProblem] {
        switch draft.validate(isNew: isNew, now: now, calendar: berlin) {
        case .valid: []
        case .invalid(let problems): problems
        }
    }

    static func content(_ draft: ListingDraft) throws -> ListingContent {
        guard case .valid(let content) = draft.validate(isNew: true, now: now, calendar: berlin) else {
            Issue.record("expected a valid draft: \(problems(draft))")
            throw CancellationError()
        }
        return content
    }

    static func codes(_ draft: ListingDraft, isNew: Bool = true) -> [String] {
        problems(draft, isNew: isNew).map(\.code)
    }

    @Test func validDrafts_ofEveryKindPass() throws {
        var offer = ListingDraft(kind: .volunteerOffer)
        offer.title = "Ich helfe beim Umzug"
        offer.description = "Samstags habe ich Zeit."
        offer.municipalityID = 1
        offer.topicIDs = [12]
        offer.timeCommitment = "flexible"
        offer.contactLanguages = ["de", "tr"]
        for draft in [Self.validNeed(), offer, Self.validDonationNeed(), Self.validDonationOffer()] {
            #expect(Self.problems(draft).isEmpty, "\(draft.kind)")
        }
    }

    @Test func title_isRequiredAndAtMost150Characters() {
        var draft = Self.validNeed()
        draft.title = "   "
        #expect(Self.codes(draft) == ["title.missing"])
        draft.title = String(repeating: "ä", count: 151)
        #expect(Self.problems(draft) == [FieldProblem(field: "title", code: "title.too_long", values: ["max": "150"])])
        draft.title = String(repeating: "ä", count: 150)
        #expect(Self.codes(draft).isEmpty)
    }

    @Test func description_isRequiredAndAtMost5000Characters() {
        var draft = Self.validNeed()
        draft.description = ""
        #expect(Self.codes(draft) == ["description.missing"])
        draft.description = String(repeating: "x", count: 5001)
        #expect(Self.codes(draft) == ["description.too_long"])
    }

    @Test func municipality_isRequired() {
        var draft = Self.validNeed()
        draft.municipalityID = nil
        #expect(Self.problems(draft) == [FieldProblem(field: "municipality", code: "municipality.missing")])
    }

    @Test func placeAndAddress_areBounded() {
        var draft = Self.validNeed()
        draft.locationText = String(repeating: "o", count: 101)
        draft.addressText = String(repeating: "a", count: 201)
        #expect(Self.codes(draft) == ["location.too_long", "address.too_long"])
    }

    @Test func volunteerOffer_neverStoresAnAddress() throws {
        var draft = Self.validNeed()
        draft.kind = .volunteerOffer
        draft.addressText = "Lange Straße 1"
        #expect(try Self.content(draft).addressText == "")
    }

    @Test func volunteerTopics_needOneAndAtMostFive() {
        var draft = Self.validNeed()
        draft.topicIDs = []
        #expect(Self.codes(draft) == ["topics.missing"])
        draft.topicIDs = [1, 2, 3, 4, 5, 6]
        #expect(Self.problems(draft) == [FieldProblem(field: "topics", code: "topics.too_many", values: ["max": "5"])])
        draft.topicIDs = [1, 1, 2, 2, 3, 3]
        #expect(Self.codes(draft).isEmpty, "repeats count once")
    }

    @Test func donations_needExactlyOneCategory() {
        var draft = Self.validDonationOffer()
        draft.topicIDs = []
        #expect(Self.codes(draft) == ["category.missing"])
        draft.topicIDs = [15, 16]
        #expect(Self.codes(draft) == ["category.missing"])
    }

    @Test func commitment_mustBeAKnownValue() {
        var draft = Self.validNeed()
        draft.timeCommitment = ""
        #expect(Self.codes(draft) == ["commitment.missing"])
        draft.timeCommitment = "daily"
        #expect(Self.codes(draft) == ["commitment.missing"])
        draft.timeCommitment = "monthly"
        #expect(Self.codes(draft).isEmpty, "demo values stay acceptable")
    }

    @Test func oneOff_needsAValidDateThatIsNotPast() throws {
        var draft = Self.validNeed()
        draft.timeCommitment = "once"
        #expect(Self.codes(draft) == ["one_off_date.missing"])
        draft.oneOffDate = "31.02.2027"
        #expect(Self.codes(draft) == ["one_off_date.invalid"])
        draft.oneOffDate = "2027-02-30"
        #expect(Self.codes(draft) == ["one_off_date.invalid"])
        draft.oneOffDate = "2027-02-03"
        #expect(Self.codes(draft).isEmpty, "the ISO form of a phone's date picker is read too")
        draft.oneOffDate = "24.11.2026"
        #expect(Self.codes(draft) == ["one_off_date.past"])
        #expect(Self.codes(draft, isNew: false).isEmpty, "an edit may keep a date that has passed")
        draft.oneOffDate = "25.11.2026"
        #expect(Self.codes(draft).isEmpty, "today is fine")
        draft.oneOffDate = "3.12.2026"
        let content = try Self.content(draft)
        #expect(content.oneOffAt == Date(timeIntervalSince1970: 1_796_252_400), "midnight in Berlin")
        #expect(content.hoursPerWeek == nil)
    }

    @Test func weekly_needsHoursBetween1And60() throws {
        var draft = Self.validNeed()
        for bad in ["0", "61", "-2", "zwei", "2,5"] {
            draft.hoursPerWeek = bad
            #expect(Self.codes(draft) == ["hours_per_week.invalid"], "\(bad)")
        }
        draft.hoursPerWeek = ""
        #expect(Self.codes(draft) == ["hours_per_week.missing"])
        draft.hoursPerWeek = "60"
        #expect(try Self.content(draft).hoursPerWeek == 60)
    }

    @Test func period_endNotBeforeStartAndNotPast() {
        var draft = Self.validNeed()
        draft.startDate = "1.1.2027"
        draft.endDate = "31.12.2026"
        #expect(Self.codes(draft) == ["end_date.before_start"])
        draft.startDate = ""
        draft.endDate = "1.11.2026"
        #expect(Self.codes(draft) == ["end_date.past"])
        #expect(Self.codes(draft, isNew: false).isEmpty)
        draft.startDate = "morgen"
        draft.endDate = "bald"
        #expect(Self.codes(draft) == ["start_date.invalid", "end_date.invalid"])
        draft.startDate = "01.01.2027"
        draft.endDate = "01.01.2027"
        #expect(Self.codes(draft).isEmpty, "one day is a period")
    }

    @Test func minimumAge_isAWholeNumberUpTo99() throws {
        var draft = Self.validNeed()
        draft.minimumAge = "100"
        #expect(Self.codes(draft) == ["minimum_age.invalid"])
        draft.minimumAge = "16 Jahre"
        #expect(Self.codes(draft) == ["minimum_age.invalid"])
        draft.minimumAge = "16"
        #expect(try Self.content(draft).minimumAge == 16)
    }

    @Test func germanLevel_isOneOfTheLevels() throws {
        var draft = Self.validNeed()
        draft.germanLevel = "native"
        #expect(Self.codes(draft) == ["german_level.invalid"])
        draft.germanLevel = "basic"
        #expect(try Self.content(draft).germanLevel == .basic)
        draft.germanLevel = ""
        #expect(try Self.content(draft).germanLevel == .any)
    }

    @Test func requirementsAndPracticalTexts_areBounded() {
        var draft = Self.validNeed()
        draft.requirements = String(repeating: "r", count: 1001)
        draft.insuranceText = String(repeating: "i", count: 501)
        draft.expenseAllowanceText = String(repeating: "e", count: 501)
        #expect(Self.codes(draft) == ["requirements.too_long", "insurance.too_long", "expense_allowance.too_long"])
    }

    @Test func requirements_belongToVolunteerNeedsOnly() throws {
        var draft = Self.validDonationOffer()
        draft.policeClearance = true
        draft.barrierFree = true
        draft.minimumAge = "abc"
        draft.insuranceText = "Haftpflicht"
        let content = try Self.content(draft)
        #expect(!content.policeClearance && !content.barrierFree && content.minimumAge == nil)
        #expect(content.insuranceText == "" && content.timeCommitment == .flexible)
    }

    @Test func contactName_isBounded() {
        var draft = Self.validNeed()
        draft.contactName = String(repeating: "n", count: 101)
        #expect(Self.codes(draft) == ["contact_name.too_long"])
    }

    @Test func showingThePhone_needsAPlausibleNumber() throws {
        var draft = Self.validNeed()
        draft.showPhone = true
        #expect(Self.codes(draft) == ["contact_phone.missing"])
        for bad in ["ruf mich an", "123", "+49 (0) 5231 62 62 62 62 62 62 62", "05231+620"] {
            draft.contactPhone = bad
            #expect(Self.codes(draft) == ["contact_phone.invalid"], "\(bad)")
        }
        draft.contactPhone = "+49 5231 62-0"
        #expect(try Self.content(draft).contactPhone == "+49 5231 62-0")
    }

    @Test func contactLanguages_needOneKnownCode() throws {
        var draft = Self.validNeed()
        draft.contactLanguages = []
        #expect(Self.codes(draft) == ["languages.missing"])
        draft.contactLanguages = ["xx"]
        #expect(Self.codes(draft) == ["languages.missing"])
        draft.contactLanguages = ["tr", "xx", "de"]
        #expect(try Self.content(draft).contactLanguages == ["de", "tr"], "known codes in list order")
    }

    @Test func donationNeed_needsAtLeastOneItemLine() {
        var draft = Self.validDonationNeed()
        draft.items = [.init(name: "", quantity: ""), .init(name: "", quantity: "")]
        #expect(Self.problems(draft) == [FieldProblem(field: "item_1_name", code: "items.missing")])
    }

    @Test func itemLines_needNameAndQuantityBetween1And100000() throws {
        var draft = Self.validDonationNeed()
        draft.items = [
            .init(name: "Decken", quantity: ""), .init(name: "", quantity: "3"), .init(name: "Stühle", quantity: "0"),
            .init(name: String(repeating: "s", count: 101), quantity: "1"), .init(name: "", quantity: ""),
            .init(name: "Tische", quantity: "100001"),
        ]
        #expect(
            Self.problems(draft).map { "\($0.field):\($0.code)" } == [
                "item_1_quantity:item_quantity.missing", "item_2_name:item_name.missing",
                "item_3_quantity:item_quantity.invalid", "item_4_name:item_name.too_long",
                "item_6_quantity:item_quantity.invalid",
            ])
        draft.items = [
            .init(name: "Decken", quantity: "12"), .init(name: "", quantity: ""), .init(name: "Stühle", quantity: "4"),
        ]
        #expect(
            try Self.content(draft).items == [.init(name: "Decken", quantity: 12), .init(name: "Stühle", quantity: 4)])
    }

    @Test func itemLines_atMost20() {
        var draft = Self.validDonationNeed()
        draft.items = (1...21).map { .init(name: "Sache \($0)", quantity: "1") }
        #expect(Self.codes(draft) == ["items.too_many"])
    }

    @Test func dropoff_isBoundedAndOnlyForDonationNeeds() throws {
        var draft = Self.validDonationNeed()
        draft.dropoffText = String(repeating: "d", count: 501)
        #expect(Self.codes(draft) == ["dropoff.too_long"])
        var offer = Self.validDonationOffer()
        offer.dropoffText = "Gemeindehaus"
        offer.items = [.init(name: "Bett", quantity: "1")]
        let content = try Self.content(offer)
        #expect(content.dropoffText == "" && content.items.isEmpty)
    }

    @Test func donationOffer_needsConditionAndHandover() throws {
        var draft = Self.validDonationOffer()
        draft.itemCondition = ""
        draft.delivery = "post"
        #expect(Self.codes(draft) == ["condition.missing", "delivery.missing"])
        draft.itemCondition = "used"
        draft.delivery = "both"
        let content = try Self.content(draft)
        #expect(content.itemCondition == .used && content.delivery == .both)
    }

    @Test func summary_isMadeFromTheDescription() throws {
        var draft = Self.validNeed()
        draft.description = "Erste Zeile.\n\nZweite Zeile."
        #expect(try Self.content(draft).summary == "Erste Zeile. Zweite Zeile.")
        draft.description = String(repeating: "Wort ", count: 100)
        let summary = try Self.content(draft).summary
        #expect(summary.count <= 200 && summary.hasSuffix("Wort…"))
        #expect(PostingSummary.isDerived(summary, from: draft.description))
        #expect(!PostingSummary.isDerived("Etwas anderes", from: draft.description))
    }

    @Test func everyProducedCode_isListed() {
        var draft = ListingDraft(kind: .donationNeed)
        draft.title = String(repeating: "t", count: 200)
        draft.items = [.init(name: "", quantity: "x")]
        draft.showPhone = true
        for code in Self.codes(draft) {
            #expect(ListingDraft.problemCodes.contains(code), "\(code)")
        }
        #expect(Set(ListingDraft.problemCodes).count == ListingDraft.problemCodes.count)
    }
}
