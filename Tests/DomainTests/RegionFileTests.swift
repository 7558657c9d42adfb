import Domain
import Testing

@Suite("Region file")
struct RegionFileTests {
    @Test("parses municipalities in file order")
    func parsesRows() throws {
        let rows = try RegionFile.parse(
            """
            slug,name,lat,lon,population_approx
            lemgo,Lemgo,52.028,8.902,41000
            doerentrup,Dörentrup,52.035,9.004,7800

            """)
        #expect(rows.map(\.slug) == ["lemgo", "doerentrup"])
        #expect(rows[1].name == "Dörentrup")
        #expect(rows[0].latitude == 52.028)
        #expect(rows[1].population == 7800)
    }

    @Test("refuses a file without header")
    func refusesMissingHeader() {
        #expect(throws: RegionFile.ParseError.missingHeader) {
            try RegionFile.parse("lemgo,Lemgo,52.0,8.9,41000")
        }
    }

    @Test("names the line of a malformed row")
    func refusesBadRow() {
        #expect(throws: RegionFile.ParseError.badRow(line: 3)) {
            try RegionFile.parse("slug,name,lat,lon,population_approx\na,A,1,2,3\nB C,B,1,2,3")
        }
        #expect(throws: RegionFile.ParseError.badRow(line: 2)) {
            try RegionFile.parse("slug,name,lat,lon,population_approx\nx,X,95,2,3")
        }
    }

    @Test("refuses duplicate slugs and empty files")
    func refusesDuplicatesAndEmpty() {
        #expect(throws: RegionFile.ParseError.duplicateSlug("a")) {
            try RegionFile.parse("slug,name,lat,lon,population_approx\na,A,1,2,3\na,B,1,2,3")
        }
        #expect(throws: RegionFile.ParseError.empty) {
            try RegionFile.parse("slug,name,lat,lon,population_approx\n")
        }
    }
}
