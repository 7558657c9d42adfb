import HTTPServer

/// The main navigation; the order here is the order on the page.
enum NavigationItem: CaseIterable {
    case volunteerNeeds, volunteerOffers, donations, events, organisations, municipalities, search

    var route: SiteRoute {
        switch self {
        case .volunteerNeeds: .listings(.volunteerNeeds)
        case .volunteerOffers: .listings(.volunteerOffers)
        case .donations: .listings(.donations)
        case .events: .events
        case .organisations: .organisations
        case .municipalities: .municipalities
        case .search: .search
        }
    }

    var labelKey: String {
        switch self {
        case .volunteerNeeds: "nav.volunteer_needs"
        case .volunteerOffers: "nav.volunteer_offers"
        case .donations: "nav.donations"
        case .events: "nav.events"
        case .organisations: "nav.organisations"
        case .municipalities: "nav.municipalities"
        case .search: "nav.search"
        }
    }
}

/// Adds what every page shares to a page's template values: strings, site facts, title, navigation, footer.
struct LayoutBuilder: Sendable {
    let strings: Localization
    let site: SiteSettings

    func addLayout(to context: inout [String: Any], page: RenderedPage, request: ServerRequest) {
        let siteName = strings.format("site.name", site.placeholders)
        context[Views.sharedStringsKey] = strings.templateStrings
        context["lang"] = strings.language
        // Listings, events and organisations are written in German: on pages in other languages their
        // text is marked as German (and left to right), so screen readers and the bidi algorithm get it right.
        context["userContentLang"] = strings.language != "de"
        context["siteName"] = siteName
        context["countyName"] = site.countyName
        context["documentTitle"] = page.title.isEmpty ? siteName : page.title + " – " + siteName
        context["metaDescription"] = page.description ?? strings.format("site.description", site.placeholders)
        context["homeHref"] = SiteRoute.home.path
        context["stylesheetHref"] = SiteRoute.staticFile(path: "css/site.css").path
        let logo = site.effectiveTheme.logoPath
        context["logoHref"] = SiteRoute.staticFile(path: logo[...]).path
        context["logoType"] =
            logo.hasSuffix(".svg") ? "image/svg+xml" : logo.hasSuffix(".png") ? "image/png" : "image/jpeg"
        context["themeHref"] = site.effectiveTheme.stylesheet.isEmpty ? "" : SiteRoute.themeStylesheet.path
        context["navigation"] = NavigationItem.allCases.map { item in
            [
                "href": item.route.path, "label": strings[item.labelKey], "current": item == page.navigation,
            ] as [String: Any]
        }
        context["footerLinks"] = [SiteRoute.imprint, .privacy, .accessibility, .easyLanguage].map { route in
            ["href": route.path, "label": strings[Self.footerKey(route)]]
        }
    }

    private static func footerKey(_ route: SiteRoute) -> String {
        switch route {
        case .imprint: "footer.imprint"
        case .privacy: "footer.privacy"
        case .easyLanguage: "easy.footer_link"
        default: "footer.accessibility"
        }
    }
}
