import Domain
import Foundation
import GRDB

/// A topic as the admin's taxonomy pages show it.
public struct TaxonomyEntry: Sendable, Equatable {
    public var topic: Topic
    public var sortOrder: Int
    /// Listings of any state that carry the topic.
    public var listingCount: Int

    public init(topic: Topic, sortOrder: Int, listingCount: Int) {
        self.topic = topic
        self.sortOrder = sortOrder
        self.listingCount = listingCount
    }
}

/// The taxonomy an admin manages: Themenfelder (volunteering) and donation categories. Topics are never
/// deleted (listings, events and organisations refer to them) but made inactive; their slugs never change,
/// because they appear in shared filter URLs.
public struct TaxonomyStore: Sendable {
    let database: AppDatabase

    public init(database: AppDatabase) {
        self.database = database
    }

    /// The gap between the sort orders of neighbouring topics, so one can be moved between two others.
    public static let sortStep = 10

    /// Every topic of `kind` (all kinds when nil), active and inactive, in taxonomy order.
    public func entries(kind: TopicKind? = nil) throws -> [TaxonomyEntry] {
        try database.read { db in
            var sql = Self.select
            var arguments = StatementArguments()
            if let kind {
                sql += " WHERE t.kind = ?"
                arguments += [kind.rawValue]
            }
            sql += " ORDER BY t.sort_order, t.id"
            return try Row.fetchAll(db, sql: sql, arguments: arguments).map(Self.entry)
        }
    }

    public func entry(id: Int64) throws -> TaxonomyEntry? {
        try database.read { db in
            try Row.fetchOne(db, sql: Self.select + " WHERE t.id = ?", arguments: [id]).map(Self.entry)
        }
    }

    /// Whether another topic of `kind` has this name (compared without case), so lists never show two alike.
    public func nameTaken(_ name: String, kind: TopicKind, exceptID: Int64? = nil) throws -> Bool {
        try database.read { db in
            try Bool.fetchOne(
                db,
                sql: """
                    SELECT EXISTS (SELECT 1 FROM topics WHERE kind = ? AND name = ? COLLATE NOCASE AND id IS NOT ?)
                    """,
                arguments: [kind.rawValue, name, exceptID]) ?? false
        }
    }

    /// Adds an active topic at the end of its list, with a slug made from the name (unique among all topics).
    @discardableResult
    public func add(name: String, kind: TopicKind) throws -> Topic {
        try database.write { db in
            let taken = Set(try String.fetchAll(db, sql: "SELECT slug FROM topics"))
            let slug = Self.uniqueSlug(Self.slugBase(for: name), taken: taken)
            let last = try Int.fetchOne(
                db, sql: "SELECT MAX(sort_order) FROM topics WHERE kind = ?", arguments: [kind.rawValue])
            let sortOrder = (last ?? 0) + Self.sortStep
            try db.execute(
                sql: "INSERT INTO topics (slug, kind, name, sort_order, active) VALUES (?, ?, ?, ?, 1)",
                arguments: [slug, kind.rawValue, name, sortOrder])
            return Topic(id: db.lastInsertedRowID, slug: slug, kind: kind, name: name, isActive: true)
        }
    }

    /// Renames and re-orders a topic (its slug stays). False when there is no such topic.
    @discardableResult
    public func update(id: Int64, name: String, sortOrder: Int) throws -> Bool {
        try database.write { db in
            try db.execute(
                sql: "UPDATE topics SET name = ?, sort_order = ? WHERE id = ?", arguments: [name, sortOrder, id])
            return db.changesCount > 0
        }
    }

    /// Offers a topic for choosing again, or no longer. False when there is no such topic.
    @discardableResult
    public func setActive(_ active: Bool, id: Int64) throws -> Bool {
        try database.write { db in
            try db.execute(sql: "UPDATE topics SET active = ? WHERE id = ?", arguments: [active, id])
            return db.changesCount > 0
        }
    }

    /// The slug for a topic name: lowercase ASCII letters and digits, German umlauts and ß spelled out
    /// (ä → ae, ß → ss), other accented Latin letters without their accent, anything else a single '-',
    /// at most 60 characters. "thema" when nothing usable is left.
    public static func slugBase(for name: String) -> String {
        var spelled = ""
        for character in name.lowercased() {
            switch character {
            case "ä": spelled += "ae"
            case "ö": spelled += "oe"
            case "ü": spelled += "ue"
            case "ß": spelled += "ss"
            default: spelled.append(character)
            }
        }
        let folded = spelled.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: nil)
        var slug = ""
        var pendingDash = false
        for scalar in folded.unicodeScalars {
            let isLetterOrDigit = ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar)
            if isLetterOrDigit {
                let dash = pendingDash && !slug.isEmpty
                if slug.unicodeScalars.count + (dash ? 2 : 1) > maximumSlugLength { break }
                if dash { slug += "-" }
                pendingDash = false
                slug.unicodeScalars.append(scalar)
            } else {
                pendingDash = true
            }
        }
        return slug.isEmpty ? "thema" : slug
    }

    /// `base`, or `base-2`, `base-3`, … — the first that is not `taken`.
    public static func uniqueSlug(_ base: String, taken: Set<String>) -> String {
        guard taken.contains(base) else { return base }
        var number = 2
        while taken.contains("\(base)-\(number)") { number += 1 }
        return "\(base)-\(number)"
    }

    static let maximumSlugLength = 60

    private static let select = """
        SELECT t.id, t.slug, t.kind, t.name, t.sort_order, t.active,
            (SELECT COUNT(*) FROM listing_topics x WHERE x.topic_id = t.id) AS listing_count
        FROM topics t
        """

    private static func entry(_ row: Row) throws -> TaxonomyEntry {
        TaxonomyEntry(
            topic: Topic(
                id: row["id"], slug: row["slug"], kind: try enumValue(row, "kind"), name: row["name"],
                isActive: row["active"]),
            sortOrder: row["sort_order"], listingCount: row["listing_count"])
    }
}
