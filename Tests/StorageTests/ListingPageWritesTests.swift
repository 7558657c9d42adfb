import Foundation
import GRDB
import StorageTestSupport
import Testing

@testable import Storage

/// Kept listing pages trust this counter: it must move with every committed write that can change such
/// a page, trigger-made ones included, and only then.
@Suite struct ListingPageWritesTests {
    let database: AppDatabase

    init() throws {
        database = try TestDatabase.makeSeeded()
    }

    var writes: Int64 { database.listingPageWrites.value }

    @Test func writesToListingTables_moveTheCounter_othersDoNot() throws {
        let start = writes
        try database.write { db in
            try db.execute(sql: "UPDATE listings SET title = title || '!' WHERE id = (SELECT MIN(id) FROM listings)")
        }
        #expect(writes == start + 1)
        try database.write { db in
            try db.execute(
                sql: "UPDATE organisations SET name = name || ' e. V.' WHERE id = (SELECT MIN(id) FROM organisations)")
            try db.execute(sql: "UPDATE topics SET name = name WHERE id = (SELECT MIN(id) FROM topics)")
        }
        #expect(writes == start + 2, "one transaction, one step")
        try database.write { db in
            try db.execute(sql: "DELETE FROM sessions")
            try db.execute(sql: "UPDATE data_versions SET version = version")
        }
        #expect(writes == start + 2)
    }

    @Test func aRolledBackWrite_doesNotMoveTheCounter() throws {
        let start = writes
        struct Abort: Error {}
        #expect(throws: Abort.self) {
            try database.write { db in
                try db.execute(sql: "DELETE FROM listing_items")
                throw Abort()
            }
        }
        #expect(writes == start)
    }
}
