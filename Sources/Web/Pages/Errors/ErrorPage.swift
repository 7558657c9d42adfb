/// The error pages (400, 403, 404, 405, 413, 415, 429, 500): in the layout, in German, with ways back into the site.
enum ErrorPage {
    static func render(_ error: HTTPError, strings: Localization) -> RenderedPage {
        let code = error.status.code
        let values: [String: Any] = [
            "heading": strings["error.\(code).title"],
            "text": strings.format(
                error.messageKey, ["minutes": String(max(1, ((error.retryAfter ?? 60) + 59) / 60))]),
            "status": code,
            "homeHref": SiteRoute.home.path,
            "links": [SiteRoute.listings(.volunteerNeeds), .listings(.donations), .events].map { route in
                ["href": route.path, "label": strings[NavigationItem.allCases.first { $0.route == route }!.labelKey]]
            },
        ]
        return RenderedPage(
            template: .error, title: strings["error.\(code).title"], context: values, status: error.status)
    }
}
