import Domain
import Storage

/// The municipality and topic filter shown above every list: a plain GET form with checkboxes,
/// plus the active filters as links that remove one value each. Works without JavaScript.
enum FilterForm {
    /// - Parameter keep: further query parameters the form and its links must keep (`art=gesuche`).
    static func build(
        filter: ListFilter, topicKind: TopicKind, basePath: String, keep: [(String, String)],
        offersLanguageFilter: Bool = false, _ context: RequestContext
    ) -> [String: Any] {
        let strings = context.strings
        let municipalities = context.catalog.municipalities.map { municipality in
            [
                "value": municipality.slug, "label": municipality.name,
                "checked": filter.municipalitySlugs.contains(municipality.slug),
                "inputID": "gemeinde-\(municipality.slug)",
            ] as [String: Any]
        }
        // Inactive topics are not offered, except one a (shared) URL still filters by, so it can be unticked.
        let topics = context.catalog.choosableTopics(of: topicKind, keeping: filter.topicSlugs).map { topic in
            [
                "value": topic.slug, "label": topic.name, "checked": filter.topicSlugs.contains(topic.slug),
                "inputID": "thema-\(topic.slug)",
            ] as [String: Any]
        }
        var active: [[String: Any]] = []
        for slug in filter.municipalitySlugs {
            guard let municipality = context.catalog.municipality(slug: slug) else { continue }
            var reduced = filter
            reduced.municipalitySlugs.removeAll { $0 == slug }
            active.append([
                "label": municipality.name,
                "removeLabel": strings.format("filter.remove", ["value": municipality.name]),
                "href": basePath + queryString(reduced, keep: keep),
            ])
        }
        for slug in filter.topicSlugs {
            guard let topic = context.catalog.topic(slug: slug) else { continue }
            var reduced = filter
            reduced.topicSlugs.removeAll { $0 == slug }
            active.append([
                "label": topic.name, "removeLabel": strings.format("filter.remove", ["value": topic.name]),
                "href": basePath + queryString(reduced, keep: keep),
            ])
        }
        if filter.littleGermanOnly {
            var reduced = filter
            reduced.littleGermanOnly = false
            let label = strings["filter.little_german"]
            active.append([
                "label": label, "removeLabel": strings.format("filter.remove", ["value": label]),
                "href": basePath + queryString(reduced, keep: keep),
            ])
        }
        return [
            "action": basePath,
            "offersLanguageFilter": offersLanguageFilter,
            "littleGermanChecked": filter.littleGermanOnly,
            "hidden": keep.map { ["name": $0.0, "value": $0.1] },
            "municipalities": municipalities,
            "topics": topics,
            "selectedMunicipalityCount": filter.municipalitySlugs.count,
            "selectedTopicCount": filter.topicSlugs.count,
            "active": active,
            "hasActive": !active.isEmpty,
            "resetHref": basePath + queryString(ListFilter(), keep: keep),
        ]
    }

    /// `?gemeinde=…&thema=…` plus the kept parameters, in a stable order.
    static func queryString(_ filter: ListFilter, keep: [(String, String)], page: Int? = nil) -> String {
        var query = QueryBuilder()
        for (name, value) in keep { query.add(name, value) }
        query.add("gemeinde", filter.municipalitySlugs)
        query.add("thema", filter.topicSlugs)
        if filter.littleGermanOnly { query.add("deutsch", "wenig") }
        if let page, page > 1 { query.add("seite", String(page)) }
        return query.string
    }
}
