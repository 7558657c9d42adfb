import Domain
import Foundation
import Storage

/// The region's municipalities and the topics, loaded once at start-up: every page needs them and
/// they change only through a deployment or the admin's taxonomy pages.
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

    func municipality(slug: String) -> Municipality? { municipalitiesBySlug[slug] }

    func topic(slug: String) -> Topic? { topicsBySlug[slug] }

    /// Every topic of `kind`, inactive ones included (for labels of what items already have).
    func topics(of kind: TopicKind) -> [Topic] { topics.filter { $0.kind == kind } }

    /// The topics of `kind` that are offered for choosing in forms and filters.
    func activeTopics(of kind: TopicKind) -> [Topic] { topics.filter { $0.kind == kind && $0.isActive } }

    /// What a form offers: the active topics of `kind`, plus inactive ones among `chosen` slugs (an item
    /// keeps a topic that was made inactive after it was chosen, unless the person unticks it).
    func choosableTopics(of kind: TopicKind, keeping chosen: [String]) -> [Topic] {
        let kept = Set(chosen)
        return topics.filter { $0.kind == kind && ($0.isActive || kept.contains($0.slug)) }
    }

    /// Keeps only slugs of this region's municipalities and of topics of `topicKind`, at most
    /// `limit` of each: unknown values from a URL are ignored, not passed to SQL.
    func filter(municipalitySlugs: [String], topicSlugs: [String], topicKind: TopicKind, limit: Int = 32) -> ListFilter
    {
        ListFilter(
            municipalitySlugs: Array(municipalitySlugs.filter { municipalitiesBySlug[$0] != nil }.prefix(limit)),
            topicSlugs: Array(topicSlugs.filter { topicsBySlug[$0]?.kind == topicKind }.prefix(limit)))
    }
}

/// Holds the current catalog; pages read it, the admin's taxonomy pages replace it.
final class CatalogBox: @unchecked Sendable {
    private let lock = NSLock()
    private var catalog: Catalog

    init(_ catalog: Catalog) { self.catalog = catalog }

    var current: Catalog { lock.withLock { catalog } }

    func replace(with catalog: Catalog) { lock.withLock { self.catalog = catalog } }
}
