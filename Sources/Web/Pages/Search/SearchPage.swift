import Foundation
import Storage

/// `/suche?q=…`: full-text search over the published listings of all four kinds. A plain GET form; the
/// words are turned into an FTS5 query by `SearchQuery`, so nothing typed can be read as an operator.
enum SearchPage {
    static let pageSize = 20
    /// Longer text is refused with a message next to the field (422) and nothing is searched.
    static let maximumQueryLength = 200
    static let fieldPrefix = "search.form"

    static func render(_ context: RequestContext) throws -> RenderedPage {
        let strings = context.strings
        let text = (context.query.first("q") ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let pageNumber = try context.pageNumber()
        var state = FormState()
        state.set("q", text)
        let tooLong = text.count > maximumQueryLength
        if tooLong {
            state.addError(
                strings.format("search.too_long", ["max": String(maximumQueryLength)]), to: "q")
        }
        let view = FormView(state: state, strings: strings, prefix: fieldPrefix)
        let basePath = SiteRoute.search.path
        var values: [String: Any] = [
            "action": basePath,
            "field": view.input("q", type: "search", hint: true, maxLength: maximumQueryLength),
            "browse": [NavigationItem.volunteerNeeds, .volunteerOffers, .donations].map { item in
                ["href": item.route.path, "label": strings[item.labelKey]]
            },
        ]
        if let summary = view.errorSummary { values["errorSummary"] = summary }
        let name = strings["search.title"]
        var page = RenderedPage(
            template: .search, title: view.title(name), context: values, navigation: .search,
            description: strings["search.intro"])
        guard !tooLong, let query = SearchQuery(text) else {
            // Nothing to search: the form alone. A page number makes no sense without results.
            guard pageNumber == 1 else { throw HTTPError.notFound }
            if tooLong { page.status = .unprocessableContent }
            return page
        }
        let found = try context.app.listings.search(
            query, pageNumber: pageNumber, pageSize: pageSize, now: context.now)
        let results = found.page
        // Pages end with the counted matches: past the limit there is no page to show.
        guard pageNumber <= results.pageCount else { throw HTTPError.notFound }
        let quoted = ["query": text]
        values["searched"] = true
        values["resultCount"] =
            found.isCapped
            ? strings.plural("search.result_count_more", count: found.limit)
            : strings.plural("listings.result_count", count: results.totalCount)
        values["resultsHeading"] = strings.format("search.results_for", quoted)
        values["emptyHeading"] = strings.format("search.empty.title", quoted)
        values["items"] = results.items.map { Cards.listing($0, context) }
        values["isEmpty"] = results.items.isEmpty
        values["pagination"] = Pagination.build(results, link: { link(text, page: $0) }, context)
        page.context = values
        let title = strings.format("search.title_for", quoted)
        page.title =
            pageNumber > 1
            ? title + " – " + strings.format("pagination.page_label", ["page": String(pageNumber)]) : title
        return page
    }

    /// `/suche?q=…&seite=…` in the page's language.
    static func link(_ text: String, page: Int = 1) -> String {
        var query = QueryBuilder()
        query.add("q", text)
        if page > 1 { query.add("seite", String(page)) }
        return SiteRoute.search.path + query.string
    }
}
