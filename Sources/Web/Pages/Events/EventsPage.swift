import Domain
import Storage

/// `/veranstaltungen`: upcoming events first; past ones only when asked for (`zeitraum=vergangen`).
enum EventsPage {
    static let pageSize = 20

    static func render(_ context: RequestContext) throws -> RenderedPage {
        let strings = context.strings
        let period: EventStore.Period
        switch context.query.first("zeitraum") {
        case nil, "kommend": period = .upcoming
        case "vergangen": period = .past
        default: throw HTTPError.notFound
        }
        let keep: [(String, String)] = period == .past ? [("zeitraum", "vergangen")] : []
        let filter = context.catalog.filter(
            municipalitySlugs: context.query.all("gemeinde"), topicSlugs: context.query.all("thema"),
            topicKind: .volunteering)
        let pageNumber = try context.pageNumber()
        let page = try context.app.events.page(
            period: period, filter: filter, pageNumber: pageNumber, pageSize: pageSize, now: context.now)
        guard pageNumber <= page.pageCount else { throw HTTPError.notFound }
        let basePath = SiteRoute.events.path
        let tabs: [[String: Any]] = [(EventStore.Period.upcoming, "upcoming"), (.past, "past")].map { tab, key in
            [
                "label": strings["events.tab.\(key)"], "current": tab == period,
                "href": basePath
                    + FilterForm.queryString(filter, keep: tab == .past ? [("zeitraum", "vergangen")] : []),
            ]
        }
        var title = strings[period == .past ? "events.title_past" : "events.title"]
        if pageNumber > 1 { title += " – " + strings.format("pagination.page_label", ["page": String(pageNumber)]) }
        let values: [String: Any] = [
            "heading": strings[period == .past ? "events.title_past" : "events.title"],
            "intro": strings["events.intro"],
            "tabs": tabs,
            "resultCount": strings.plural("events.result_count", count: page.totalCount),
            "items": page.items.map { Cards.event($0, context) },
            "isEmpty": page.items.isEmpty,
            "emptyHint": strings[filter == ListFilter() ? "events.empty.none" : "events.empty.filtered"],
            "filter": FilterForm.build(
                filter: filter, topicKind: .volunteering, basePath: basePath, keep: keep, context),
            "pagination": Pagination.build(
                page, link: { basePath + FilterForm.queryString(filter, keep: keep, page: $0) }, context),
        ]
        return RenderedPage(
            template: .events, title: title, context: values, navigation: .events, description: strings["events.intro"])
    }
}
