import Storage

/// `/organisationen/{id}`: who they are, how to reach them, and their current listings and events.
enum OrganisationDetailPage {
    static func render(id: Int64, _ context: RequestContext) throws -> RenderedPage {
        guard let detail = try context.app.organisations.detail(id: id) else { throw HTTPError.notFound }
        let strings = context.strings
        let organisation = detail.organisation
        let listings = try context.app.listings.forOrganisation(id, now: context.now)
        let events = try context.app.events.upcoming(organisationID: id, now: context.now)
        let address = [
            organisation.street,
            [organisation.postalCode, detail.municipality.name].filter { !$0.isEmpty }
                .joined(separator: " "),
        ].filter { !$0.isEmpty }.joined(separator: ", ")
        let website = organisation.website
        let values: [String: Any] = [
            "name": organisation.name,
            "backHref": SiteRoute.organisations.path,
            "legalForm": strings["legal_form.\(organisation.legalForm.rawValue)"],
            "paragraphs": ListingDetailPage.paragraphs(organisation.description),
            "municipality": Cards.municipalityLink(detail.municipality),
            "address": address,
            "contactName": organisation.contactName,
            "phone": organisation.phone,
            "phoneHref": "tel:" + organisation.phone.filter { $0.isNumber || $0 == "+" },
            "hasPhone": !organisation.phone.isEmpty,
            // Only http(s) links become clickable: a stored "javascript:" URL must never be a link.
            "website": website,
            "hasWebsite": website.hasPrefix("https://") || website.hasPrefix("http://"),
            "topics": detail.topics.map { ["name": context.catalog.topicName($0)] },
            "listings": listings.map { Cards.listing($0, context) },
            "hasListings": !listings.isEmpty,
            "listingCount": strings.plural("organisations.open_listings", count: listings.count),
            "events": events.map { Cards.event($0, context) },
            "hasEvents": !events.isEmpty,
        ]
        return RenderedPage(
            template: .organisationDetail, title: organisation.name, context: values, navigation: .organisations,
            description: String(organisation.description.prefix(160)))
    }
}
