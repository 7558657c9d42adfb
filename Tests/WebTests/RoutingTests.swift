import Testing

@testable import Web

@Suite("Routes")
struct RoutingTests {
    @Test("every route parses back from the path it builds")
    func roundTrip() {
        let routes: [SiteRoute] = [
            .home, .listings(.volunteerNeeds), .listings(.volunteerOffers), .listings(.donations),
            .listing(.volunteerNeeds, id: 12), .listing(.donations, id: 7), .events, .event(id: 3), .organisations,
            .organisation(id: 9), .municipalities, .municipality(slug: "horn-bad-meinberg"), .imprint, .privacy,
            .accessibility,
        ]
        for route in routes {
            #expect(SiteRoute.parse(route.path[...]) == route, "\(route.path)")
        }
    }

    @Test("a trailing slash is tolerated")
    func trailingSlash() {
        #expect(SiteRoute.parse("/ehrenamt/") == .listings(.volunteerNeeds))
        #expect(SiteRoute.parse("/ehrenamt/5/") == .listing(.volunteerNeeds, id: 5))
    }

    @Test("ids must be plain positive numbers that fit")
    func badIDs() {
        for path in [
            "/ehrenamt/0", "/ehrenamt/-1", "/ehrenamt/+1", "/ehrenamt/01", "/ehrenamt/1a", "/ehrenamt/abc",
            "/ehrenamt/9999999999999999999999", "/veranstaltungen/1.5", "/organisationen/%31",
        ] {
            #expect(SiteRoute.parse(path[...]) == nil, "\(path)")
        }
    }

    @Test("unknown paths and deeper paths have no route")
    func unknownPaths() {
        for path in ["/nichts", "/ehrenamt/1/2", "//", "/gemeinden/Detmold", "/gemeinden/a%20b", "/Ehrenamt"] {
            #expect(SiteRoute.parse(path[...]) == nil, "\(path)")
        }
    }

    @Test("static files keep their relative path")
    func staticFiles() {
        #expect(SiteRoute.parse("/static/css/site.css") == .staticFile(path: "css/site.css"))
    }
}

@Suite("Query strings")
struct QueryStringTests {
    @Test("decodes repeated parameters, plus signs and percent escapes")
    func decodes() throws {
        let query = try QueryString("gemeinde=lemgo&gemeinde=detmold&q=Hilfe+f%C3%BCr+alle&leer=&nur")
        #expect(query.all("gemeinde") == ["lemgo", "detmold"])
        #expect(query.first("q") == "Hilfe für alle")
        #expect(query.first("leer") == "")
        #expect(query.first("nur") == "")
        #expect(query.all("leer").isEmpty)
    }

    @Test("duplicates are listed once")
    func deduplicates() throws {
        #expect(try QueryString("thema=sport&thema=sport").all("thema") == ["sport"])
    }

    @Test("invalid escapes and invalid UTF-8 are refused")
    func refusesHostileInput() {
        #expect(throws: QueryString.DecodingError.invalidEscape) { try QueryString("a=%ZZ") }
        #expect(throws: QueryString.DecodingError.invalidEscape) { try QueryString("a=%4") }
        #expect(throws: QueryString.DecodingError.invalidUTF8) { try QueryString("a=%C3%28") }
        #expect(throws: QueryString.DecodingError.invalidUTF8) { try QueryString("a=%C0%AF") }
    }

    @Test("the number of parameters is bounded")
    func boundsParameterCount() {
        let many = (0...QueryString.maximumParameterCount).map { "p\($0)=1" }.joined(separator: "&")
        #expect(throws: QueryString.DecodingError.tooManyParameters) { try QueryString(many[...]) }
    }

    @Test("links encode what the decoder reads back")
    func builderRoundTrip() throws {
        var builder = QueryBuilder()
        builder.add("q", "Möbel & mehr = gut?")
        builder.add("gemeinde", ["bad-salzuflen", "lage"])
        let text = builder.string
        #expect(text.hasPrefix("?"))
        let parsed = try QueryString(text.dropFirst())
        #expect(parsed.first("q") == "Möbel & mehr = gut?")
        #expect(parsed.all("gemeinde") == ["bad-salzuflen", "lage"])
    }
}

@Suite("HTML escaping")
struct HTMLEscaperTests {
    @Test("escapes the five HTML-significant characters and nothing else")
    func escapes() {
        #expect(
            HTMLEscaper.escape("<a href=\"x\">Tom & Jerry's</a>")
                == "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;")
        #expect(HTMLEscaper.escape("Schöne Grüße – ok") == "Schöne Grüße – ok")
        #expect(HTMLEscaper.escape("") == "")
    }
}
