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
        let basePath = SiteRoute.events.path
        let list = try ListPage(
            context, topicKind: .volunteering, basePath: basePath,
            keep: period == .past ? [("zeitraum", "vergangen")] : [])
        let page = try context.app.events.page(
            period: period, filter: list.filter, pageNumber: list.pageNumber, pageSize: pageSize, now: context.now)
        var values = try list.values(
            page, items: page.items.map { Cards.event($0, context) }, keyPrefix: "events", context)
        let heading = strings[period == .past ? "events.title_past" : "events.title"]
        values["heading"] = heading
        values["intro"] = strings["events.intro"]
        values["tabs"] = [(EventStore.Period.upcoming, "upcoming"), (.past, "past")].map { tab, key in
            [
                "label": strings["events.tab.\(key)"], "current": tab == period,
                "href": basePath
                    + FilterForm.queryString(list.filter, keep: tab == .past ? [("zeitraum", "vergangen")] : []),
            ] as [String: Any]
        }
        return RenderedPage(
            template: .events, title: list.title(heading, strings), context: values, navigation: .events,
            description: strings["events.intro"])
    }
}
