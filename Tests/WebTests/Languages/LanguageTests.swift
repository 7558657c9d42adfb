import Testing

@testable import Web

@Suite struct LanguageTests {
    @Test(arguments: [
        ("/en/ehrenamt", Language.en, "/ehrenamt"), ("/en", .en, "/"), ("/en/", .en, "/"),
        ("/ehrenamt", .de, "/ehrenamt"),
        ("/", .de, "/"), ("/de/ehrenamt", .de, "/de/ehrenamt"), ("/eng/x", .de, "/eng/x"),
        ("/ar/spenden/7", .ar, "/spenden/7"),
        ("/xx/ehrenamt", .de, "/xx/ehrenamt"), ("/e", .de, "/e"), ("/tr", .tr, "/"), ("", .de, ""),
        ("/uk/ü", .uk, "/ü"), ("/ü/x", .de, "/ü/x"),
    ])
    func split_findsThePrefix(_ path: String, _ language: Language, _ rest: String) {
        let (found, remainder) = Language.split(path[...])
        #expect(found == language)
        #expect(remainder == rest[...])
    }

    @Test func acceptLanguage_picksTheBestSupportedOne() {
        let all = Language.allCases
        #expect(Language.preferred(acceptLanguage: "uk-UA,uk;q=0.9,de;q=0.5", among: all) == .uk)
        #expect(Language.preferred(acceptLanguage: "fr-FR, ar;q=0.8, en;q=0.7", among: all) == .ar)
        #expect(Language.preferred(acceptLanguage: "en;q=0, tr", among: all) == .tr)
        #expect(Language.preferred(acceptLanguage: "fr, it", among: all) == nil)
        #expect(Language.preferred(acceptLanguage: "en", among: [.de]) == nil, "only languages we have")
    }

    @Test func pluralCategories_followCLDR() {
        #expect([0, 1, 2, 5].map(Language.de.pluralCategory) == ["other", "one", "other", "other"])
        #expect(
            [1, 2, 5, 11, 21, 22, 25, 112, 102].map(Language.uk.pluralCategory)
                == ["one", "few", "many", "many", "one", "few", "many", "many", "few"])
        #expect(
            [0, 1, 2, 3, 10, 11, 99, 100, 102].map(Language.ar.pluralCategory)
                == ["zero", "one", "two", "few", "few", "many", "many", "other", "other"])
    }

    @Test func routePaths_carryTheCurrentLanguage() {
        #expect(SiteRoute.listings(.volunteerNeeds).path(in: .en) == "/en/ehrenamt")
        #expect(SiteRoute.home.path(in: .ar) == "/ar/")
        #expect(SiteRoute.home.path(in: .de) == "/")
        #expect(SiteRoute.staticFile(path: "css/site.css").path(in: .tr) == "/static/css/site.css")
        #expect(SiteRoute.listings(.volunteerNeeds).path == "/ehrenamt")
    }
}
