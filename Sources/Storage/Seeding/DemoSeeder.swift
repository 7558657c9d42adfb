import Domain
import Foundation
import GRDB

/// How many rows a seeder wrote.
public struct SeedSummary: Sendable, Equatable {
    /// Organisations inserted.
    public var organisations: Int
    /// Listings inserted (all four kinds).
    public var listings: Int
    /// Events inserted.
    public var events: Int

    /// A summary with the given counts.
    public init(organisations: Int, listings: Int, events: Int) {
        self.organisations = organisations
        self.listings = listings
        self.events = events
    }
}

/// Fills an empty database with realistic demo content for the region whose municipalities are loaded:
/// organisations in every municipality, the four kinds of listing and upcoming and past events.
///
/// The texts come from the JSON files in `contentPath` (`Seeds/demo`); the seeder only combines and dates them.
/// The same `seed` and `now` give identical rows on every machine.
public struct DemoSeeder: Sendable {
    /// How many organisations the demo aims for (every municipality gets at least one).
    static let organisationTarget = 72
    /// Listings per kind.
    static let listingCounts: [(ListingKind, Int)] = [
        (.volunteerNeed, 140), (.volunteerOffer, 60), (.donationNeed, 50), (.donationOffer, 60),
    ]

    /// The folder with the demo content files.
    public let contentPath: String
    /// The moment the demo data is written for: publication dates lie before it, events mostly after it.
    public let now: Date
    /// The generator seed; another seed gives other, equally valid data.
    public let seed: UInt64

    /// A seeder reading its texts from `contentPath` (the `Seeds/demo` folder).
    public init(contentPath: String, now: Date, seed: UInt64 = 20_261_125) {
        self.contentPath = contentPath
        self.now = now
        self.seed = seed
    }

    /// Seeds into a migrated database whose municipalities are loaded, in one write transaction.
    ///
    /// - Throws: `SeedError.databaseNotEmpty` if organisations, listings or events already exist, `SeedError` for
    ///   missing or invalid content; in every case nothing is changed.
    @discardableResult
    public func seed(into database: AppDatabase) throws -> SeedSummary {
        let content = try SeedContent.load(from: contentPath)
        return try database.write { db in
            try Self.requireEmpty(db)
            let context = try SeedContext(db: db, content: content, now: now)
            let writer = try SeedWriter(db)
            var generator = SplitMix64(seed: seed)

            var organisations = context.makeOrganisations(
                target: Self.organisationTarget, moderation: true, using: &generator)
            for index in organisations.indices {
                organisations[index].id = try writer.insert(organisations[index])
            }
            var listingCount = 0
            for (kind, count) in Self.listingCounts {
                let listings = context.makeListings(
                    kind: kind, count: count, organisations: organisations, moderation: true, using: &generator)
                for listing in listings {
                    try writer.insert(listing)
                }
                listingCount += listings.count
            }
            let events = context.makeEvents(
                plan: SeedContext.EventPlan(), organisations: organisations, using: &generator)
            for event in events {
                try writer.insert(event)
            }
            return SeedSummary(organisations: organisations.count, listings: listingCount, events: events.count)
        }
    }

    private static func requireEmpty(_ db: Database) throws {
        let organisations = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM organisations") ?? 0
        let listings = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM listings") ?? 0
        let events = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM events") ?? 0
        guard organisations == 0, listings == 0, events == 0 else {
            throw SeedError.databaseNotEmpty(organisations: organisations, listings: listings, events: events)
        }
    }
}
