import Foundation
import StorageTestSupport
import Testing

@testable import Web

@Suite("PasswordPolicy")
struct PasswordPolicyTests {
    static let listPath = TestDatabase.projectRoot + "/Data/common-passwords.txt"
    let policy: PasswordPolicy

    init() throws {
        policy = try PasswordPolicy(commonPasswordsFile: Self.listPath)
    }

    private func check(_ password: String, email: String = "erika@example.de", name: String = "Erika")
        -> PasswordProblem?
    {
        policy.problem(with: password, email: email, name: name)
    }

    @Test("nine characters are too short, ten are enough")
    func minimumLength() {
        #expect(check("Gk7#pQ2vW") == .tooShort)
        #expect(check("Gk7#pQ2vWx") == nil)
        #expect(check("") == .tooShort)
    }

    @Test("length counts characters, not bytes")
    func lengthCountsCharacters() {
        // Ten characters, but more than ten bytes: umlauts and a flag made of two code points.
        #expect(check("äöüßÄÖÜ🇩🇪xy") == nil)
        #expect(check("äöüßÄÖÜ🇩🇪x") == .tooShort)
    }

    @Test("more than 256 characters are too long")
    func maximumLength() {
        let limit = String(repeating: "Wald und Wiese ", count: 20).prefix(256)
        #expect(check(String(limit)) == nil)
        #expect(check(String(limit) + "x") == .tooLong)
        // One visible character stacked with hundreds of combining marks is bounded by bytes too.
        #expect(check("abcdefghij" + String(repeating: "\u{0301}", count: 600)) == .tooLong)
    }

    @Test("passwords from the list are common, in any case and with digits or punctuation appended")
    func commonPasswords() {
        for password in [
            "passwort123", "Passwort2024!", "hallo12345", "qwertzuiop", "QWERTZUIOP", "Password123", "password1!!",
            "1234567890", "schatzi1234", "ichliebedich", "Fussball2000", "Ehrenamt2025",
        ] {
            #expect(check(password) == .common, "\(password)")
        }
        #expect(policy.isCommon("Password1"))
        #expect(policy.isCommon("passwort"))
    }

    @Test("uncommon passwords pass, including ones that merely contain a common word")
    func uncommonPasswords() {
        for password in [
            "Zwetschgenkuchen mit Sahne", "Gk7#pQ2vWx", "passwort-vergessen-nie-wieder", "9hallo0Welt8",
            "8274619305", "korrekt Pferd Batterie Heftklammer",
        ] {
            #expect(check(password) == nil, "\(password)")
        }
    }

    @Test("a long random passphrase is fine")
    func randomPassphrase() {
        #expect(check(SecureRandom.token()) == nil)
    }

    @Test("the e-mail's local part or the name in the password is personal data")
    func personalData() {
        let email = "max.mustermann@example.de"
        let name = "Max Mustermann"
        #expect(check("xx-max.mustermann-yy", email: email, name: name) == .containsPersonalData)
        #expect(check("Grüße von MUSTERMANN", email: email, name: name) == .containsPersonalData)
        #expect(check("Zitronenbaum Teilzeitkraft", email: "zitrone@example.de", name: "A") == .containsPersonalData)
        #expect(check("Abendrot über Detmolder Wiesen", email: "e@example.de", name: "Wiesen") == .containsPersonalData)
        // Parts shorter than four characters are not looked for: "max" is in too many words.
        #expect(check("maximale Sicherheit 42", email: email, name: name) == nil)
        #expect(check("Abendrot über Detmolder Wiesen", email: email, name: name) == nil)
    }

    @Test("each problem has a German message with the limits filled in")
    func messages() throws {
        let strings = try Localization(language: "de", path: TestDatabase.projectRoot + "/Localization/de.json")
        try strings.require(PasswordProblem.allCases.map(\.messageKey) + [PasswordPolicy.hintKey])
        #expect(PasswordProblem.tooShort.message(strings).contains("10 Zeichen"))
        #expect(PasswordProblem.tooLong.message(strings).contains("256 Zeichen"))
        for problem in PasswordProblem.allCases {
            #expect(!problem.message(strings).contains("{"), "\(problem)")
        }
    }

    @Test("the shipped list has at least 10,000 distinct lowercased entries without spaces")
    func listFile() throws {
        let text = try String(contentsOfFile: Self.listPath, encoding: .utf8)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        #expect(text.hasSuffix("\n"))
        #expect(lines.count >= 10_000)
        #expect(Set(lines).count == lines.count)
        let bad = lines.filter { line in
            line.isEmpty || line != line.lowercased() || line.contains { $0.isWhitespace || $0.isNewline }
        }
        #expect(bad.isEmpty, "\(bad.prefix(10))")
        #expect(lines.prefix(3) == ["123456", "password", "12345678"])
    }

    @Test("a missing list stops the start")
    func missingList() {
        #expect(throws: PasswordPolicy.LoadError.self) {
            try PasswordPolicy(commonPasswordsFile: TestDatabase.projectRoot + "/Data/no-such-file.txt")
        }
    }
}
