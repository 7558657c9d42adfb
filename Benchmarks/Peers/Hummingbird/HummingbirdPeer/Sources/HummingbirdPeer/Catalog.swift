import Domain
import Foundation
import Storage

/// The region's municipalities and the topics, loaded once at start-up (every page needs them).
struct Catalog: Sendable {
    let municipalities: [Municipality]
    let topics: [Topic]
    private let municipalitiesBySlug: [String: Municipality]
    private let topicsBySlug: [String: Topic]

    init(municipalities: [Municipality], topics: [Topic]) {
        self.municipalities = municipalities
        self.topics = topics
        municipalitiesBySlug = Dictionary(uniqueKeysWithValues: municipalities.map { ($0.slug, $0) })
        topicsBySlug = Dictionary(uniqueKeysWithValues: topics.map { ($0.slug, $0) })
    }

    /// Reads the region's municipalities (slugs from `Regions/<region>.csv`, without writing to the database)
    /// and all topics, with the same queries as the main server.
    static func load(database: AppDatabase, regionFile: String) throws -> Catalog {
        let region = try RegionFile.parse(try String(contentsOfFile: regionFile, encoding: .utf8))
        let store = CatalogStore(database: database)
        return Catalog(municipalities: try store.municipalities(slugs: region.map(\.slug)), topics: try store.topics())
    }

    func municipality(slug: String) -> Municipality? { municipalitiesBySlug[slug] }

    func topic(slug: String) -> Topic? { topicsBySlug[slug] }

    func topicName(_ label: Label) -> String { topicsBySlug[label.slug]?.name ?? label.name }

    /// The topics of `kind` offered in the filter, plus inactive ones the URL still filters by.
    func choosableTopics(of kind: TopicKind, keeping chosen: [String]) -> [Topic] {
        let kept = Set(chosen)
        return topics.filter { $0.kind == kind && ($0.isActive || kept.contains($0.slug)) }
    }

    /// Keeps only known municipality slugs and topic slugs of `topicKind`, at most `limit` of each.
    func filter(municipalitySlugs: [String], topicSlugs: [String], topicKind: TopicKind, limit: Int = 32) -> ListFilter
    {
        ListFilter(
            municipalitySlugs: Array(municipalitySlugs.filter { municipalitiesBySlug[$0] != nil }.prefix(limit)),
            topicSlugs: Array(topicSlugs.filter { topicsBySlug[$0]?.kind == topicKind }.prefix(limit)))
    }
}
