import Domain
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

    func topics(of kind: TopicKind) -> [Topic] { topics.filter { $0.kind == kind } }

    /// Keeps only slugs of this region's municipalities and of topics of `topicKind`, at most
    /// `limit` of each: unknown values from a URL are ignored, not passed to SQL.
    func filter(municipalitySlugs: [String], topicSlugs: [String], topicKind: TopicKind, limit: Int = 32) -> ListFilter
    {
        ListFilter(
            municipalitySlugs: Array(municipalitySlugs.filter { municipalitiesBySlug[$0] != nil }.prefix(limit)),
            topicSlugs: Array(topicSlugs.filter { topicsBySlug[$0]?.kind == topicKind }.prefix(limit)))
    }
}
