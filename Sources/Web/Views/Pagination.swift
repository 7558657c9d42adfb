import Storage

/// "Seite 2 von 9" with previous/next links and a short run of page numbers.
enum Pagination {
    static func build<Item>(
        _ page: Page<Item>, link: (Int) -> String, _ context: RequestContext
    ) -> [String: Any] {
        let count = page.pageCount
        let current = page.pageNumber
        let window = max(1, current - 2)...min(count, current + 2)
        var numbers: [[String: Any]] = []
        for number in window {
            numbers.append([
                "number": number, "href": link(number), "current": number == current,
                "label": context.strings.format("pagination.page_label", ["page": String(number)]),
            ])
        }
        return [
            "show": count > 1,
            "summary": context.strings.format(
                "pagination.summary", ["page": String(current), "count": String(count)]),
            "hasPrevious": current > 1,
            "previousHref": link(max(1, current - 1)),
            "hasNext": current < count,
            "nextHref": link(min(count, current + 1)),
            "pages": numbers,
        ]
    }
}
