import Foundation
import GRDB
import Storage
import StorageTestSupport
import Testing

@Suite("User store")
struct UserStoreTests {
    let database: AppDatabase
    let users: UserStore
    let tokens: EmailTokenStore
    let now = TestClock.now

    init() throws {
        database = try TestDatabase.makeMigrated()
        users = UserStore(database: database)
        tokens = EmailTokenStore(database: database)
    }

    func hash(_ text: String) -> Data { Data(text.utf8) }

    func newAccount(_ email: String = "erika@example.org", token: String = "confirm") -> NewAccount {
        NewAccount(
            email: email, displayName: "Erika", passwordHash: "$argon2id$test", confirmTokenHash: hash(token),
            confirmValidity: 7 * 24 * 3600)
    }

    func count(_ sql: String) throws -> Int {
        try database.read { db in try Int.fetchOne(db, sql: sql) ?? 0 }
    }

    func addSession(userID: Int64, _ name: String) throws {
        try SessionStore(database: database).create(
            tokenHash: hash(name), userID: userID, csrfToken: "c", now: now, expiresAt: now.addingTimeInterval(3600))
    }

    @Test("an address is taken whatever its case, and a second registration writes nothing")
    func emailTakenIgnoringCase() throws {
        let registration = RegistrationStore(database: database)
        try registration.registerPerson(newAccount(), now: now)
        #expect(try users.exists(email: "ERIKA@example.org"))
        #expect(throws: UserStore.CreateError.emailTaken) {
            try registration.registerPerson(newAccount("Erika@Example.org", token: "other"), now: now)
        }
        #expect(try count("SELECT COUNT(*) FROM users") == 1)
        #expect(try count("SELECT COUNT(*) FROM email_tokens") == 1)
    }

    @Test("a confirmation link confirms once; then it is used")
    func confirmOnce() throws {
        let id = try RegistrationStore(database: database).registerPerson(newAccount(), now: now)
        #expect(try users.confirmAccount(tokenHash: hash("confirm"), now: now) == .done(id))
        #expect(try users.account(id: id)?.isConfirmed == true)
        #expect(try users.confirmAccount(tokenHash: hash("confirm"), now: now) == .used)
        #expect(try users.confirmAccount(tokenHash: hash("unknown"), now: now) == .unknown)
    }

    @Test("a link is usable until just before its end")
    func linkExpiry() throws {
        let id = try users.create(
            email: "erika@example.org", displayName: "Erika", role: .resident, passwordHash: "h", consentedAt: now,
            now: now)
        try tokens.create(
            tokenHash: hash("r"), purpose: .resetPassword, userID: id, email: "erika@example.org", now: now,
            validity: 3600)
        #expect(
            try tokens.state(tokenHash: hash("r"), purpose: .resetPassword, now: now.addingTimeInterval(3599))
                != .expired)
        #expect(
            try tokens.state(tokenHash: hash("r"), purpose: .resetPassword, now: now.addingTimeInterval(3600))
                == .expired)
        #expect(
            try tokens.state(tokenHash: hash("r"), purpose: .confirmAccount, now: now) == .unknown, "purpose matters")
        #expect(
            try users.resetPassword(tokenHash: hash("r"), passwordHash: "new", now: now.addingTimeInterval(3600))
                == .expired)
        #expect(try users.account(id: id)?.passwordHash == "h")
    }

    @Test("a reset sets the hash, ends every session and removes other reset links")
    func resetEndsSessions() throws {
        let id = try users.create(
            email: "erika@example.org", displayName: "Erika", role: .resident, passwordHash: "old", consentedAt: now,
            now: now, confirmedAt: now)
        try addSession(userID: id, "one")
        try addSession(userID: id, "two")
        try tokens.create(
            tokenHash: hash("a"), purpose: .resetPassword, userID: id, email: "erika@example.org", now: now,
            validity: 3600)
        try tokens.create(
            tokenHash: hash("b"), purpose: .resetPassword, userID: id, email: "erika@example.org", now: now,
            validity: 3600)
        #expect(try users.resetPassword(tokenHash: hash("a"), passwordHash: "new", now: now) == .done(id))
        #expect(try users.account(id: id)?.passwordHash == "new")
        #expect(try count("SELECT COUNT(*) FROM sessions") == 0)
        #expect(try count("SELECT COUNT(*) FROM email_tokens WHERE used_at IS NULL") == 0)
        #expect(try users.resetPassword(tokenHash: hash("b"), passwordHash: "again", now: now) == .unknown)
        #expect(try users.resetPassword(tokenHash: hash("a"), passwordHash: "again", now: now) == .used)
        #expect(try users.account(id: id)?.passwordHash == "new")
    }

    @Test("an address change waits for the link, refuses a taken address, and keeps one pending link")
    func emailChange() throws {
        let id = try users.create(
            email: "erika@example.org", displayName: "Erika", role: .resident, passwordHash: "h", consentedAt: now,
            now: now, confirmedAt: now)
        try users.create(
            email: "bea@example.org", displayName: "Bea", role: .resident, passwordHash: "h", consentedAt: now, now: now
        )
        #expect(
            try !users.requestEmailChange(
                userID: id, newEmail: "BEA@example.org", tokenHash: hash("x"), now: now, validity: 86400))
        #expect(
            try users.requestEmailChange(
                userID: id, newEmail: "alt@example.org", tokenHash: hash("c1"), now: now, validity: 86400))
        #expect(
            try users.requestEmailChange(
                userID: id, newEmail: "neu@example.org", tokenHash: hash("c2"), now: now, validity: 86400))
        #expect(try count("SELECT COUNT(*) FROM email_tokens") == 1)
        #expect(try users.account(id: id)?.email == "erika@example.org")
        let change = try users.confirmEmailChange(tokenHash: hash("c2"), now: now)
        #expect(
            change
                == .done(
                    EmailChange(
                        userID: id, displayName: "Erika", oldEmail: "erika@example.org", newEmail: "neu@example.org")))
        #expect(try users.account(id: id)?.email == "neu@example.org")
        #expect(try users.confirmEmailChange(tokenHash: hash("c2"), now: now) == .used)
    }

    @Test("a change link whose address was taken meanwhile changes nothing and stays unused")
    func emailChangeRace() throws {
        let id = try users.create(
            email: "erika@example.org", displayName: "Erika", role: .resident, passwordHash: "h", consentedAt: now,
            now: now)
        #expect(
            try users.requestEmailChange(
                userID: id, newEmail: "neu@example.org", tokenHash: hash("c"), now: now, validity: 86400))
        try users.create(
            email: "neu@example.org", displayName: "Neu", role: .resident, passwordHash: "h", consentedAt: now, now: now
        )
        #expect(try users.confirmEmailChange(tokenHash: hash("c"), now: now) == .addressTaken)
        #expect(try users.account(id: id)?.email == "erika@example.org")
        #expect(try count("SELECT COUNT(*) FROM email_tokens WHERE used_at IS NULL") == 1)
    }

    @Test("a password change ends every session and removes reset links")
    func changePassword() throws {
        let id = try users.create(
            email: "erika@example.org", displayName: "Erika", role: .resident, passwordHash: "h", consentedAt: now,
            now: now)
        try addSession(userID: id, "s")
        try tokens.create(
            tokenHash: hash("r"), purpose: .resetPassword, userID: id, email: "erika@example.org", now: now,
            validity: 3600)
        try users.changePassword(userID: id, passwordHash: "new", now: now)
        #expect(try users.account(id: id)?.passwordHash == "new")
        #expect(try count("SELECT COUNT(*) FROM sessions") == 0)
        #expect(try count("SELECT COUNT(*) FROM email_tokens") == 0)
    }

    @Test("organisation registration writes everything in one transaction, or nothing")
    func organisationRegistration() throws {
        let municipality = try #require(
            try database.read { db in try Int64.fetchOne(db, sql: "SELECT id FROM municipalities LIMIT 1") })
        let topics = try database.read { db in
            try Int64.fetchAll(db, sql: "SELECT id FROM topics WHERE kind = 'volunteering' LIMIT 2")
        }
        let organisation = NewOrganisation(
            name: "Tafel", legalForm: .association, municipalityID: municipality, street: "Weg 1", postalCode: "32657",
            city: "Lemgo", contactName: "Petra", phone: "", website: "", description: "Hilfe",
            topicIDs: topics + topics,
            logoImage: nil)
        let registration = RegistrationStore(database: database)
        let (userID, organisationID) = try registration.registerOrganisation(
            organisation, account: newAccount(), now: now)
        #expect(try count("SELECT COUNT(*) FROM organisation_topics") == 2)
        let admins = try database.read { db in
            try Int.fetchOne(
                db,
                sql:
                    "SELECT COUNT(*) FROM organisation_members WHERE user_id = ? AND organisation_id = ? AND role = 'admin'",
                arguments: [userID, organisationID])
        }
        #expect(admins == 1)
        #expect(try count("SELECT COUNT(*) FROM organisation_members") == 1)
        #expect(throws: UserStore.CreateError.emailTaken) {
            try registration.registerOrganisation(organisation, account: newAccount(token: "t2"), now: now)
        }
        var broken = organisation
        broken.topicIDs = [999_999]
        #expect(throws: (any Error).self) {
            try registration.registerOrganisation(
                broken, account: newAccount("zwei@example.org", token: "t3"), now: now)
        }
        #expect(try count("SELECT COUNT(*) FROM users") == 1, "the failed registration left no account")
        #expect(try count("SELECT COUNT(*) FROM organisations") == 1)
    }

    @Test("unconfirmed accounts older than the limit go with their pending organisations; confirmed ones stay")
    func purge() throws {
        let municipality = try #require(
            try database.read { db in try Int64.fetchOne(db, sql: "SELECT id FROM municipalities LIMIT 1") })
        let organisation = NewOrganisation(
            name: "Tafel", legalForm: .association, municipalityID: municipality, street: "Weg 1", postalCode: "32657",
            city: "Lemgo", contactName: "Petra", phone: "", website: "", description: "Hilfe", topicIDs: [],
            logoImage: "0123456789abcdef0123456789abcdef.png")
        try database.write { db in
            try db.execute(
                sql: "INSERT INTO images (name, content_type, byte_size, created_at) VALUES (?, 'image/png', 10, ?)",
                arguments: ["0123456789abcdef0123456789abcdef.png", 0])
        }
        let registration = RegistrationStore(database: database)
        try registration.registerOrganisation(organisation, account: newAccount(), now: now)
        let kept = try registration.registerPerson(newAccount("bleibt@example.org", token: "k"), now: now)
        _ = try users.confirmAccount(tokenHash: hash("k"), now: now)
        let week: TimeInterval = 7 * 24 * 3600
        #expect(try users.purgeUnconfirmedAccounts(olderThan: week, now: now.addingTimeInterval(week)).accounts == 0)
        let report = try users.purgeUnconfirmedAccounts(olderThan: week, now: now.addingTimeInterval(week + 1))
        #expect(report == .init(accounts: 1, organisations: 1, imageNames: ["0123456789abcdef0123456789abcdef.png"]))
        #expect(try count("SELECT COUNT(*) FROM images") == 0)
        #expect(try users.account(id: kept) != nil)
        #expect(try count("SELECT COUNT(*) FROM organisations") == 0)
    }
}
