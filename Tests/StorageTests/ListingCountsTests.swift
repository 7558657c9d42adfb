import Domain
import Foundation
import GRDB
import StorageTestSupport
import Testing

@testable import Storage

/// The list pages' result counts are kept between requests, and must still always be right: after any
/// write that changes what is public, and when a counted listing expires without any write.
@Suite struct ListingCountsTests {
    let database: AppDatabase
    let store: ListingStore
    let now = TestClock.now

    init() throws {
        database = try TestDatabase.makeMigrated()
        store = ListingStore(database: database)
    }

    func total(_ filter: ListFilter = ListFilter(), at time: Date? = nil) throws -> Int {
        try store.page(kinds: [.volunteerNeed], filter: filter, pageNumber: 1, pageSize: 20, now: time ?? now)
            .totalCount
    }

    @Test func aNewListing_countsAtOnce_andAClosedOneNoLonger() throws {
        #expect(try total() == 0)
        let id = try Fixtures.listing(database, kind: .volunteerNeed, title: "Vorlesen im Seniorenheim")
        #expect(try total() == 1)
        #expect(try store.countsByKind(now: now)[.volunteerNeed] == 1)
        try database.write { db in
            try db.execute(
                sql: "UPDATE listings SET closed_at = ? WHERE id = ?",
                arguments: [Int64(now.timeIntervalSince1970), id])
        }
        #expect(try total() == 0)
        #expect(try store.countsByKind(now: now)[.volunteerNeed] == nil)
    }

    @Test func aCountedListing_dropsOutWhenItExpires_withoutAnyWrite() throws {
        try Fixtures.listing(database, kind: .volunteerNeed, title: "Bleibt", expiresAt: now.addingTimeInterval(86_400))
        try Fixtures.listing(database, kind: .volunteerNeed, title: "Läuft ab", expiresAt: now.addingTimeInterval(60))
        #expect(try total() == 2)
        #expect(try total(at: now.addingTimeInterval(59)) == 2)
        #expect(try total(at: now.addingTimeInterval(60)) == 1, "expired at its expiry second")
        #expect(try store.countsByKind(now: now)[.volunteerNeed] == 2)
        #expect(try store.countsByKind(now: now.addingTimeInterval(61))[.volunteerNeed] == 1)
    }

    @Test func anOrganisationLosingApproval_hidesItsListingsFromTheCounts() throws {
        let organisation = try Fixtures.organisation(database, name: "Tafel Detmold")
        try Fixtures.listing(database, kind: .volunteerNeed, title: "Ausgabe", organisationID: organisation)
        #expect(try total() == 1)
        try database.write { db in
            try db.execute(sql: "UPDATE organisations SET state = 'rejected' WHERE id = ?", arguments: [organisation])
        }
        #expect(try total() == 0)
    }

    @Test func filteredCounts_areKeptApart_andFollowTopicChanges() throws {
        let id = try Fixtures.listing(database, kind: .volunteerNeed, title: "Training", topicSlugs: ["sport"])
        try Fixtures.listing(database, kind: .volunteerNeed, title: "Chor", topicSlugs: ["kultur"])
        let sport = ListFilter(topicSlugs: ["sport"])
        #expect(try total(sport) == 1)
        #expect(try total() == 2)
        try database.write { db in
            try db.execute(sql: "DELETE FROM listing_topics WHERE listing_id = ?", arguments: [id])
        }
        #expect(try total(sport) == 0)
    }

    @Test func theVersionCounter_movesWithEveryListingWrite() throws {
        let before = try database.read { try ListingCounts.version($0) }
        try Fixtures.listing(database, kind: .donationOffer, title: "Sofa")
        let after = try database.read { try ListingCounts.version($0) }
        #expect(after > before)
    }
}
