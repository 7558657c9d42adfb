import Domain
import Foundation
import Testing

@Suite("Posting rules: German dates and the poster's lifecycle")
struct PostingRulesTests {
    static let berlin = ListingDraftTests.berlin

    @Test func germanDays_areReadStrictly() {
        #expect(GermanDateText.day("03.12.2026", in: Self.berlin) == Date(timeIntervalSince1970: 1_796_252_400))
        #expect(GermanDateText.day("3.12.2026", in: Self.berlin) == GermanDateText.day("03.12.2026", in: Self.berlin))
        for bad in [
            "29.02.2027", "32.01.2027", "1.13.2027", "01.01.27", "1.1.", "", "01-01-2027", " 1.1.2027", "1.1.2027x",
        ] {
            #expect(GermanDateText.day(bad, in: Self.berlin) == nil, "\(bad)")
        }
        #expect(GermanDateText.day("29.02.2028", in: Self.berlin) != nil, "leap year")
    }

    /// People who read the site in another language type dates their way: slashes (en-GB, ar), the ISO
    /// form a phone's date picker or a copied value gives, and Arabic-Indic digits from an Arabic keyboard.
    @Test func days_inOtherCommonNotations_meanTheSameDay() {
        let expected = GermanDateText.day("03.12.2026", in: Self.berlin)
        for text in ["3/12/2026", "03/12/2026", "2026-12-03", "٠٣/١٢/٢٠٢٦", "۰۳.۱۲.۲۰۲۶"] {
            #expect(GermanDateText.day(text, in: Self.berlin) == expected, "\(text)")
        }
        for bad in ["03/12.2026", "2026-12-3", "2026/12/03", "12/31/2026", "2026-02-30", "٠٣/١٢/٢٦"] {
            #expect(GermanDateText.day(bad, in: Self.berlin) == nil, "\(bad)")
        }
    }

    @Test func times_acceptColonOrDot_andArabicIndicDigits() {
        #expect(GermanDateText.time("18:30")! == (18, 30))
        #expect(GermanDateText.time("18.30")! == (18, 30))
        #expect(GermanDateText.time("٩:٠٥")! == (9, 5))
        for bad in ["18", "18:3", "24:00", "18:30:00", "18,30", "18:30 "] {
            #expect(GermanDateText.time(bad) == nil, "\(bad)")
        }
    }

    @Test func germanDays_roundTrip() throws {
        let day = try #require(GermanDateText.day("7.6.2027", in: Self.berlin))
        #expect(GermanDateText.format(day: day, in: Self.berlin) == "07.06.2027")
        let moment = try #require(GermanDateText.moment(day: day, hour: 9, minute: 5, in: Self.berlin))
        #expect(GermanDateText.format(time: moment, in: Self.berlin) == "09:05")
    }

    @Test func newPostings_waitForStaffUnlessThePosterPublishesDirectly() {
        #expect(PostingLifecycle.initialState(publishesDirectly: false) == .pending)
        #expect(PostingLifecycle.initialState(publishesDirectly: true) == .published)
    }

    @Test func editingPublished_returnsToModerationForUntrustedPosters() {
        #expect(PostingLifecycle.stateAfterEdit(.published, publishesDirectly: false) == .pending)
        #expect(PostingLifecycle.stateAfterEdit(.published, publishesDirectly: true) == .published)
        #expect(PostingLifecycle.editReturnsToModeration(.published, publishesDirectly: false))
        #expect(!PostingLifecycle.editReturnsToModeration(.published, publishesDirectly: true))
        #expect(!PostingLifecycle.editReturnsToModeration(.pending, publishesDirectly: false))
    }

    @Test func editingOtherStates_followsTheStateMachine() {
        #expect(PostingLifecycle.stateAfterEdit(.rejected, publishesDirectly: false) == .pending)
        #expect(PostingLifecycle.stateAfterEdit(.expired, publishesDirectly: false) == .pending)
        #expect(PostingLifecycle.stateAfterEdit(.expired, publishesDirectly: true) == .published)
        #expect(PostingLifecycle.stateAfterEdit(.draft, publishesDirectly: false) == .pending)
        #expect(PostingLifecycle.stateAfterEdit(.pending, publishesDirectly: false) == .pending)
        #expect(PostingLifecycle.stateAfterEdit(.hidden, publishesDirectly: true) == .hidden, "staff hid it")
        #expect(PostingLifecycle.stateAfterEdit(.archived, publishesDirectly: true) == nil)
    }

    @Test func listingExpiry_isSixMonthsOrTheEndDate() throws {
        let published = Date(timeIntervalSince1970: 1_795_597_200)
        let lifetime = PostingLifecycle.listingExpiry(publishedAt: published, endDay: nil, calendar: Self.berlin)
        #expect(lifetime.timeIntervalSince(published) > 182 * 86_400)
        #expect(lifetime.timeIntervalSince(published) < 184 * 86_400)
        let end = try #require(GermanDateText.day("10.12.2026", in: Self.berlin))
        let expiry = PostingLifecycle.listingExpiry(publishedAt: published, endDay: end, calendar: Self.berlin)
        #expect(expiry == GermanDateText.day("11.12.2026", in: Self.berlin), "public through its last day")
        let late = try #require(GermanDateText.day("10.12.2027", in: Self.berlin))
        #expect(PostingLifecycle.listingExpiry(publishedAt: published, endDay: late, calendar: Self.berlin) == lifetime)
    }
}
