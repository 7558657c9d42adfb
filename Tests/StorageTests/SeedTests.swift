import Domain
import Foundation
import GRDB
import Storage
import StorageTestSupport
import Testing

@Suite("Demo and scale seeding")
struct SeedTests {
    static let contentPath = TestDatabase.projectRoot + "/Seeds/demo"
    /// One seeded Lippe database shared by the read-only checks (seeding takes a moment in debug builds).
    static let lippe = Result { try TestDatabase.makeSeeded() }

    static func count(_ database: AppDatabase, _ sql: String, _ arguments: StatementArguments = []) throws -> Int {
        try database.read { db in try Int.fetchOne(db, sql: sql, arguments: arguments) ?? 0 }
    }

    /// Every value of the seeded tables, in primary-key order.
    static func dump(_ database: AppDatabase) throws -> [String: [[DatabaseValue]]] {
        let queries = [
            "organisations": "SELECT * FROM organisations ORDER BY id",
            "organisation_topics": "SELECT * FROM organisation_topics ORDER BY organisation_id, topic_id",
            "listings": "SELECT * FROM listings ORDER BY id",
            "listing_topics": "SELECT * FROM listing_topics ORDER BY listing_id, topic_id",
            "events": "SELECT * FROM events ORDER BY id",
            "event_topics": "SELECT * FROM event_topics ORDER BY event_id, topic_id",
        ]
        return try database.read { db in
            try queries.mapValues { sql in try Row.fetchAll(db, sql: sql).map { Array($0.databaseValues) } }
        }
    }

    @Test("the same seed and clock give identical rows; another seed gives other rows")
    func seedIsDeterministic() throws {
        let first = try TestDatabase.makeMigrated()
        let second = try TestDatabase.makeMigrated()
        let other = try TestDatabase.makeMigrated()
        let summary = try DemoSeeder(contentPath: Self.contentPath, now: TestClock.now).seed(into: first)
        let again = try DemoSeeder(contentPath: Self.contentPath, now: TestClock.now).seed(into: second)
        try DemoSeeder(contentPath: Self.contentPath, now: TestClock.now, seed: 1).seed(into: other)

        #expect(summary == again)
        let dump = try Self.dump(first)
        #expect(dump == (try Self.dump(second)))
        #expect(dump["listings"] != (try Self.dump(other))["listings"])
        #expect(dump["listings"]?.count == summary.listings)
    }

