import Domain
import Storage

/// `/organisationen`: the directory of vetted clubs and organisations.
enum OrganisationsPage {
    static let pageSize = 20

    static func render(_ context: RequestContext) throws -> RenderedPage {
        let strings = context.strings
        let filter = context.catalog.filter(
            municipalitySlugs: context.query.all("gemeinde"), topicSlugs: context.query.all("thema"),
            topicKind: .volunteering)
        let pageNumber = try context.pageNumber()
        let page = try context.app.organisations.page(
            filter: filter, pageNumber: pageNumber, pageSize: pageSize, now: context.now)
        guard pageNumber <= page.pageCount else { throw HTTPError.notFound }
        let basePath = SiteRoute.organisations.path
        var title = strings["organisations.title"]
        if pageNumber > 1 { title += " – " + strings.format("pagination.page_label", ["page": String(pageNumber)]) }
        let values: [String: Any] = [
            "heading": strings["organisations.title"],
            "intro": strings["organisations.intro"],
            "resultCount": strings.plural("organisations.result_count", count: page.totalCount),
            "items": page.items.map { Cards.organisation($0, context) },
            "isEmpty": page.items.isEmpty,
            "emptyHint": strings[filter == ListFilter() ? "organisations.empty.none" : "organisations.empty.filtered"],
            "filter": FilterForm.build(filter: filter, topicKind: .volunteering, basePath: basePath, keep: [], context),
            "pagination": Pagination.build(
                page, link: { basePath + FilterForm.queryString(filter, keep: [], page: $0) }, context),
        ]
        return RenderedPage(
            template: .organisations, title: title, context: values, navigation: .organisations,
            description: strings["organisations.intro"])
    }
}
