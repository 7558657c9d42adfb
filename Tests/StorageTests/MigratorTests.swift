import Foundation
import GRDB
import Storage
import StorageTestSupport
import Testing

@Suite("Migrations")
struct MigratorTests {
    let migrationsDirectory = TestDatabase.projectRoot + "/Migrations"

    @Test("migrating from zero creates every table and records each file")
    func migratesFromZero() throws {
        let database = try AppDatabase(path: TestDatabase.temporaryPath())
        let migrator = try Migrator(directory: migrationsDirectory)
        let applied = try migrator.migrate(database)
        #expect(applied == migrator.migrations.map(\.version))
        #expect(applied.first == 1)
        let tables = try database.read { db in
            try String.fetchSet(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'")
        }
        for table in ["municipalities", "topics", "organisations", "listings", "listing_topics", "events", "users"] {
            #expect(tables.contains(table), "missing table \(table)")
        }
        let versions = try database.read { db in
            try Int.fetchAll(db, sql: "SELECT version FROM schema_migrations ORDER BY version")
        }
        let checksums = try database.read { db in
            try String.fetchAll(db, sql: "SELECT checksum FROM schema_migrations ORDER BY version")
        }
        #expect(versions == applied)
        #expect(checksums == migrator.migrations.map(\.checksum))
    }

    @Test("running the migrations again changes nothing")
    func rerunIsNoOp() throws {
        let database = try AppDatabase(path: TestDatabase.temporaryPath())
        let migrator = try Migrator(directory: migrationsDirectory)
        try migrator.migrate(database)
        let topicsBefore = try database.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM topics") }
        let second = try migrator.migrate(database)
        #expect(second.isEmpty)
        #expect(try database.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM topics") } == topicsBefore)
    }

    @Test("an applied migration whose file changed stops the start with a clear message")
    func changedFileIsRefused() throws {
        let database = try AppDatabase(path: TestDatabase.temporaryPath())
        let original = try Migrator.migration(fileName: "0001_first.sql", sql: "CREATE TABLE a (x INTEGER);")
        try Migrator(migrations: [original]).migrate(database)

        let edited = try Migrator.migration(fileName: "0001_first.sql", sql: "CREATE TABLE a (x INTEGER, y TEXT);")
        let next = try Migrator.migration(fileName: "0002_second.sql", sql: "CREATE TABLE b (x INTEGER);")
        #expect(throws: Migrator.MigrationError.changedAfterApplied(version: 1, name: "first")) {
            try Migrator(migrations: [edited, next]).migrate(database)
        }
        // Nothing after the guard ran: the second migration was not applied.
        let hasB = try database.read { db in try db.tableExists("b") }
        #expect(!hasB)
        #expect(
            Migrator.MigrationError.changedAfterApplied(version: 1, name: "first").description.contains("changed"))
    }

    @Test("a failing migration is rolled back whole, bookkeeping included")
    func failingMigrationRollsBack() throws {
        let database = try AppDatabase(path: TestDatabase.temporaryPath())
        let good = try Migrator.migration(fileName: "0001_good.sql", sql: "CREATE TABLE a (x INTEGER);")
        let bad = try Migrator.migration(
            fileName: "0002_bad.sql", sql: "CREATE TABLE b (x INTEGER); INSERT INTO missing VALUES (1);")
        #expect(throws: Migrator.MigrationError.self) {
            try Migrator(migrations: [good, bad]).migrate(database)
        }
        let (hasA, hasB, versions) = try database.read { db in
            (
                try db.tableExists("a"), try db.tableExists("b"),
                try Int.fetchAll(db, sql: "SELECT version FROM schema_migrations")
            )
        }
        #expect(hasA)
        #expect(!hasB)
        #expect(versions == [1])
    }

    @Test("file names must be NNNN_name.sql and versions unique")
    func fileNamesAreChecked() throws {
        #expect(throws: Migrator.MigrationError.badFileName("1_initial.sql")) {
            try Migrator.migration(fileName: "1_initial.sql", sql: "")
        }
        #expect(throws: Migrator.MigrationError.badFileName("0001.sql")) {
            try Migrator.migration(fileName: "0001.sql", sql: "")
        }
        let a = try Migrator.migration(fileName: "0003_a.sql", sql: "")
        let b = try Migrator.migration(fileName: "0003_b.sql", sql: "")
        #expect(throws: Migrator.MigrationError.duplicateVersion(3)) { try Migrator(migrations: [a, b]) }
    }

    @Test("a recorded migration whose file is gone is refused")
    func missingFileIsRefused() throws {
        let database = try AppDatabase(path: TestDatabase.temporaryPath())
        let one = try Migrator.migration(fileName: "0001_one.sql", sql: "CREATE TABLE a (x INTEGER);")
        let two = try Migrator.migration(fileName: "0002_two.sql", sql: "CREATE TABLE b (x INTEGER);")
        try Migrator(migrations: [one, two]).migrate(database)
        #expect(throws: Migrator.MigrationError.appliedButMissing(version: 2, name: "two")) {
            try Migrator(migrations: [one]).migrate(database)
        }
    }

    @Test("the pool runs in WAL mode with foreign keys enforced")
    func poolSettings() throws {
        let database = try TestDatabase.makeMigrated()
        let (journalMode, foreignKeys) = try database.read { db in
            (try String.fetchOne(db, sql: "PRAGMA journal_mode"), try Int.fetchOne(db, sql: "PRAGMA foreign_keys"))
        }
        #expect(journalMode == "wal")
        #expect(foreignKeys == 1)
        #expect(throws: DatabaseError.self) {
            try database.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO listings (kind, title, municipality_id, state, created_at, updated_at)
                        VALUES ('volunteer_need', 'x', 9999, 'pending', 0, 0)
                        """)
            }
        }
    }

    @Test("the schema refuses states and kinds the domain does not know")
    func checkConstraints() throws {
        let database = try TestDatabase.makeMigrated()
        #expect(throws: DatabaseError.self) {
            try database.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO listings (kind, title, municipality_id, state, created_at, updated_at)
                        VALUES ('volunteer_need', 'x', (SELECT MIN(id) FROM municipalities), 'live', 0, 0)
                        """)
            }
        }
        #expect(throws: DatabaseError.self) {
            try database.write { db in
                // Published without a publication date.
                try db.execute(
                    sql: """
                        INSERT INTO listings (kind, title, municipality_id, state, created_at, updated_at)
                        VALUES ('volunteer_need', 'x', (SELECT MIN(id) FROM municipalities), 'published', 0, 0)
                        """)
            }
        }
    }
}

