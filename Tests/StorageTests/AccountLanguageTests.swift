import Foundation
import GRDB
import Storage
import StorageTestSupport
import Testing

/// `users.language` (migration 0005): the language mail to an account is written in.
@Suite("Account language")
struct AccountLanguageTests {
    let database: AppDatabase
    let users: UserStore
    let now = TestClock.now

    init() throws {
        database = try TestDatabase.makeMigrated()
        users = UserStore(database: database)
    }

    func create(_ email: String, language: String? = nil) throws -> Int64 {
        guard let language else {
            return try users.create(
                email: email, displayName: "Erika", role: .resident, passwordHash: "x", consentedAt: nil, now: now)
        }
        return try users.create(
            email: email, displayName: "Erika", role: .resident, passwordHash: "x", consentedAt: nil, now: now,
            language: language)
    }

    @Test("an account is German unless it is made with a language")
    func defaultIsGerman() throws {
        let german = try create("erika@example.org")
        let english = try create("jo@example.org", language: "en")
        #expect(try users.account(id: german)?.language == "de")
        #expect(try users.account(id: english)?.language == "en")
        #expect(Account.defaultLanguage == "de")
    }

    @Test("registration stores the language of the registration page")
    func registrationStoresTheLanguage() throws {
        let id = try RegistrationStore(database: database).registerPerson(
            NewAccount(
                email: "leyla@example.org", displayName: "Leyla", passwordHash: "x", confirmTokenHash: Data("t".utf8),
                confirmValidity: 3600, language: "ar"),
            now: now)
        #expect(try users.account(id: id)?.language == "ar")
        #expect(try users.account(email: "leyla@example.org")?.language == "ar")
    }

    @Test("setLanguage replaces the stored language")
    func setLanguageReplaces() throws {
        let id = try create("erika@example.org")
        try users.setLanguage("tr", userID: id)
        #expect(try users.account(id: id)?.language == "tr")
    }

    @Test(
        "the column takes only a code of 2 to 8 lowercase letters",
        arguments: ["", "d", "DE", "de-DE", "d3", "abcdefghi"])
    func columnRefusesWhatIsNoCode(_ code: String) throws {
        let id = try create("erika@example.org")
        #expect(throws: DatabaseError.self) { try users.setLanguage(code, userID: id) }
        #expect(throws: DatabaseError.self) { try create("other@example.org", language: code) }
        #expect(try users.account(id: id)?.language == "de")
        #expect(try users.account(email: "other@example.org") == nil)
    }

    @Test("the migration makes accounts that existed before it German")
    func migrationGivesExistingAccountsGerman() throws {
        let database = try AppDatabase(path: TestDatabase.temporaryPath())
        let all = try Migrator(directory: TestDatabase.projectRoot + "/Migrations")
        try Migrator(migrations: all.migrations.filter { $0.version < 5 }).migrate(database)
        try database.write { db in
            try db.execute(
                sql: "INSERT INTO users (email, display_name, created_at) VALUES (?, ?, ?)",
                arguments: ["alt@example.org", "Alt", 0])
        }
        #expect(try all.migrate(database).contains(5))
        #expect(try UserStore(database: database).account(email: "alt@example.org")?.language == "de")
    }
}
