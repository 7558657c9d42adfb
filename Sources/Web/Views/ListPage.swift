import Domain
import Storage

/// What the list pages (`/ehrenamt`, `/veranstaltungen`, `/organisationen`, …) share: the filter from
/// the URL, the page number check, and the template values for count, filter form, empty state and
/// pagination.
struct ListPage {
    let filter: ListFilter
    let pageNumber: Int
    let topicKind: TopicKind
    let basePath: String
    /// Further query parameters every link of the list keeps (`art=gesuche`, `zeitraum=vergangen`).
    let keep: [(String, String)]

    /// Whether the list offers "wenig Deutsch nötig" (listings do; events and organisations do not).
    let offersLanguageFilter: Bool

    init(
        _ context: RequestContext, topicKind: TopicKind, basePath: String, keep: [(String, String)] = [],
        offersLanguageFilter: Bool = false
    ) throws {
        var filter = context.catalog.filter(
            municipalitySlugs: context.query.all("gemeinde"), topicSlugs: context.query.all("thema"),
            topicKind: topicKind)
        filter.littleGermanOnly = offersLanguageFilter && context.query.first("deutsch") == "wenig"
        self.filter = filter
        self.offersLanguageFilter = offersLanguageFilter
        pageNumber = try context.pageNumber()
        self.topicKind = topicKind
        self.basePath = basePath
        self.keep = keep
    }

    /// The values every list template uses. A page number past the last page is a 404.
    /// - Parameter keyPrefix: localization prefix holding `result_count` and `empty.none`/`empty.filtered`.
    func values<Item>(
        _ page: Page<Item>, items: [[String: Any]], keyPrefix: String, _ context: RequestContext
    ) throws -> [String: Any] {
        guard pageNumber <= page.pageCount else { throw HTTPError.notFound }
        let strings = context.strings
        let filter = self.filter
        let keep = self.keep
        let basePath = self.basePath
        return [
            "resultCount": strings.plural("\(keyPrefix).result_count", count: page.totalCount),
            "items": items,
            "isEmpty": items.isEmpty,
            "emptyHint": strings[filter == ListFilter() ? "\(keyPrefix).empty.none" : "\(keyPrefix).empty.filtered"],
            "filter": FilterForm.build(
                filter: filter, topicKind: topicKind, basePath: basePath, keep: keep,
                offersLanguageFilter: offersLanguageFilter, context),
            "pagination": Pagination.build(
                page, link: { basePath + FilterForm.queryString(filter, keep: keep, page: $0) }, context),
        ]
    }

    /// The document title: the list's name, and the page number from page 2 on.
    func title(_ name: String, _ strings: Localization) -> String {
        pageNumber > 1 ? name + " – " + strings.format("pagination.page_label", ["page": String(pageNumber)]) : name
    }
}
