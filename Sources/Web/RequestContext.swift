import Foundation
import HTTPServer
import HTTPTypes

/// What a page handler gets: the request, its route and query, the time, and the application's parts.
struct RequestContext {
    let app: Application
    let request: ServerRequest
    let route: SiteRoute
    let query: QueryString
    let now: Date

    var strings: Localization { app.strings }
    var catalog: Catalog { app.catalog }
    var dates: DateText { app.dates }

    /// The `seite=` parameter: absent or empty means 1; anything but a positive number is a 404, like a page
    /// past the end.
    func pageNumber() throws -> Int {
        guard let text = query.first("seite"), !text.isEmpty else { return 1 }
        guard let number = Int(text), number >= 1, number <= 100_000 else { throw HTTPError.notFound }
        return number
    }
}

/// A page ready for the layout: which template, its title and its own values.
struct RenderedPage {
    var template: PageTemplate
    var title: String
    var context: [String: Any]
    var status: HTTPResponse.Status = .ok
    /// The main navigation entry to mark as current.
    var navigation: NavigationItem? = nil
    /// A short description for `<meta name="description">`.
    var description: String? = nil
}
