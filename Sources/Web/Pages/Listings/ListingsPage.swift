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

        /// The query parameter that selects this tab (none for "all").
        var keep: [(String, String)] { self == .all ? [] : [("art", rawValue)] }

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
        var donationTab: DonationTab?
        if section == .donations {
            guard let tab = DonationTab(rawValue: context.query.first("art") ?? "") else { throw HTTPError.notFound }
            kinds = tab.kinds
            donationTab = tab
        }
        let list = try ListPage(
            context, topicKind: section.topicKind, basePath: SiteRoute.listings(section).path,
            keep: donationTab.map { $0.keep } ?? [], offersLanguageFilter: true)
        let page = try context.app.listings.page(
            kinds: kinds, filter: list.filter, pageNumber: list.pageNumber, pageSize: pageSize, now: context.now)
        let key = "listings.\(section.rawValue)"
        var values = try list.values(
            page, items: page.items.map { Cards.listing($0, context) }, keyPrefix: "listings", context)
        values["heading"] = strings["\(key).title"]
        values["intro"] = strings["\(key).intro"]
        if let donationTab {
            // Switching tabs keeps the chosen places and topics.
            values["tabs"] = DonationTab.allCases.map { tab in
                [
                    "label": strings["listings.spenden.tab.\(tab == .all ? "all" : tab.rawValue)"],
                    "href": list.basePath + FilterForm.queryString(list.filter, keep: tab.keep),
                    "current": tab == donationTab,
                ] as [String: Any]
            }
            values["hasTabs"] = true
        }
        return RenderedPage(
            template: .listings, title: list.title(strings["\(key).title"], strings), context: values,
            navigation: navigation(section),
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
