import Domain
import Storage

/// `/`: what the exchange is, how to take part, what is new, and ways in by place and topic.
enum HomePage {
    static func render(_ context: RequestContext) throws -> RenderedPage {
        let strings = context.strings
        let app = context.app
        let counts = try app.listings.countsByKind(now: context.now)
        let eventCount = try app.events.upcomingCount(now: context.now)
        let organisationCount = try app.organisations.approvedCount()
        let stats: [[String: Any]] = [
            stat(
                count: counts[.volunteerNeed] ?? 0, key: "home.stats.volunteer_needs",
                route: .listings(.volunteerNeeds), strings),
            stat(
                count: counts[.volunteerOffer] ?? 0, key: "home.stats.volunteer_offers",
                route: .listings(.volunteerOffers), strings),
            stat(
                count: (counts[.donationOffer] ?? 0) + (counts[.donationNeed] ?? 0), key: "home.stats.donations",
                route: .listings(.donations), strings),
            stat(count: eventCount, key: "home.stats.events", route: .events, strings),
            stat(count: organisationCount, key: "home.stats.organisations", route: .organisations, strings),
        ]
        let newestNeeds = try app.listings.newest(kinds: [.volunteerNeed], limit: 6, now: context.now)
        let newestOthers = try app.listings.newest(
            kinds: [.volunteerOffer, .donationOffer, .donationNeed], limit: 6, now: context.now)
        let events = try app.events.upcoming(limit: 4, now: context.now)
        let topics = context.catalog.activeTopics(of: .volunteering).map { topic in
            var query = QueryBuilder()
            query.add("thema", topic.slug)
            return ["name": topic.name, "href": SiteRoute.listings(.volunteerNeeds).path + query.string]
        }
        let values: [String: Any] = [
            "heading": strings.format("home.heading", app.site.placeholders),
            "lead": strings.format("home.lead", app.site.placeholders),
            "helpHref": SiteRoute.listings(.volunteerNeeds).path,
            "offerHref": SiteRoute.listings(.volunteerOffers).path,
            "donateHref": SiteRoute.listings(.donations).path,
            "stats": stats,
            "newestNeeds": newestNeeds.map { Cards.listing($0, context) },
            "newestOthers": newestOthers.map { Cards.listing($0, context) },
            "events": events.map { Cards.event($0, context) },
            "hasEvents": !events.isEmpty,
            "eventsHref": SiteRoute.events.path,
            "needsHref": SiteRoute.listings(.volunteerNeeds).path,
            "municipalities": context.catalog.municipalities.map { municipality in
                ["name": municipality.name, "href": SiteRoute.municipality(slug: municipality.slug).path]
            },
            "topics": topics,
        ]
        return RenderedPage(template: .home, title: "", context: values)
    }

    private static func stat(count: Int, key: String, route: SiteRoute, _ strings: Localization) -> [String: Any] {
        ["count": count, "label": strings.plural(key, count: count), "href": route.path]
    }
}
