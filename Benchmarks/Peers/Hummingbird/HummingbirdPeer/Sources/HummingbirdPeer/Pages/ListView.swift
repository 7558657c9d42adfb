import Domain
import Storage

/// Template values for a listing card (`partials/listing-card`).
enum Cards {
    static func listing(_ item: ListingSummary, _ site: Site) -> [String: Any] {
        let strings = site.strings
        var card: [String: Any] = [
            "id": item.id,
            "href": Paths.listing(item.kind, id: item.id),
            "title": item.title,
            "summary": item.summary,
            "kindLabel": strings["kind.\(item.kind.rawValue)"],
            "kindClass": item.kind.rawValue.replacingOccurrences(of: "_", with: "-"),
            "municipality": municipalityLink(item.municipality),
            "topics": item.topics.map { topicLink($0, listPath: Paths.listings(item.kind), site) },
            "hasTopics": !item.topics.isEmpty,
            "published": site.dates.date(item.publishedAt),
            "publishedMachine": site.dates.machineReadable(item.publishedAt),
            "poster": item.organisationName ?? item.posterName,
        ]
        if item.kind.isDonation {
            if let condition = item.itemCondition { card["condition"] = strings["condition.\(condition.rawValue)"] }
        } else {
            card["commitment"] = strings["commitment.\(item.timeCommitment.rawValue)"]
        }
        if item.germanLevel == .any, !item.kind.isDonation { card["littleGerman"] = strings["german.any_badge"] }
        return card
    }

    static func municipalityLink(_ label: Label) -> [String: Any] {
        ["name": label.name, "href": Paths.municipality(label.slug)]
    }

    /// A topic of a card, linking to its kind's list filtered by that topic.
    static func topicLink(_ label: Label, listPath: String, _ site: Site) -> [String: Any] {
        var query = QueryBuilder()
        query.add("thema", label.slug)
        return ["name": site.catalog.topicName(label), "href": listPath + query.string]
    }
}

/// The municipality and topic filter above the list (`partials/filter-form`): a GET form with checkboxes,
/// plus the active filters as links that remove one value each.
enum FilterForm {
    static func build(
        filter: ListFilter, topicKind: TopicKind, basePath: String, offersLanguageFilter: Bool, _ site: Site
    ) -> [String: Any] {
        let strings = site.strings
        let catalog = site.catalog
        let municipalities = catalog.municipalities.map { municipality in
            [
                "value": municipality.slug, "label": municipality.name,
                "checked": filter.municipalitySlugs.contains(municipality.slug),
                "inputID": "gemeinde-\(municipality.slug)",
            ] as [String: Any]
        }
        let topics = catalog.choosableTopics(of: topicKind, keeping: filter.topicSlugs).map { topic in
            [
                "value": topic.slug, "label": topic.name, "checked": filter.topicSlugs.contains(topic.slug),
                "inputID": "thema-\(topic.slug)",
            ] as [String: Any]
        }
        var active: [[String: Any]] = []
        func addActive(_ label: String, _ reduced: ListFilter) {
            active.append([
                "label": label, "removeLabel": strings.format("filter.remove", ["value": label]),
                "href": basePath + queryString(reduced),
            ])
        }
        for slug in filter.municipalitySlugs {
            guard let municipality = catalog.municipality(slug: slug) else { continue }
            var reduced = filter
            reduced.municipalitySlugs.removeAll { $0 == slug }
            addActive(municipality.name, reduced)
        }
        for slug in filter.topicSlugs {
            guard let topic = catalog.topic(slug: slug) else { continue }
            var reduced = filter
            reduced.topicSlugs.removeAll { $0 == slug }
            addActive(topic.name, reduced)
        }
        if filter.littleGermanOnly {
            var reduced = filter
            reduced.littleGermanOnly = false
            addActive(strings["filter.little_german"], reduced)
        }
        return [
            "action": basePath,
            "offersLanguageFilter": offersLanguageFilter,
            "littleGermanChecked": filter.littleGermanOnly,
            "hidden": [[String: Any]](),
            "municipalities": municipalities,
            "topics": topics,
            "selectedMunicipalityCount": filter.municipalitySlugs.count,
            "selectedTopicCount": filter.topicSlugs.count,
            "active": active,
            "hasActive": !active.isEmpty,
            "resetHref": basePath + queryString(ListFilter()),
        ]
    }

    /// `?gemeinde=…&thema=…&deutsch=wenig&seite=N`, in a stable order.
    static func queryString(_ filter: ListFilter, page: Int? = nil) -> String {
        var query = QueryBuilder()
        query.add("gemeinde", filter.municipalitySlugs)
        query.add("thema", filter.topicSlugs)
        if filter.littleGermanOnly { query.add("deutsch", "wenig") }
        if let page, page > 1 { query.add("seite", String(page)) }
        return query.string
    }
}

/// "Seite 2 von 9" with previous/next links and a short run of page numbers (`partials/pagination`).
enum Pagination {
    static func build<Item>(_ page: Page<Item>, link: (Int) -> String, _ site: Site) -> [String: Any] {
        let strings = site.strings
        let count = page.pageCount
        let current = page.pageNumber
        let numbers: [[String: Any]] = (max(1, current - 2)...min(count, current + 2)).map { number in
            [
                "number": number, "href": link(number), "current": number == current,
                "label": strings.format("pagination.page_label", ["page": String(number)]),
            ]
        }
        return [
            "show": count > 1,
            "summary": strings.format("pagination.summary", ["page": String(current), "count": String(count)]),
            "hasPrevious": current > 1,
            "previousHref": link(max(1, current - 1)),
            "hasNext": current < count,
            "nextHref": link(min(count, current + 1)),
            "pages": numbers,
        ]
    }
}
