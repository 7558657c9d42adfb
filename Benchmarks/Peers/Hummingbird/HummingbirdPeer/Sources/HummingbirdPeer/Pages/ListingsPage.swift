import Domain
import Foundation
import Hummingbird
import Storage

/// `GET /ehrenamt[?seite=N&gemeinde=…&thema=…&deutsch=wenig]`: the volunteer needs, 20 per page, newest
/// first, with the filter form, the result count and the pagination.
enum ListingsPage: PeerPage {
    static let template = "pages/listings/index"
    static let pageSize = 20

    static func register(on router: Router<BasicRequestContext>, site: Site) {
        router.get("/ehrenamt") { request, _ in try render(request, site) }
    }

    static func render(_ request: Request, _ site: Site) throws -> HTML {
        let query = request.uri.queryParameters
        var filter = site.catalog.filter(
            municipalitySlugs: distinct(query[values: "gemeinde"]), topicSlugs: distinct(query[values: "thema"]),
            topicKind: .volunteering)
        filter.littleGermanOnly = query["deutsch"] == "wenig"
        let pageNumber = try PageNumber.parse(query["seite"])
        let page = try site.listings.page(
            kinds: [.volunteerNeed], filter: filter, pageNumber: pageNumber, pageSize: pageSize, now: Date())
        guard pageNumber <= page.pageCount else { throw HTTPError(.notFound) }

        let strings = site.strings
        let basePath = Paths.volunteerNeeds
        let items = page.items.map { Cards.listing($0, site) }
        let values: [String: Any] = [
            "heading": strings["listings.ehrenamt.title"],
            "intro": strings["listings.ehrenamt.intro"],
            "resultCount": strings.plural("listings.result_count", count: page.totalCount),
            "items": items,
            "isEmpty": items.isEmpty,
            "emptyHint": strings[filter == ListFilter() ? "listings.empty.none" : "listings.empty.filtered"],
            "filter": FilterForm.build(
                filter: filter, topicKind: .volunteering, basePath: basePath, offersLanguageFilter: true, site),
            "pagination": Pagination.build(
                page, link: { basePath + FilterForm.queryString(filter, page: $0) }, site),
        ]
        let name = strings["listings.ehrenamt.title"]
        let title =
            pageNumber > 1 ? name + " – " + strings.format("pagination.page_label", ["page": String(pageNumber)]) : name
        return site.render(
            RenderedPage(
                template: template, title: title, values: values, navigation: basePath,
                description: strings["listings.ehrenamt.intro"]),
            request: request)
    }

    /// The values of a repeated query parameter in order, without empty values and duplicates.
    static func distinct(_ values: [Substring]) -> [String] {
        var seen = Set<String>()
        return values.compactMap { value in
            let text = String(value)
            guard !text.isEmpty, seen.insert(text).inserted else { return nil }
            return text
        }
    }
}

/// The `seite=` parameter: absent or empty means 1; anything but a number in 1…100000 is a 404.
enum PageNumber {
    static func parse(_ text: Substring?) throws -> Int {
        guard let text, !text.isEmpty else { return 1 }
        guard let number = Int(text), number >= 1, number <= 100_000 else { throw HTTPError(.notFound) }
        return number
    }
}
