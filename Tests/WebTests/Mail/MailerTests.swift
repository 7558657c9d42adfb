import Foundation
import Storage
import StorageTestSupport
import Testing
import WebTestSupport

@testable import Web

@Suite("Mailer and mail templates")
struct MailerTests {
    static let hostile = "<script>alert(\"x\")</script> & Söhne's"
    static let escaped = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Söhne&#39;s"

    let database: AppDatabase
    let strings: Localization
    let mailer: Mailer

    init() throws {
        database = try TestDatabase.makeMigrated()
        let root = TestDatabase.projectRoot
        strings = try Localization(language: "de", path: root + "/Localization/de.json")
        mailer = try Self.mailer(database, strings: try Self.allStrings())
    }

    /// The strings of every language, from `Localization/`.
    static func allStrings() throws -> [Language: Localization] {
        var all: [Language: Localization] = [:]
        for language in Language.allCases {
            all[language] = try Localization(
                language: language.rawValue,
                path: TestDatabase.projectRoot + "/Localization/\(language.rawValue).json")
        }
        return all
    }

    static func mailer(_ database: AppDatabase, strings: [Language: Localization]) throws -> Mailer {
        let root = TestDatabase.projectRoot
        let configuration = AppConfiguration(
            root: root, databasePath: database.pool.path, publicBaseURL: "https://ehrenamt.kreis-lippe.example",
            mail: MailSettings(fromAddress: "ehrenamt@kreis-lippe.example"))
        return try Mailer(
            configuration: configuration, database: database, strings: strings,
            site: try SiteSettings.load(path: root + "/Config/lippe.json"))
    }

    /// Values for every key the template needs: links are URLs, everything else the hostile text
    /// (with a second line for the multi-line ones).
    static func values(for template: MailTemplate) -> [String: String] {
        var values: [String: String] = [:]
        for key in template.valueKeys {
            switch key {
            case "link", "listingLink": values[key] = "https://ehrenamt.kreis-lippe.example/konto/bestaetigen?t=a&b=c"
            case "senderEmail", "newEmail": values[key] = "jo@example.org"
            case "message", "reason": values[key] = hostile + "\nZweite Zeile {link}"
            default: values[key] = hostile
            }
        }
        return values
    }

    @Test("every template renders with its values: escaped in HTML, verbatim in text", arguments: MailTemplate.allCases)
    func everyTemplateRenders(_ template: MailTemplate) throws {
        let message = try mailer.render(
            template, to: Mailbox(name: "Erika", address: "erika@example.org"), values: Self.values(for: template))
        #expect(message.purpose == template.name)
        #expect(!message.subject.isEmpty && !message.subject.contains("{"))
        for key in template.valueKeys {
            let value = Self.values(for: template)[key]!
            let firstLine = String(value.split(separator: "\n").first!)
            #expect(message.textBody.contains(firstLine), "\(key) missing in text")
            let escapedLine =
                firstLine == Self.hostile ? Self.escaped : firstLine.replacingOccurrences(of: "&", with: "&amp;")
            #expect(message.htmlBody.contains(escapedLine), "\(key) missing in HTML")
        }
        #expect(!message.htmlBody.contains("<script>"))
        #expect(message.textBody.contains("<script>") || !template.valueKeys.contains("name"))
        #expect(!message.textBody.contains("&lt;") && !message.textBody.contains("&amp;"))
        // Every placeholder was filled: no {key} left from the strings, only the one inside a value.
        #expect(!message.textBody.replacingOccurrences(of: "{link}", with: "").contains("{"))
        // Site name and the reason for the mail are in both parts.
        let why = Mailer.fill(strings["mail.\(template.name).why"], ["site": "Ehrenamts- und Spendenbörse Kreis Lippe"])
        #expect(message.textBody.contains("Ehrenamts- und Spendenbörse Kreis Lippe"))
        #expect(message.htmlBody.contains("Ehrenamts- und Spendenbörse Kreis Lippe"))
        #expect(!why.isEmpty)
        #expect(message.htmlBody.hasPrefix("<!DOCTYPE html>"))
        #expect(message.textBody.hasSuffix("\n") && !message.textBody.hasSuffix("\n\n"))
        #expect(!message.textBody.contains("\n\n\n"))
        #expect(message.autoSubmitted == (template != .contactMessage))
    }

