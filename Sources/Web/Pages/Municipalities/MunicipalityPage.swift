import Domain
import Matching
import Storage

/// `/gemeinden/{slug}`: everything in one municipality, and its neighbours.
enum MunicipalityPage {
    static let itemsPerSection = 3

    static func render(slug: String, _ context: RequestContext) throws -> RenderedPage {
        guard let municipality = context.catalog.municipality(slug: slug) else { throw HTTPError.notFound }
        let strings = context.strings
        let filter = ListFilter(municipalitySlugs: [slug])
        let counts = try context.app.listings.countsByKind(filter: filter, now: context.now)
        var sections: [[String: Any]] = []
        for section in ListingSection.allCases {
            let items = try context.app.listings.newest(
                kinds: section.kinds, filter: filter, limit: itemsPerSection, now: context.now)
            let total = section.kinds.reduce(0) { $0 + (counts[$1] ?? 0) }
            var query = QueryBuilder()
            query.add("gemeinde", slug)
            sections.append([
                "heading": strings["listings.\(section.rawValue).title"],
                "id": "bereich-\(section.rawValue)",
                "items": items.map { Cards.listing($0, context) },
                "isEmpty": items.isEmpty,
                "allHref": SiteRoute.listings(section).path + query.string,
                "allLabel": strings.format(
                    "municipality.show_all",
                    ["count": String(total), "section": strings["listings.\(section.rawValue).title"]]),
            ])
        }
        let events = try context.app.events.upcoming(filter: filter, limit: itemsPerSection, now: context.now)
        let organisationPage = try context.app.organisations.page(
            filter: filter, pageNumber: 1, pageSize: 12, now: context.now)
        var query = QueryBuilder()
        query.add("gemeinde", slug)
        let neighbours = Distance.neighbours(
            of: municipality, among: context.catalog.municipalities,
            within: context.app.site.neighbourRadiusKilometres)
        let values: [String: Any] = [
            "heading": municipality.name,
            "intro": strings.format("municipality.intro", ["name": municipality.name]),
            "sections": sections,
            "events": events.map { Cards.event($0, context) },
            "hasEvents": !events.isEmpty,
            "eventsHref": SiteRoute.events.path + query.string,
            "organisations": organisationPage.items.map { Cards.organisation($0, context) },
            "hasOrganisations": !organisationPage.items.isEmpty,
            "organisationsHref": SiteRoute.organisations.path + query.string,
            "organisationsLabel": strings.plural("municipality.all_organisations", count: organisationPage.totalCount),
            "neighbours": neighbours.map { neighbour in
                [
                    "name": neighbour.municipality.name,
                    "href": SiteRoute.municipality(slug: neighbour.municipality.slug).path,
                    "distance": strings.format(
                        "municipality.distance", ["km": String(Int(neighbour.kilometres.rounded()))]),
                ]
            },
            "hasNeighbours": !neighbours.isEmpty,
        ]
        return RenderedPage(
            template: .municipality, title: municipality.name, context: values, navigation: .municipalities,
            description: strings.format("municipality.intro", ["name": municipality.name]))
    }
}