@Suite("Checksum")
struct ChecksumTests {
    @Test("SHA-256 matches the FIPS 180-4 test vectors")
    func knownVectors() {
        #expect(Checksum.sha256Hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(Checksum.sha256Hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(
            Checksum.sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(
            Checksum.sha256Hex(String(repeating: "a", count: 1000))
                == "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3")
    }
}

@Suite("Region loading")
struct RegionLoaderTests {
    @Test("loads all 16 municipalities of Lippe, and loading again keeps ids")
    func loadsLippe() throws {
        let database = try TestDatabase.makeMigrated()
        let idsBefore = try database.read { try Int64.fetchAll($0, sql: "SELECT id FROM municipalities ORDER BY slug") }
        #expect(idsBefore.count == 16)
        try RegionLoader.load(path: TestDatabase.projectRoot + "/Regions/lippe.csv", into: database)
        let idsAfter = try database.read { try Int64.fetchAll($0, sql: "SELECT id FROM municipalities ORDER BY slug") }
        #expect(idsAfter == idsBefore)
    }

    @Test("Höxter is a region of its own with 10 municipalities")
    func loadsHoexter() throws {
        let database = try TestDatabase.makeMigrated(region: "hoexter")
        let names = try database.read { try String.fetchAll($0, sql: "SELECT name FROM municipalities") }
        #expect(names.count == 10)
        #expect(names.contains("Höxter"))
    }
}
