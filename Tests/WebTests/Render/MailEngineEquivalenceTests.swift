import Foundation
import Mustache
import StorageTestSupport
import Testing

@testable import Web

/// Every mail, in every language, rendered by swift-mustache (which rendered them before) and by our
/// renderer from the same context: the parts must be byte for byte the same, except where swift-mustache
/// left a quote unescaped because a combining mark followed it.
@Suite("Mail render engine equivalence")
struct MailEngineEquivalenceTests {
    let mailer: Mailer
    let swiftMustache: MustacheLibrary

    init() throws {
        mailer = try MailerTests.mailer(try TestDatabase.makeMigrated(), strings: try MailerTests.allStrings())
        MustacheContentTypes.register(HTMLEscaper(), named: "HTML")
        let directory = TestDatabase.projectRoot + "/Templates/mail"
        var library = MustacheLibrary()
        for file in try FileManager.default.contentsOfDirectory(atPath: directory) where file.hasSuffix(".mustache") {
            let text = try String(contentsOfFile: directory + "/" + file, encoding: .utf8)
            library.register(try MustacheTemplate(string: text), named: "mail/" + file.dropLast(".mustache".count))
        }
        swiftMustache = library
    }

    /// Hostile text, nothing at all, and several lines with blank ones, CRLF, right-to-left script and emoji.
    static let valueSets: [@Sendable (String) -> String] = [
        { MailerTests.values(for: .accessibilityFeedback)[$0] ?? MailerTests.hostile },
        { _ in "" },
        { _ in "Zeile eins\r\n\r\nمرحبا 👋🏽\n\n  eingerückt & <b>fett</b>\n" },
    ]

    @Test("every template, every language, hostile, empty and multi-line values")
    func everyMailIsByteIdentical() throws {
        var compared = 0
        for template in MailTemplate.allCases {
            for language in Language.allCases {
                for valueOf in Self.valueSets {
                    var values: [String: String] = [:]
                    for key in template.valueKeys { values[key] = valueOf(key) }
                    let (_, context) = try mailer.templateContext(template, language: language, values: values)
                    let message = try mailer.render(
                        template, to: Mailbox(name: "A", address: "a@example.org"), language: language, values: values)
                    let text = MailTemplates.tidyText(
                        swiftMustache.render(context, withTemplate: template.textTemplate) ?? "<missing>")
                    let html = swiftMustache.render(context, withTemplate: template.htmlTemplate) ?? "<missing>"
                    #expect(message.textBody == text, "\(template.name) text, \(language)")
                    #expect(message.htmlBody == html, "\(template.name) html, \(language)")
                    compared += 1
                }
            }
        }
        #expect(compared == MailTemplate.allCases.count * Language.allCases.count * Self.valueSets.count)
    }

    @Test("a quote followed by a combining mark is escaped in the HTML part")
    func quoteBeforeCombiningMarkIsEscaped() throws {
        // Built from scalars: a quote followed by a combining mark is one character in Swift source.
        let quoteWithMark = String(String.UnicodeScalarView([UnicodeScalar(0x22)!, UnicodeScalar(0x301)!]))
        let escapedWithMark = "&quot;" + String(String.UnicodeScalarView([UnicodeScalar(0x301)!]))
        let name = "Jo" + quoteWithMark + " onmouseover=x"
        let message = try mailer.render(
            .organisationRejected, to: Mailbox(name: "A", address: "a@example.org"),
            values: ["name": name, "organisationName": name, "reason": name])
        let html = Array(message.htmlBody.utf8)
        let escaped = Array(("Jo" + escapedWithMark + " onmouseover=x").utf8)
        let raw = Array(("Jo" + quoteWithMark).utf8)
        #expect(html.firstRange(of: escaped) != nil)
        #expect(html.firstRange(of: raw) == nil)
        // Plain text shows what was typed.
        let text = Array(message.textBody.utf8)
        #expect(text.firstRange(of: Array(name.utf8)) != nil)
    }
}
