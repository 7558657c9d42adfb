import Foundation
import HTTPTypes
import Hummingbird
import Mustache
import Storage

/// Everything the pages share, loaded once at start-up: templates, strings, the catalog, the stores.
struct Site: Sendable {
    struct Options: Sendable {
        var root: String
        var databasePath: String
        var region = "lippe"
        var publicBaseURL = "http://localhost:8080"
        var timeZone = TimeZone(identifier: "Europe/Berlin")!
    }

    /// What the peer reads of `Config/<region>.json`.
    struct Settings: Decodable, Sendable {
        struct Theme: Decodable, Sendable {
            var primaryColor: String?
            var primaryDarkColor: String?
            var logo: String?
        }
        var countyName: String
        var countyLocative: String
        var theme: Theme?
    }

    /// A language of the site's switcher (the peer itself serves German only).
    struct LanguageLink: Sendable {
        let code: String
        let nativeName: String
        let isRightToLeft: Bool
        var pathPrefix: String { code == "de" ? "" : "/" + code }
    }

    static let allLanguages = [
        LanguageLink(code: "de", nativeName: "Deutsch", isRightToLeft: false),
        LanguageLink(code: "en", nativeName: "English", isRightToLeft: false),
        LanguageLink(code: "ar", nativeName: "العربية", isRightToLeft: true),
        LanguageLink(code: "uk", nativeName: "Українська", isRightToLeft: false),
        LanguageLink(code: "tr", nativeName: "Türkçe", isRightToLeft: false),
    ]

    let views: MustacheLibrary
    let strings: Strings
    let dates: DateText
    let catalog: Catalog
    let listings: ListingStore
    let settings: Settings
    let publicBaseURL: String
    /// The languages with a file in `Localization/`, in the switcher's order.
    let languages: [LanguageLink]

    init(_ options: Options) async throws {
        views = try await MustacheLibrary(directory: options.root + "/Templates")
        for name in ["layout", ListingsPage.template, ListingDetailPage.template, SearchPage.template]
        where views.getTemplate(named: name) == nil {
            throw PeerError("template \(name) is missing")
        }
        strings = try Strings(path: options.root + "/Localization/de.json")
        dates = DateText(strings: strings, timeZone: options.timeZone)
        let settingsData = try Data(contentsOf: URL(fileURLWithPath: options.root + "/Config/\(options.region).json"))
        settings = try JSONDecoder().decode(Settings.self, from: settingsData)
        // AppDatabase would create a missing file; the peer only reads a database the main server made.
        guard FileManager.default.fileExists(atPath: options.databasePath) else {
            throw PeerError("database \(options.databasePath) does not exist (boerse migrate / seed make it)")
        }
        let database = try AppDatabase(path: options.databasePath)
        catalog = try Catalog.load(database: database, regionFile: options.root + "/Regions/\(options.region).csv")
        listings = ListingStore(database: database)
        publicBaseURL = options.publicBaseURL
        languages = Self.allLanguages.filter {
            FileManager.default.fileExists(atPath: options.root + "/Localization/\($0.code).json")
        }
    }

    /// Renders `page` inside the layout, with the layout's values added as the main server adds them.
    func render(_ page: RenderedPage, request: Request, status: HTTPResponse.Status = .ok) -> HTML {
        var context = page.values
        addLayout(to: &context, page: page)
        addLanguageLinks(to: &context, request: request)
        context["account"] = ["loginHref": "/anmelden", "registerHref": "/registrieren"]
        context = TemplateValues.normalized(context)
        context["t"] = strings.templateStrings
        return HTML(views.render(context, withTemplate: page.template) ?? "", status: status)
    }

    /// The main navigation as our `NavigationItem` has it (Sources/Web/Views/Layout.swift).
    private static let navigation = [
        ("/ehrenamt", "nav.volunteer_needs"), ("/mithelfen", "nav.volunteer_offers"), ("/spenden", "nav.donations"),
        ("/veranstaltungen", "nav.events"), ("/organisationen", "nav.organisations"),
        ("/gemeinden", "nav.municipalities"), ("/suche", "nav.search"),
    ]

    private static let footer = [
        ("/impressum", "footer.imprint"), ("/datenschutz", "footer.privacy"),
        ("/barrierefreiheit", "footer.accessibility"), ("/leichte-sprache", "easy.footer_link"),
    ]

    private func addLayout(to context: inout [String: Any], page: RenderedPage) {
        let placeholders = ["county": settings.countyName, "in_county": settings.countyLocative]
        let siteName = strings.format("site.name", placeholders)
        context["lang"] = strings.language
        context["userContentLang"] = false
        context["siteName"] = siteName
        context["countyName"] = settings.countyName
        context["documentTitle"] = page.title.isEmpty ? siteName : page.title + " – " + siteName
        context["metaDescription"] = page.description ?? strings.format("site.description", placeholders)
        context["homeHref"] = "/"
        context["stylesheetHref"] = Paths.staticFile("css/site.css")
        let logo = settings.theme?.logo ?? "img/logo.svg"
        context["logoHref"] = Paths.staticFile(logo)
        context["logoType"] =
            logo.hasSuffix(".svg") ? "image/svg+xml" : logo.hasSuffix(".png") ? "image/png" : "image/jpeg"
        let themed = settings.theme?.primaryColor != nil || settings.theme?.primaryDarkColor != nil
        context["themeHref"] = themed ? "/theme.css" : ""
        context["navigation"] = Self.navigation.map { href, key in
            ["href": href, "label": strings[key], "current": href == page.navigation] as [String: Any]
        }
        context["footerLinks"] = Self.footer.map { href, key in ["href": href, "label": strings[key]] }
    }

    /// The language switcher and `hreflang` alternates: this page in every language.
    private func addLanguageLinks(to context: inout [String: Any], request: Request) {
        let rest = request.uri.path
        let query = request.uri.query.map { $0.isEmpty ? "" : "?" + $0 } ?? ""
        func href(_ language: LanguageLink) -> String {
            (language.code == "de" ? rest : language.pathPrefix + (rest == "/" ? "/" : rest)) + query
        }
        context["languageLinks"] = languages.map { language in
            [
                "code": language.code, "name": language.nativeName, "href": href(language),
                "current": language.code == "de", "dir": language.isRightToLeft ? "rtl" : "ltr",
            ] as [String: Any]
        }
        context["alternates"] = languages.map { ["code": $0.code, "href": publicBaseURL + href($0)] }
        context["defaultAlternate"] = publicBaseURL + href(languages[0])
        context["pageAddress"] = publicBaseURL + href(languages[0])
        context["hasLanguageChoice"] = languages.count > 1
    }
}

/// A page ready for the layout: its template (below `Templates/`, without `.mustache`), title and values.
struct RenderedPage {
    var template: String
    var title: String
    var values: [String: Any]
    /// The main navigation entry to mark as current.
    var navigation: String?
    /// `<meta name="description">`; the site's description when nil.
    var description: String?
}

/// An HTML page as the response: a `ByteBuffer` body, UTF-8, not stored by shared caches without asking.
struct HTML: ResponseGenerator {
    let text: String
    let status: HTTPResponse.Status

    init(_ text: String, status: HTTPResponse.Status = .ok) {
        self.text = text
        self.status = status
    }

    func response(from request: Request, context: some RequestContext) -> Response {
        Response(
            status: status,
            headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-cache"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }
}
