/// Every page template; checked at start-up so a missing file stops the start, not a request.
enum PageTemplate: String, CaseIterable {
    case home = "pages/home/index"
    case listings = "pages/listings/index"
    case listingDetail = "pages/listings/detail"
    case events = "pages/events/index"
    case eventDetail = "pages/events/detail"
    case organisations = "pages/organisations/index"
    case organisationDetail = "pages/organisations/detail"
    case municipalities = "pages/municipalities/index"
    case municipality = "pages/municipalities/detail"
    case legal = "pages/legal/legal"
    case error = "pages/errors/error"
}

/// Dispatches a route to its page.
enum Pages {
    static func render(_ route: SiteRoute, _ context: RequestContext) throws -> RenderedPage {
        switch route {
        case .home: try HomePage.render(context)
        case .listings(let section): try ListingsPage.render(section, context)
        case .listing(let section, let id): try ListingDetailPage.render(section, id: id, context)
        case .events: try EventsPage.render(context)
        case .event(let id): try EventDetailPage.render(id: id, context)
        case .organisations: try OrganisationsPage.render(context)
        case .organisation(let id): try OrganisationDetailPage.render(id: id, context)
        case .municipalities: MunicipalitiesPage.render(context)
        case .municipality(let slug): try MunicipalityPage.render(slug: slug, context)
        case .imprint: LegalPage.render(.imprint, context)
        case .privacy: LegalPage.render(.privacy, context)
        case .accessibility: LegalPage.render(.accessibility, context)
        case .staticFile: throw HTTPError.notFound
        }
    }
}
