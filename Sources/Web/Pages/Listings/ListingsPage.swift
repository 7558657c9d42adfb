import Domain
import Storage

/// `/ehrenamt`, `/mithelfen`, `/spenden`: one list page per section, filtered by municipality and topic.
enum ListingsPage {
    static let pageSize = 20

    /// The donation tabs (`art=`): both kinds, offers, or needs.
    enum DonationTab: String, CaseIterable {
        case all = ""
        case offers = "angebote"
        case needs = "gesuche"

        var kinds: [ListingKind] {
            switch self {
            case .all: [.donationOffer, .donationNeed]
            case .offers: [.donationOffer]
            case .needs: [.donationNeed]
            }
        }
    }

    static func render(_ section: ListingSection, _ context: RequestContext) throws -> RenderedPage {
        let strings = context.strings
        var kinds = section.kinds
        var keep: [(String, String)] = []
        var tabs: [[String: Any]] = []
        if section == .donations {
            guard let tab = DonationTab(rawValue: context.query.first("art") ?? "") else { throw HTTPError.notFound }
            kinds = tab.kinds
            if tab != .all { keep.append(("art", tab.rawValue)) }
            tabs = DonationTab.allCases.map { candidate in
                var query = QueryBuilder()
                if candidate != .all { query.add("art", candidate.rawValue) }
                return [
                    "label": strings["listings.spenden.tab.\(candidate == .all ? "all" : candidate.rawValue)"],
                    "href": SiteRoute.listings(.donations).path + query.string, "current": candidate == tab,
                ]
            }
        }
        let filter = context.catalog.filter(
            municipalitySlugs: context.query.all("gemeinde"), topicSlugs: context.query.all("thema"),
            topicKind: section.topicKind)
        let pageNumber = try context.pageNumber()
        let page = try context.app.listings.page(
            kinds: kinds, filter: filter, pageNumber: pageNumber, pageSize: pageSize, now: context.now)
        guard pageNumber <= page.pageCount else { throw HTTPError.notFound }

        let basePath = SiteRoute.listings(section).path
        let key = "listings.\(section.rawValue)"
        var values: [String: Any] = [
            "heading": strings["\(key).title"],
            "intro": strings["\(key).intro"],
            "resultCount": strings.plural("listings.result_count", count: page.totalCount),
            "items": page.items.map { Cards.listing($0, context) },
            "isEmpty": page.items.isEmpty,
            "filter": FilterForm.build(
                filter: filter, topicKind: section.topicKind, basePath: basePath, keep: keep, context),
            "pagination": Pagination.build(
                page, link: { basePath + FilterForm.queryString(filter, keep: keep, page: $0) }, context),
            "tabs": tabs,
            "hasTabs": !tabs.isEmpty,
        ]
        values["emptyHint"] = strings[filter == ListFilter() ? "listings.empty.none" : "listings.empty.filtered"]
        var title = strings["\(key).title"]
        if pageNumber > 1 { title += " – " + strings.format("pagination.page_label", ["page": String(pageNumber)]) }
        return RenderedPage(
            template: .listings, title: title, context: values, navigation: navigation(section),
            description: strings["\(key).intro"])
    }

    static func navigation(_ section: ListingSection) -> NavigationItem {
        switch section {
        case .volunteerNeeds: .volunteerNeeds
        case .volunteerOffers: .volunteerOffers
        case .donations: .donations
        }
    }
}
