import GRDB
import Testing
import WebTestSupport

@Suite struct LittleGermanFilterTests {
    @Test func littleGermanFilter_keepsOnlyListingsNeedingNoOrBasicGerman() throws {
        let app = try TestApp.make(seeded: true)
        let (all, little) = try app.database.pool.read { db in
            (
                try Int.fetchOne(
                    db, sql: "SELECT COUNT(*) FROM listings WHERE kind = 'volunteer_need' AND state = 'published'")
                    ?? 0,
                try Int.fetchOne(
                    db,
                    sql: """
                        SELECT COUNT(*) FROM listings WHERE kind = 'volunteer_need' AND state = 'published'
                        AND german_level IN ('any', 'basic')
                        """) ?? 0
            )
        }
        #expect(little > 0 && little < all, "the demo data has both")
        let filtered = app.get("/ehrenamt?deutsch=wenig")
        #expect(filtered.status == 200)
        #expect(filtered.body.contains("id=\"deutsch-wenig\" name=\"deutsch\" value=\"wenig\" checked"))
        #expect(filtered.body.contains("Filter „Wenig Deutsch nötig“ entfernen"))
        let unfiltered = app.get("/ehrenamt")
        #expect(!unfiltered.body.contains("value=\"wenig\" checked"))
        // Demo listings are current (the test clock is the seed's), so the counts are the published ones.
        #expect(filtered.body.contains("\(little) Einträge gefunden"))
        #expect(unfiltered.body.contains("\(all) Einträge gefunden"))
        #expect(app.get("/ehrenamt?deutsch=wenig&seite=2").links.contains { $0.contains("deutsch=wenig") })
        #expect(!app.get("/veranstaltungen").body.contains("deutsch-wenig"), "events have no German level")
    }
}
