import Domain
import Foundation
import Hummingbird
import Storage

/// `GET /suche?q=…[&seite=N]`: full-text search over the public listings of all four kinds, 20 cards per
/// page, through the same `ListingStore.search` as the main server; without words the form alone, and more
/// than 200 characters a message next to the field (422).
enum SearchPage: PeerPage {
    static let template = "pages/search/index"
    static let pageSize = 20
    static let maximumQueryLength = 200
    static let path = "/suche"

    static func register(on router: Router<BasicRequestContext>, site: Site) {
        router.get("/suche") { request, _ in try render(request, site) }
    }

    static func render(_ request: Request, _ site: Site) throws -> HTML {
        let strings = site.strings
        let parameters = request.uri.queryParameters
        let text = String(parameters["q"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let pageNumber = try PageNumber.parse(parameters["seite"])
        let tooLong = text.count > maximumQueryLength
        let error = tooLong ? strings.format("search.too_long", ["max": String(maximumQueryLength)]) : nil
        var values: [String: Any] = [
            "action": path,
            "field": field(value: text, error: error, site),
            "browse": [
                (Paths.listings(.volunteerNeed), "nav.volunteer_needs"),
                (Paths.listings(.volunteerOffer), "nav.volunteer_offers"),
                (Paths.listings(.donationOffer), "nav.donations"),
            ].map { href, key in ["href": href, "label": strings[key]] },
        ]
        if let error {
            values["errorSummary"] = [
                "title": strings.plural("forms.summary_title", count: 1),
                "items": [["href": "#f-q", "message": error]],
            ]
        }
        let name = strings["search.title"]
        var page = RenderedPage(
            template: template,
            title: tooLong ? strings.format("forms.title_with_errors", ["title": name]) : name,
            values: values, navigation: path, description: strings["search.intro"])
        guard !tooLong, let query = SearchQuery(text) else {
            guard pageNumber == 1 else { throw HTTPError(.notFound) }
            return site.render(page, request: request, status: tooLong ? .unprocessableContent : .ok)
        }
        let found = try site.listings.search(query, pageNumber: pageNumber, pageSize: pageSize, now: Date())
        let results = found.page
        guard pageNumber <= results.pageCount else { throw HTTPError(.notFound) }
        let quoted = ["query": text]
        values["searched"] = true
        values["resultCount"] =
            found.isCapped
            ? strings.plural("search.result_count_more", count: found.limit)
            : strings.plural("listings.result_count", count: results.totalCount)
        values["resultsHeading"] = strings.format("search.results_for", quoted)
        values["emptyHeading"] = strings.format("search.empty.title", quoted)
        values["items"] = results.items.map { Cards.listing($0, site) }
        values["isEmpty"] = results.items.isEmpty
        values["pagination"] = Pagination.build(results, link: { link(text, page: $0) }, site)
        page.values = values
        let title = strings.format("search.title_for", quoted)
        page.title =
            pageNumber > 1
            ? title + " – " + strings.format("pagination.page_label", ["page": String(pageNumber)]) : title
        return site.render(page, request: request)
    }

    /// The search field (`partials/field`): a labelled input with its hint, and the error when there is one.
    static func field(value: String, error: String?, _ site: Site) -> [String: Any] {
        let strings = site.strings
        var field: [String: Any] = [
            "name": "q", "id": "f-q", "label": strings["search.form.q.label"], "required": false, "isInput": true,
            "type": "search", "value": value, "maxLength": maximumQueryLength,
            "hint": strings["search.form.q.hint"], "hintID": "f-q-hint", "describedBy": "f-q-hint",
        ]
        if let error {
            field["error"] = error
            field["errorID"] = "f-q-error"
            field["invalid"] = true
            field["describedBy"] = "f-q-hint f-q-error"
        }
        return field
    }

    /// `/suche?q=…&seite=…`
    static func link(_ text: String, page: Int) -> String {
        var query = QueryBuilder()
        query.add("q", text)
        if page > 1 { query.add("seite", String(page)) }
        return path + query.string
    }
}