    @Test("multi-line values keep their lines: quoted in text, <br> in HTML")
    func multiLineValues() throws {
        var values = Self.values(for: .contactMessage)
        values["message"] = "Hallo,\nich kann samstags helfen.\n\nViele Grüße"
        let message = try mailer.render(
            .contactMessage, to: Mailbox(name: "Erika", address: "erika@example.org"), values: values)
        #expect(message.textBody.contains("> Hallo,\n> ich kann samstags helfen.\n>\n> Viele Grüße\n"))
        #expect(message.htmlBody.contains(">Hallo,<br>ich kann samstags helfen.<br><br>Viele Grüße</blockquote>"))
    }

    @Test("send composes and enqueues one message with purpose, subject and text")
    func sendEnqueues() throws {
        let id = try mailer.send(
            .confirmAccount, to: Mailbox(name: "Erika Müller", address: "erika@example.org"),
            values: ["name": "Erika", "link": "https://ehrenamt.kreis-lippe.example/bestaetigen?t=abc"],
            now: TestClock.now)
        let stored = try #require(try OutboxStore(database: database).message(id: id))
        #expect(stored.recipient == "erika@example.org")
        #expect(stored.purpose == "confirm_account")
        #expect(stored.subject == strings["mail.confirm_account.subject"])
        #expect(stored.textBody.hasPrefix("Hallo Erika,\n"))
        #expect(stored.state == .pending)
        #expect(
            OutboxReader.links(in: stored) == [
                "https://ehrenamt.kreis-lippe.example/bestaetigen?t=abc", "https://ehrenamt.kreis-lippe.example",
            ])
        let mail = ParsedMail(stored.message)
        #expect(mail.header("Message-ID") == "<\(stored.messageID)>")
        #expect(stored.messageID.hasSuffix("@kreis-lippe.example"))
        #expect(mail.decodedHeader("From") == "Ehrenamts- und Spendenbörse Kreis Lippe <ehrenamt@kreis-lippe.example>")
        #expect(mail.decodedHeader("To") == "Erika Müller <erika@example.org>")
        #expect(mail.decodedHeader("Subject") == stored.subject)
        #expect(mail.decodedPart("plain") == stored.textBody)
        #expect(
            mail.decodedPart("html")?.contains("href=\"https://ehrenamt.kreis-lippe.example/bestaetigen?t=abc\"")
                == true)
        #expect(try OutboxReader.all(in: database).count == 1)
    }

    @Test("a contact message replies to the sender and is not marked auto-generated")
    func contactMessageReplyTo() throws {
        let id = try mailer.send(
            .contactMessage, to: Mailbox(name: "Tafel Lemgo", address: "tafel@example.org"),
            replyTo: Mailbox(name: "Jürgen", address: "juergen@example.org"),
            values: [
                "posterName": "Tafel Lemgo", "senderName": "Jürgen", "senderEmail": "juergen@example.org",
                "message": "Ich helfe gern.", "listingTitle": "Tafel Lemgo", "listingLink": "https://x.example/l/1",
            ], now: TestClock.now)
        let stored = try #require(try OutboxStore(database: database).message(id: id))
        #expect(stored.subject == "Anfrage zu „Tafel Lemgo“")
        let mail = ParsedMail(stored.message)
        #expect(mail.decodedHeader("Reply-To") == "Jürgen <juergen@example.org>")
        #expect(mail.header("Auto-Submitted") == nil)
        #expect(OutboxReader.header("Reply-To", in: stored) != nil)
    }

    @Test("a missing value is a caller bug and throws before anything is stored")
    func missingValueThrows() throws {
        #expect(throws: Mailer.SendError.missingValue(template: "reset_password", key: "validity")) {
            try mailer.send(
                .resetPassword, to: Mailbox(name: "", address: "erika@example.org"),
                values: ["name": "Erika", "link": "https://x.example"], now: TestClock.now)
        }
        #expect(try OutboxReader.all(in: database).isEmpty)
    }

    @Test("a line break in a value that reaches the subject throws and stores nothing")
    func injectionThroughSubjectValue() throws {
        #expect(throws: MIMEComposer.CompositionError.self) {
            try mailer.send(
                .listingPublished, to: Mailbox(name: "", address: "erika@example.org"),
                values: ["name": "Erika", "listingTitle": "Titel\r\nBcc: x@example.org", "link": "https://x.example"],
                now: TestClock.now)
        }
        #expect(try OutboxReader.all(in: database).isEmpty)
    }

    @Test("placeholders are filled in one pass: a value holding {…} stays as typed")
    func fillIsSinglePass() {
        #expect(Mailer.fill("Hallo {name}, {link}", ["name": "{link}", "link": "L"]) == "Hallo {link}, L")
        #expect(Mailer.fill("{unknown} {name", ["name": "x"]) == "{unknown} {name")
    }

    @Test("every {{m.…}} and {{c.…}} a mail template uses exists in de.json")
    func templateStringsExist() throws {
        let directory = TestDatabase.projectRoot + "/Templates/mail"
        let pattern = try NSRegularExpression(pattern: "\\{\\{\\s*([mc])\\.([a-z_]+)\\s*\\}\\}")
        var missing: [String] = []
        for file in try FileManager.default.contentsOfDirectory(atPath: directory) {
            let text = try String(contentsOfFile: directory + "/" + file, encoding: .utf8)
            let templateName = String(file.prefix { $0 != "." })
            for match in pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                let scope = String(text[Range(match.range(at: 1), in: text)!])
                let key = String(text[Range(match.range(at: 2), in: text)!])
                if scope == "c" {
                    if !strings.contains("mail.common.\(key)") { missing.append("\(file): c.\(key)") }
                } else if let template = MailTemplate(rawValue: templateName) {
                    if !strings.contains("mail.\(template.name).\(key)") { missing.append("\(file): m.\(key)") }
                } else {
                    // Shared partials: every template that includes them must have the key.
                    for template in MailTemplate.allCases where !strings.contains("mail.\(template.name).\(key)") {
                        if key == "why" || templateIncludes(template, file) {
                            missing.append("\(file) in \(template.name): m.\(key)")
                        }
                    }
                }
            }
        }
        #expect(missing.isEmpty, "\(missing)")
    }

    private func templateIncludes(_ template: MailTemplate, _ partialFile: String) -> Bool {
        let partial = "mail/" + partialFile.replacingOccurrences(of: ".mustache", with: "")
        let directory = TestDatabase.projectRoot + "/Templates/"
        let text = (try? String(contentsOfFile: directory + template.htmlTemplate + ".mustache", encoding: .utf8)) ?? ""
        let textPart =
            (try? String(contentsOfFile: directory + template.textTemplate + ".mustache", encoding: .utf8)) ?? ""
        return text.contains(partial) || textPart.contains(partial)
    }

    @Test("a text template without the TEXT content-type line is refused at load")
    func textTemplateNeedsPragma() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("boerse-mail-\(UUID().uuidString)")
        let mail = root.appendingPathComponent("mail")
        try FileManager.default.createDirectory(at: mail, withIntermediateDirectories: true)
        let source = TestDatabase.projectRoot + "/Templates/mail"
        for file in try FileManager.default.contentsOfDirectory(atPath: source) {
            try FileManager.default.copyItem(atPath: source + "/" + file, toPath: mail.path + "/" + file)
        }
        _ = try MailTemplates(templatesDirectory: root.path)
        try "{{m.greeting}}\n".write(
            to: mail.appendingPathComponent("invitation.txt.mustache"), atomically: true, encoding: .utf8)
        #expect {
            try MailTemplates(templatesDirectory: root.path)
        } throws: { error in
            if case MailTemplates.LoadError.textWithoutPragma("mail/invitation.txt") = error { return true }
            return false
        }
        try FileManager.default.removeItem(at: mail.appendingPathComponent("invitation.txt.mustache"))
        #expect {
            try MailTemplates(templatesDirectory: root.path)
        } throws: { error in
            if case MailTemplates.LoadError.missing("mail/invitation.txt") = error { return true }
            return false
        }
    }

    @Test("an empty sender name becomes the site's name; links are absolute and in the language asked for")
    func senderAndLinks() {
        #expect(mailer.from.name == "Ehrenamts- und Spendenbörse Kreis Lippe")
        #expect(mailer.absoluteURL(.account(.login), in: .de) == "https://ehrenamt.kreis-lippe.example/anmelden")
        #expect(mailer.absoluteURL(.account(.login), in: .en) == "https://ehrenamt.kreis-lippe.example/en/anmelden")
        // Whatever the language of the request that sends the mail.
        Language.$current.withValue(.ar) {
            #expect(
                mailer.absoluteURL(.listings(.donations), in: .de) == "https://ehrenamt.kreis-lippe.example/spenden")
        }
    }

    @Test(
        "every template renders in every language: its own subject and site name, no placeholder left",
        arguments: Language.allCases)
    func everyTemplateInEveryLanguage(_ language: Language) throws {
        let own = try #require(try Self.allStrings()[language])
        let siteName = own.format("site.name", ["county": "Kreis Lippe"])
        for template in MailTemplate.allCases {
            var values = Self.values(for: template)
            values["message"] = "Text"
            values["reason"] = "Grund"
            let message = try mailer.render(
                template, to: Mailbox(name: "Erika", address: "erika@example.org"), language: language, values: values)
            let subject = Mailer.fill(
                own[template.subjectKey], values.merging(["site": siteName]) { value, _ in value })
            #expect(message.subject == subject, "\(template.name)")
            #expect(message.textBody.contains(siteName), "\(template.name)")
            #expect(!message.textBody.contains("{"), "\(template.name)")
            #expect(message.htmlBody.contains("<html lang=\"\(language.rawValue)\""), "\(template.name)")
        }
    }

    @Test("an Arabic mail's HTML part is right to left, with quotes marked on the right; others left to right")
    func arabicIsRightToLeft() throws {
        let values = Self.values(for: .contactMessage)
        let arabic = try mailer.render(
            .contactMessage, to: Mailbox(name: "", address: "a@example.org"), language: .ar, values: values)
        #expect(arabic.htmlBody.contains("<html lang=\"ar\" dir=\"rtl\">"))
        #expect(arabic.htmlBody.contains("border-right:4px"))
        for language in [Language.de, .en, .uk, .tr] {
            let message = try mailer.render(
                .contactMessage, to: Mailbox(name: "", address: "a@example.org"), language: language, values: values)
            #expect(message.htmlBody.contains("<html lang=\"\(language.rawValue)\" dir=\"ltr\">"))
            #expect(message.htmlBody.contains("border-left:4px"))
        }
    }

    @Test("the footer links to the start page in the mail's language")
    func footerLinksToTheStartPageInTheLanguage() throws {
        let values = ["name": "Erika", "link": "https://ehrenamt.kreis-lippe.example/x"]
        let english = try mailer.render(
            .confirmAccount, to: Mailbox(name: "", address: "a@example.org"), language: .en, values: values)
        #expect(english.htmlBody.contains("href=\"https://ehrenamt.kreis-lippe.example/en/\""))
        let german = try mailer.render(.confirmAccount, to: Mailbox(name: "", address: "a@example.org"), values: values)
        #expect(german.htmlBody.contains("href=\"https://ehrenamt.kreis-lippe.example\""))
    }

    @Test("a language the site does not offer, or an unknown stored code, gets German text and German links")
    func unofferedLanguageFallsBackToGerman() throws {
        let germanOnly = try Self.mailer(database, strings: [.de: strings])
        let message = try germanOnly.render(
            .confirmAccount, to: Mailbox(name: "", address: "a@example.org"), language: .en,
            values: ["name": "Erika", "link": "https://x.example"])
        #expect(message.subject == strings["mail.confirm_account.subject"])
        #expect(message.htmlBody.contains("<html lang=\"de\" dir=\"ltr\">"))
        #expect(germanOnly.language(stored: "en") == .de)
        #expect(mailer.language(stored: "en") == .en)
        #expect(mailer.language(stored: "ar") == .ar)
        for code in [nil, "", "fr", "EN", "de"] as [String?] {
            #expect(mailer.language(stored: code) == .de, "\(code ?? "nil")")
        }
    }
}
