import Domain
import Foundation
import GRDB

/// Adds many published listings for benchmarks and load tests, built from the demo templates.
///
/// Rows are written in transactions of `batchSize` listings through prepared statements, so 100,000 listings take
/// seconds, not minutes. Deterministic for the same seed, `now` and database contents.
public struct ScaleSeeder: Sendable {
    /// Listings per write transaction.
    static let batchSize = 10_000
    /// Organisations created when the database has none.
    static let organisationTarget = 50

    /// The moment the data is written for: publication dates lie before it, expiry dates after it.
    public let now: Date
    /// The generator seed.
    public let seed: UInt64

    /// A seeder for the given clock and seed.
    public init(now: Date, seed: UInt64 = 7) {
        self.now = now
        self.seed = seed
    }

    /// Adds `count` published listings of all four kinds, spread over all municipalities and tagged with fitting
    /// topics, plus about 50 approved organisations if there are none yet.
    ///
    /// - Parameters:
    ///   - database: a migrated database whose municipalities are loaded.
    ///   - count: how many listings to add (0 or more).
    ///   - contentPath: the `Seeds/demo` folder with the templates.
    /// - Returns: the organisations and listings added (events: 0).
    /// - Throws: `SeedError` for missing or invalid content. Each batch is its own transaction, so an error in a
    ///   later batch keeps the batches before it.
    @discardableResult
    public func seed(into database: AppDatabase, listings count: Int, contentPath: String) throws -> SeedSummary {
        precondition(count >= 0, "listing count must not be negative")
        let content = try SeedContent.load(from: contentPath)
        var generator = SplitMix64(seed: seed)
        let context = try database.read { db in try SeedContext(db: db, content: content, now: now) }
        let (organisations, added) = try database.write { db in
            try Self.organisations(db, context: context, using: &generator)
        }
        let kinds = ListingKind.allCases
        let posters = kinds.map { kind in
            context.content.templates(for: kind).map {
                Self.posters(for: $0, kind: kind, among: organisations, context: context)
            }
        }
        var bags = kinds.map { TemplateBag(weights: context.content.templates(for: $0).map { $0.weight ?? 1 }) }
        var written = 0
        while written < count {
            let batchEnd = min(count, written + Self.batchSize)
            try database.write { db in
                let writer = try SeedWriter(db)
                for index in written..<batchEnd {
                    let kindIndex = index % kinds.count
                    let templateIndex = bags[kindIndex].next(using: &generator)
                    let candidates = posters[kindIndex][templateIndex]
                    let organisation = candidates.isEmpty ? nil : organisations[generator.element(candidates)]
                    let kind = kinds[kindIndex]
                    let listing = context.listing(
                        kind: kind, template: context.content.templates(for: kind)[templateIndex],
                        organisation: organisation, moderation: false, using: &generator)
                    try writer.insert(listing)
                }
            }
            written = batchEnd
        }
        return SeedSummary(organisations: added, listings: count, events: 0)
    }

    /// The approved organisations to post with; creates them first when the database has none.
    private static func organisations(
        _ db: Database, context: SeedContext, using generator: inout SplitMix64
    ) throws -> ([OrganisationRecord], Int) {
        let existing = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM organisations") ?? 0
        if existing == 0 {
            var records = context.makeOrganisations(target: organisationTarget, moderation: false, using: &generator)
            let writer = try SeedWriter(db)
            for index in records.indices {
                records[index].id = try writer.insert(records[index])
            }
            return (records, records.count)
        }
        var topics: [Int64: [Int64]] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT organisation_id, topic_id FROM organisation_topics") {
            topics[row["organisation_id"], default: []].append(row["topic_id"])
        }
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT o.*, m.name AS m_name FROM organisations o JOIN municipalities m ON m.id = o.municipality_id
                WHERE o.state = 'approved' ORDER BY o.id
                """)
        let records = rows.map { row in
            let id: Int64 = row["id"]
            return OrganisationRecord(
                patternKey: "", name: row["name"], legalForm: LegalForm(rawValue: row["legal_form"]) ?? .other,
                description: row["description"], municipalityID: row["municipality_id"],
                municipalityName: row["m_name"],
                street: row["street"], postalCode: row["postal_code"], contactName: row["contact_name"],
                email: row["email"], phone: row["phone"], website: row["website"], state: .approved,
                rejectionReason: nil, createdAt: row["created_at"], updatedAt: row["updated_at"],
                approvedAt: row["approved_at"], topicIDs: (topics[id] ?? []).sorted(), id: id)
        }
        return (records, 0)
    }

    /// Organisations that may post a template: those of its patterns, or (for organisations this seeder did not
    /// create) those sharing a topic with it. Empty: a resident posts it.
    private static func posters(
        for template: ListingTemplate, kind: ListingKind, among organisations: [OrganisationRecord],
        context: SeedContext
    ) -> [Int] {
        let keys = Set(template.by ?? [])
        guard !keys.isEmpty else { return [] }
        let byPattern = organisations.indices.filter { keys.contains(organisations[$0].patternKey) }
        if !byPattern.isEmpty || kind.isDonation { return byPattern }
        let topics = Set(context.topicIDs(template.topics))
        return organisations.indices.filter { !topics.isDisjoint(with: organisations[$0].topicIDs) }
    }
}
