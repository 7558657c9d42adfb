import Domain
import Foundation
import GRDB
import Storage

/// Inserts single rows for tests that need a particular organisation, listing or event.
public enum Fixtures {
    /// Inserts an organisation in the municipality with `municipalitySlug`; returns its id.
    @discardableResult
    public static func organisation(
        _ database: AppDatabase, name: String, municipalitySlug: String = "detmold",
        state: OrganisationState = .approved, topicSlugs: [String] = ["soziales"], now: Date = TestClock.now
    ) throws -> Int64 {
        try database.write { db in
            let seconds = Int64(now.timeIntervalSince1970)
            try db.execute(
                sql: """
                    INSERT INTO organisations (name, description, municipality_id, state, created_at, updated_at,
                        approved_at, email)
                    VALUES (?, ?, (SELECT id FROM municipalities WHERE slug = ?), ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    name, "Beschreibung von " + name, municipalitySlug, state.rawValue, seconds, seconds,
                    state == .approved ? seconds : nil, "kontakt@verein.example",
                ])
            let id = db.lastInsertedRowID
            try link(db, table: "organisation_topics", column: "organisation_id", id: id, topicSlugs: topicSlugs)
            return id
        }
    }

    /// Inserts a listing; published ones get `published_at` = `publishedAt` (default: now).
    @discardableResult
    public static func listing(
        _ database: AppDatabase, kind: ListingKind, title: String, municipalitySlug: String = "detmold",
        topicSlugs: [String]? = nil, organisationID: Int64? = nil, state: PublicationState = .published,
        publishedAt: Date = TestClock.now, expiresAt: Date? = nil, now: Date = TestClock.now
    ) throws -> Int64 {
        try database.write { db in
            let seconds = Int64(now.timeIntervalSince1970)
            try db.execute(
                sql: """
                    INSERT INTO listings (kind, title, summary, description, organisation_id, poster_name,
                        municipality_id, state, created_at, updated_at, published_at, expires_at, contact_email)
                    VALUES (?, ?, ?, ?, ?, ?, (SELECT id FROM municipalities WHERE slug = ?), ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    kind.rawValue, title, "Kurzbeschreibung: " + title, "Beschreibung: " + title, organisationID,
                    "Erika M.", municipalitySlug, state.rawValue, seconds, seconds,
                    state == .published ? Int64(publishedAt.timeIntervalSince1970) : nil,
                    expiresAt.map { Int64($0.timeIntervalSince1970) }, "kontakt@example.org",
                ])
            let id = db.lastInsertedRowID
            let topics = topicSlugs ?? [kind.isDonation ? "moebel" : "soziales"]
            try link(db, table: "listing_topics", column: "listing_id", id: id, topicSlugs: topics)
            return id
        }
    }

    /// Inserts `count` published volunteer needs in Detmold titled "<title> <n>" for n from `first`, newest
    /// first by n (published `now` minus n seconds), in one statement: enough rows for the search limits.
    public static func bulkListings(
        _ database: AppDatabase, count: Int, title: String, from first: Int = 1, now: Date = TestClock.now
    ) throws {
        let seconds = Int64(now.timeIntervalSince1970)
        try database.write { db in
            try db.execute(
                sql: """
                    WITH RECURSIVE n(i) AS (SELECT ? UNION ALL SELECT i + 1 FROM n WHERE i < ?)
                    INSERT INTO listings (kind, title, municipality_id, state, created_at, updated_at, published_at)
                    SELECT 'volunteer_need', ? || ' ' || i, (SELECT id FROM municipalities WHERE slug = 'detmold'),
                        'published', ?, ?, ? - i FROM n
                    """,
                arguments: [first, first + count - 1, title, seconds, seconds, seconds])
        }
    }

    /// Inserts an event starting at `startsAt` and lasting two hours.
    @discardableResult
    public static func event(
        _ database: AppDatabase, title: String, startsAt: Date, municipalitySlug: String = "detmold",
        topicSlugs: [String] = ["bildung"], organisationID: Int64? = nil, state: PublicationState = .published,
        now: Date = TestClock.now
    ) throws -> Int64 {
        try database.write { db in
            let seconds = Int64(now.timeIntervalSince1970)
            let start = Int64(startsAt.timeIntervalSince1970)
            try db.execute(
                sql: """
                    INSERT INTO events (title, summary, description, event_type, organisation_id, organiser_name,
                        municipality_id, venue, starts_at, ends_at, state, created_at, updated_at, published_at)
                    VALUES (?, ?, ?, 'training', ?, 'Kreisverwaltung', (SELECT id FROM municipalities WHERE slug = ?),
                        'Bürgerhaus', ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    title, "Kurz: " + title, "Beschreibung: " + title, organisationID, municipalitySlug, start,
                    start + 7200, state.rawValue, seconds, seconds, state == .published ? seconds : nil,
                ])
            let id = db.lastInsertedRowID
            try link(db, table: "event_topics", column: "event_id", id: id, topicSlugs: topicSlugs)
            return id
        }
    }

    private static func link(_ db: Database, table: String, column: String, id: Int64, topicSlugs: [String]) throws {
        for slug in topicSlugs {
            try db.execute(
                sql: "INSERT INTO \(table) (\(column), topic_id) VALUES (?, (SELECT id FROM topics WHERE slug = ?))",
                arguments: [id, slug])
        }
    }
}
