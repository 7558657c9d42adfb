import Testing
import WebTestSupport

@testable import Web

@Suite struct ThemeTests {
    @Test func coloursWithTooLittleContrast_orNoColour_stopTheStart() {
        #expect(throws: Theme.ThemeError.self) {
            try Theme(primaryColor: "#ffd43b", primaryDarkColor: nil, logo: nil).validate()
        }
        #expect(throws: Theme.ThemeError.self) {
            try Theme(primaryColor: "red", primaryDarkColor: nil, logo: nil).validate()
        }
        #expect(throws: Theme.ThemeError.self) {
            try Theme(primaryColor: nil, primaryDarkColor: nil, logo: "../x.svg").validate()
        }
        #expect(throws: Never.self) {
            try Theme(primaryColor: "#0b5c99", primaryDarkColor: "#073b63", logo: nil).validate()
        }
    }

    @Test func aCountysColours_reachThePageAsItsOwnStylesheet() throws {
        let hoexter = try TestApp.make(seeded: false, region: "hoexter")
        let page = hoexter.get("/")
        #expect(page.body.contains("<link rel=\"stylesheet\" href=\"/theme.css\">"))
        let css = hoexter.get("/theme.css")
        #expect(css.status == 200)
        #expect(css.headerFields[.contentType] == "text/css; charset=utf-8")
        #expect(css.body.contains("--color-primary: #8a1c2b;"))
        let lippe = try TestApp.make(seeded: false)
        #expect(!lippe.get("/").body.contains("/theme.css"), "the standard colours need no extra file")
        #expect(lippe.get("/en/theme.css").status == 404)
    }
}
