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

    /// The name to show for a topic label read with an item: this catalog's name for the slug (translated
    /// in a translated catalog), else the stored name.
    func topicName(_ label: Label) -> String { topicsBySlug[label.slug]?.name ?? label.name }

    /// This catalog with topic names from `strings` (`topic_names.<slug>`) where the language has one.
    /// German keeps the stored names, which admins may have edited; a topic an admin added later has no
    /// translation and keeps its German name.
    func translated(_ strings: Localization) -> Catalog {
        guard strings.language != Language.de.rawValue else { return self }
        let topics = topics.map { topic in
            var topic = topic
            let key = Self.topicNameKey(topic.slug)
            if strings.contains(key) { topic.name = strings[key] }
            return topic
        }
        return Catalog(municipalities: municipalities, topics: topics)
    }

    static func topicNameKey(_ slug: String) -> String { "topic_names.\(slug)" }

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

/// Holds the current catalog in every language; pages read it, the admin's taxonomy pages replace it.
final class CatalogBox: @unchecked Sendable {
    private let lock = NSLock()
    private let strings: [Language: Localization]
    private var catalogs: [Language: Catalog] = [:]
    private var source: Catalog

    /// - Parameter strings: the strings of every language offered; topic names are translated with them.
    init(_ catalog: Catalog, strings: [Language: Localization]) {
        self.strings = strings
        source = catalog
        catalogs = Self.translations(of: catalog, strings)
    }

    /// The German catalog (stored names).
    var current: Catalog { lock.withLock { source } }

    func current(_ language: Language) -> Catalog { lock.withLock { catalogs[language] ?? source } }

    func replace(with catalog: Catalog) {
        let translated = Self.translations(of: catalog, strings)
        lock.withLock {
            source = catalog
            catalogs = translated
            generation += 1
        }
    }

    /// Moves with every `replace`: pages rendered with an older catalog are out of date (`PageCache`).
    var currentGeneration: Int { lock.withLock { generation } }
    private var generation = 0

    private static func translations(of catalog: Catalog, _ strings: [Language: Localization]) -> [Language: Catalog] {
        strings.mapValues { catalog.translated($0) }
    }
}
