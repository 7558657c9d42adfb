/// `/gemeinden`: every municipality of the county, as the entry point "what is there near me".
enum MunicipalitiesPage {
    static func render(_ context: RequestContext) -> RenderedPage {
        let strings = context.strings
        let values: [String: Any] = [
            "heading": strings["municipalities.title"],
            "intro": strings.format("municipalities.intro", context.app.site.placeholders),
            "items": context.catalog.municipalities.map { municipality in
                ["name": municipality.name, "href": SiteRoute.municipality(slug: municipality.slug).path]
            },
        ]
        return RenderedPage(
            template: .municipalities, title: strings["municipalities.title"], context: values,
            navigation: .municipalities)
    }
}