    @Test("the demo seed fills every municipality and all four listing kinds")
    func minimumCounts() throws {
        let database = try Self.lippe.get()
        let now = Int64(TestClock.now.timeIntervalSince1970)
        #expect(try Self.count(database, "SELECT COUNT(*) FROM organisations") >= 60)
        #expect(
            try Self.count(
                database,
                """
                SELECT COUNT(*) FROM municipalities m
                WHERE NOT EXISTS (
                    SELECT 1 FROM organisations o WHERE o.municipality_id = m.id AND o.state = 'approved')
                """) == 0)
        #expect(try Self.count(database, "SELECT COUNT(*) FROM listings") >= 300)
        for kind in ListingKind.allCases {
            let published = try Self.count(
                database, "SELECT COUNT(*) FROM listings WHERE kind = ? AND state = 'published' AND expires_at > ?",
                [kind.rawValue, now])
            #expect(published >= 30, "too few published \(kind.rawValue)")
        }
        let upcoming = try Self.count(
            database,
            """
            SELECT COUNT(*) FROM events e LEFT JOIN organisations o ON o.id = e.organisation_id
            WHERE e.state = 'published' AND e.starts_at > ? AND (e.organisation_id IS NULL OR o.state = 'approved')
            """, [now])
        #expect(upcoming >= 40)
        #expect(try Self.count(database, "SELECT COUNT(*) FROM events WHERE ends_at < ?", [now]) >= 1)
        #expect(try Self.count(database, "SELECT COUNT(*) FROM events WHERE organisation_id IS NULL") >= 5)
        #expect(try Self.count(database, "SELECT COUNT(*) FROM events WHERE organisation_id IS NOT NULL") >= 5)
    }

    @Test("moderation states come with what they need")
    func moderationStates() throws {
        let database = try Self.lippe.get()
        let pending = try Self.count(database, "SELECT COUNT(*) FROM organisations WHERE state = 'pending'")
        let rejected = try Self.count(
            database, "SELECT COUNT(*) FROM organisations WHERE state = 'rejected' AND rejection_reason <> ''")
        #expect((3...5).contains(pending))
        #expect((1...2).contains(rejected))
        let approvedWithoutDate = try Self.count(
            database, "SELECT COUNT(*) FROM organisations WHERE state = 'approved' AND approved_at IS NULL")
        #expect(approvedWithoutDate == 0)
        for state in ["pending", "expired", "rejected"] {
            #expect(try Self.count(database, "SELECT COUNT(*) FROM listings WHERE state = ?", [state]) >= 1)
        }
        #expect(
            try Self.count(
                database, "SELECT COUNT(*) FROM listings WHERE state = 'rejected' AND rejection_reason IS NULL") == 0)
    }

    @Test("the seed works for another region: Kreis Höxter")
    func otherRegion() throws {
        let database = try TestDatabase.makeSeeded(region: "hoexter")
        #expect(try Self.count(database, "SELECT COUNT(*) FROM municipalities") == 10)
        #expect(try Self.count(database, "SELECT COUNT(*) FROM organisations") >= 60)
        #expect(
            try Self.count(
                database,
                "SELECT COUNT(*) FROM municipalities m WHERE NOT EXISTS "
                    + "(SELECT 1 FROM organisations o WHERE o.municipality_id = m.id)") == 0)
        #expect(try Self.count(database, "SELECT COUNT(*) FROM listings") >= 300)
    }

    @Test("seeding a database that already holds data throws and changes nothing")
    func refusesNonEmptyDatabase() throws {
        let database = try TestDatabase.makeMigrated()
        try Fixtures.organisation(database, name: "Schon da e.V.")
        try Fixtures.listing(database, kind: .volunteerNeed, title: "Schon da")
        let before = try Self.dump(database)

        #expect(throws: SeedError.databaseNotEmpty(organisations: 1, listings: 1, events: 0)) {
            try DemoSeeder(contentPath: Self.contentPath, now: TestClock.now).seed(into: database)
        }
        #expect(try Self.dump(database) == before)
    }

    @Test("a missing content folder is a clear error")
    func missingContent() throws {
        let database = try TestDatabase.makeMigrated()
        #expect(throws: SeedError.self) {
            try DemoSeeder(contentPath: "/nonexistent/seeds", now: TestClock.now).seed(into: database)
        }
        #expect(try Self.count(database, "SELECT COUNT(*) FROM organisations") == 0)
    }

    @Test("the scale seeder adds exactly N published listings of all kinds in every municipality")
    func scaleSeederAddsExactlyN() throws {
        let database = try TestDatabase.makeMigrated()
        let summary = try ScaleSeeder(now: TestClock.now).seed(
            into: database, listings: 2_000, contentPath: Self.contentPath)

        #expect(summary.listings == 2_000)
        #expect((45...60).contains(summary.organisations))
        #expect(try Self.count(database, "SELECT COUNT(*) FROM listings") == 2_000)
        #expect(try Self.count(database, "SELECT COUNT(*) FROM listings WHERE state = 'published'") == 2_000)
        #expect(try Self.count(database, "SELECT COUNT(DISTINCT kind) FROM listings") == 4)
        #expect(
            try Self.count(
                database,
                "SELECT COUNT(*) FROM municipalities m WHERE NOT EXISTS "
                    + "(SELECT 1 FROM listings l WHERE l.municipality_id = m.id)") == 0)
        #expect(try Self.listingsWithoutFittingTopic(database) == 0)
    }

    @Test("the scale seeder adds to demo data and reuses its organisations")
    func scaleSeederOnDemoData() throws {
        let database = try TestDatabase.makeSeeded()
        let listingsBefore = try Self.count(database, "SELECT COUNT(*) FROM listings")
        let organisationsBefore = try Self.count(database, "SELECT COUNT(*) FROM organisations")
        let summary = try ScaleSeeder(now: TestClock.now).seed(
            into: database, listings: 500, contentPath: Self.contentPath)

        #expect(summary == SeedSummary(organisations: 0, listings: 500, events: 0))
        #expect(try Self.count(database, "SELECT COUNT(*) FROM listings") == listingsBefore + 500)
        #expect(try Self.count(database, "SELECT COUNT(*) FROM organisations") == organisationsBefore)
    }

    @Test("no text is empty or has a placeholder left in it")
    func textsAreFilledIn() throws {
        let database = try Self.lippe.get()
        let checks = [
            "SELECT COUNT(*) FROM listings WHERE title = '' OR summary = '' OR description = ''",
            "SELECT COUNT(*) FROM events WHERE title = '' OR summary = '' OR description = '' OR venue = ''",
            "SELECT COUNT(*) FROM organisations WHERE name = '' OR description = '' OR contact_name = ''",
        ]
        for sql in checks {
            #expect(try Self.count(database, sql) == 0, "\(sql)")
        }
        let columns = [
            "listings": [
                "title", "summary", "description", "requirements", "schedule_text", "quantity", "pickup_text",
                "location_text",
            ],
            "events": ["title", "summary", "description", "venue", "address", "organiser_name"],
            "organisations": ["name", "description", "email", "website"],
        ]
        for (table, names) in columns {
            for column in names {
                let leftovers = try Self.count(
                    database, "SELECT COUNT(*) FROM \(table) WHERE instr(\(column), '{') > 0")
                #expect(leftovers == 0, "placeholder left in \(table).\(column)")
            }
        }
        #expect(
            try Self.count(database, "SELECT COUNT(*) FROM listings WHERE contact_email NOT LIKE '%.example'") == 0)
        #expect(try Self.count(database, "SELECT COUNT(*) FROM organisations WHERE email NOT LIKE '%.example'") == 0)
    }

    static func listingsWithoutFittingTopic(_ database: AppDatabase) throws -> Int {
        try count(
            database,
            """
            SELECT COUNT(*) FROM listings l
            WHERE NOT EXISTS (
                SELECT 1 FROM listing_topics lt JOIN topics t ON t.id = lt.topic_id
                WHERE lt.listing_id = l.id
                  AND t.kind = CASE WHEN l.kind LIKE 'donation%' THEN 'donation' ELSE 'volunteering' END)
            OR EXISTS (
                SELECT 1 FROM listing_topics lt JOIN topics t ON t.id = lt.topic_id
                WHERE lt.listing_id = l.id
                  AND t.kind <> CASE WHEN l.kind LIKE 'donation%' THEN 'donation' ELSE 'volunteering' END)
            """)
    }

    @Test("no published listing title repeats within one municipality")
    func noRepeatedTitlesInOneTown() throws {
        let database = try Self.lippe.get()
        let repeated = try Self.count(
            database,
            """
            SELECT COUNT(*) FROM (SELECT 1 FROM listings WHERE state = 'published'
                                  GROUP BY municipality_id, title HAVING COUNT(*) > 1)
            """)
        #expect(repeated == 0)
    }

    @Test("every listing, event and organisation has topics of the right taxonomy")
    func topicsFitTheKind() throws {
        let database = try Self.lippe.get()
        #expect(try Self.listingsWithoutFittingTopic(database) == 0)
        for (table, link, column) in [
            ("events", "event_topics", "event_id"), ("organisations", "organisation_topics", "organisation_id"),
        ] {
            let missing = try Self.count(
                database,
                """
                SELECT COUNT(*) FROM \(table) x WHERE NOT EXISTS (SELECT 1 FROM \(link) l WHERE l.\(column) = x.id)
                OR EXISTS (SELECT 1 FROM \(link) l JOIN topics t ON t.id = l.topic_id
                           WHERE l.\(column) = x.id AND t.kind <> 'volunteering')
                """)
            #expect(missing == 0, "\(table) without volunteering topics")
        }
    }

    @Test("dates lie where the brief puts them, relative to now")
    func datesAreRealistic() throws {
        let database = try Self.lippe.get()
        let now = Int64(TestClock.now.timeIntervalSince1970)
        let day: Int64 = 86_400
        for table in ["organisations", "listings", "events"] {
            #expect(
                try Self.count(
                    database,
                    "SELECT COUNT(*) FROM \(table) WHERE created_at > ? OR updated_at > ? OR updated_at < created_at",
                    [now, now]) == 0, "\(table) dated after now")
        }
        #expect(
            try Self.count(
                database,
                """
                SELECT COUNT(*) FROM listings WHERE state = 'published'
                AND (published_at NOT BETWEEN ? AND ? OR expires_at NOT BETWEEN ? AND ? OR created_at > published_at)
                """, [now - 60 * day, now, now + 30 * day, now + 180 * day]) == 0)
        #expect(
            try Self.count(
                database, "SELECT COUNT(*) FROM listings WHERE state = 'expired' AND NOT (expires_at < ?)", [now]) == 0)
        #expect(
            try Self.count(
                database,
                """
                SELECT COUNT(*) FROM events
                WHERE ends_at - starts_at NOT BETWEEN 5400 AND 10800
                   OR (starts_at > ? AND starts_at > ?)
                   OR (state = 'published' AND (published_at > ? OR published_at > starts_at))
                """, [now, now + 120 * day, now]) == 0)
    }

    @Test("events start at a full or half hour between 7:00 and 21:00 in Europe/Berlin")
    func eventsStartAtLocalTimes() throws {
        let database = try Self.lippe.get()
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = try #require(TimeZone(identifier: "Europe/Berlin"))
        let starts = try database.read { db in try Int64.fetchAll(db, sql: "SELECT starts_at FROM events") }
        #expect(!starts.isEmpty)
        for start in starts {
            let components = calendar.dateComponents(
                [.hour, .minute], from: Date(timeIntervalSince1970: TimeInterval(start)))
            #expect((7...21).contains(components.hour ?? -1))
            #expect([0, 30].contains(components.minute ?? -1))
        }
    }
}
