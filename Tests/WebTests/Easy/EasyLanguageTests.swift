import Foundation
import StorageTestSupport
import Testing
import WebTestSupport

@testable import Web

/// The Leichte Sprache page: structure, pictures, links, the county's contact and the sign-language video.
@Suite struct EasyLanguageTests {
    static let path = "/leichte-sprache"

    static let headings = [
        "Die Börse in Leichter Sprache", "Gibt es die Infos auch in Gebärden·sprache?", "Was ist die Börse?",
        "Was ist ein Ehren·amt?", "Wie kann ich helfen?", "Wie finde ich eine Aufgabe?",
        "Wie kann ich etwas spenden?", "Wo kann ich andere Menschen treffen?", "Brauche ich ein Konto?",
        "Wer hilft mir?", "So erreichen Sie uns",
    ]

    /// The text of every `<h1>`…`<h6>` inside the page's `<main>`, in order.
    static func headingTexts(_ body: String) -> [String] {
        let main = body.components(separatedBy: "<main").last?.components(separatedBy: "</main>").first ?? ""
        let pattern = try! NSRegularExpression(pattern: "<h[1-6][^>]*>(.*?)</h[1-6]>")
        return pattern.matches(in: main, range: NSRange(main.startIndex..., in: main)).compactMap {
            Range($0.range(at: 1), in: main).map { String(main[$0]) }
        }
    }

    /// Every `<img …>` tag of the page.
    static func imageTags(_ body: String) -> [String] {
        body.components(separatedBy: "<img").dropFirst().map { String($0.prefix { $0 != ">" }) }
    }

    @Test func page_rendersInGerman_withQuestionHeadingsInOrder() throws {
        let app = try TestApp.make(seeded: false)
        let page = app.get(Self.path)
        #expect(page.status == 200)
        #expect(page.body.contains("<html lang=\"de\""))
        #expect(page.body.contains("<title>Leichte Sprache – "))
        #expect(Self.headingTexts(page.body) == Self.headings)
        let levels = PageTests.headingLevels(page.body)
        #expect(levels.first == 1 && levels.filter { $0 == 1 }.count == 1)
        #expect(!zip(levels, levels.dropFirst()).contains { $1 > $0 + 1 }, "\(levels)")
        #expect(page.unresolvedLocalizationKeys.isEmpty, "\(page.unresolvedLocalizationKeys)")
        // "Ehren·amt" is explained, and the button label people will meet is quoted as it is on the listing.
        #expect(page.body.contains("Ehren·amt bedeutet: Sie helfen anderen Menschen."))
        #expect(page.body.contains("<strong class=\"easy__quote\">Ich möchte helfen</strong>"))
        #expect(page.body.contains("Die Seite ist für alle Menschen im Kreis Lippe."))
        #expect(!page.body.contains("{"), "every placeholder filled")
    }

    @Test func everyPicture_hasAnAltAttribute_andIsASmallLocalSVG() throws {
        let app = try TestApp.make(seeded: false)
        let page = app.get(Self.path)
        let images = Self.imageTags(page.body).filter { $0.contains("/img/easy/") }
        #expect(images.count == 9, "one picture beside each point")
        for tag in Self.imageTags(page.body) {
            #expect(tag.contains(" alt=\""), "\(tag)")
        }
        for tag in images {
            // Each sits beside a heading that says the same: decorative.
            #expect(tag.contains(" alt=\"\""), "\(tag)")
            let source = try #require(
                tag.components(separatedBy: " src=\"").dropFirst().first?.split(separator: "\"").first
            )
            .description
            #expect(source.hasPrefix("/static/img/easy/") && source.hasSuffix(".svg"))
            let file = app.get(source)
            #expect(file.status == 200, "\(source)")
            #expect(file.headerFields[.contentType] == "image/svg+xml")
            #expect(file.bytes.count <= 3 * 1024, "\(source) is \(file.bytes.count) bytes")
            #expect(!file.body.contains("<script") && !file.body.contains("href=\"http"), "\(source)")
        }
    }

    @Test func links_leadToTheRealPages() throws {
        let app = try TestApp.make()
        let page = app.get(Self.path)
        for target in [
            "/ehrenamt", "/spenden", "/veranstaltungen", "/registrieren", "/barrierefreiheit/rueckmeldung",
            "/mein-bereich/neu/mithelfen", "/mein-bereich/neu/spende-angeboten",
        ] {
            #expect(page.links.contains(target), "\(target)")
        }
        for link in page.links where link.hasPrefix("/") && !link.hasPrefix("/static/") {
            let status = app.get(link).status
            // Posting forms send people without an account to the login page first.
            #expect(status == 200 || (link.hasPrefix("/mein-bereich/") && status == 303), "\(link) → \(status)")
        }
    }

    @Test func footer_linksToLeichteSprache() throws {
        let app = try TestApp.make(seeded: false)
        for path in ["/", "/impressum", Self.path] {
            #expect(app.get(path).body.contains("<li><a href=\"/leichte-sprache\">Leichte Sprache</a></li>"), "\(path)")
        }
    }

    @Test func withoutAVideo_aClearlyMarkedPlaceholderSaysTheCountyWillAddOne() throws {
        let app = try TestApp.make(seeded: false)
        let body = app.get(Self.path).body
        #expect(body.contains("<div class=\"easy__placeholder\">"))
        #expect(body.contains("Platz für ein Video"))
        #expect(body.contains("Hier kommt bald ein Video in Deutscher Gebärden·sprache."))
        #expect(body.contains("Die kurze Form dafür ist: DGS."))
        #expect(!body.contains("<video"))
    }

    @Test func configuredVideo_isAVideoWithLocalSource_controls_noAutoplay_andTranscriptLink() throws {
        let app = try CountySettingsRoot.app(accessibility: [
            "signLanguageVideo": "video/boerse-dgs.mp4", "signLanguageTranscript": "/static/video/boerse-dgs.txt",
        ])
        let body = app.get(Self.path).body
        #expect(body.contains("<video class=\"easy__player\" controls preload=\"metadata\">"))
        #expect(body.contains("<source src=\"/static/video/boerse-dgs.mp4\" type=\"video/mp4\">"))
        #expect(!body.contains("autoplay"))
        #expect(body.contains("<a href=\"/static/video/boerse-dgs.txt\">Das Video als Text lesen</a>"))
        #expect(body.contains("<figcaption>Die Börse in Deutscher Gebärden·sprache (DGS)</figcaption>"))
        #expect(!body.contains("easy__placeholder"))
    }

    @Test func configuredVideoWithoutTranscript_hasNoTranscriptLink() throws {
        let app = try CountySettingsRoot.app(accessibility: ["signLanguageVideo": "video/dgs.webm"])
        let body = app.get(Self.path).body
        #expect(body.contains("<source src=\"/static/video/dgs.webm\" type=\"video/webm\">"))
        #expect(!body.contains("Das Video als Text lesen"))
    }

    @Test(arguments: [
        "../Config/lippe.json", "https://video.example/dgs.mp4", "video/../../x.mp4", "video/dgs film.mp4",
    ])
    func videoPathOutsidePublic_stopsTheStart(_ value: String) throws {
        let root = try CountySettingsRoot.make(accessibility: ["signLanguageVideo": value])
        #expect(throws: SiteSettings.SettingsError.self) {
            _ = try SiteSettings.load(path: root + "/Config/lippe.json")
        }
        #expect(throws: (any Error).self) { _ = try TestApp.make(seeded: false) { $0.root = root } }
    }

    @Test(
        arguments: [
            ("video/dgs.mp4", "video/dgs.mp4"), ("/video/dgs.mp4", "video/dgs.mp4"),
            ("static/video/dgs.mp4", "video/dgs.mp4"), ("  video/dgs.mp4 ", "video/dgs.mp4"), ("", nil),
            ("video/.hidden.mp4", nil), ("video//dgs.mp4", nil), ("video/dgs.mp4?x=1", nil), ("vidéo/dgs.mp4", nil),
        ] as [(String, String?)])
    func publicFilePath_acceptsOnlyPlainPathsBelowPublic(_ value: String, _ expected: String?) {
        #expect(SiteSettings.publicFilePath(value) == expected)
    }

    @Test func contactBox_showsTheCountysPhoneAndAddress() throws {
        let app = try CountySettingsRoot.app(contact: [
            "department": "Büro für Bürgerengagement", "street": "Felix-Fechenbach-Straße 5", "postalCode": "32756",
            "phone": "05231 62-0", "email": "ehrenamt@kreis-lippe.example",
        ])
        let body = app.get(Self.path).body
        #expect(
            body.contains(
                "Kreis Lippe – Der Landrat<br>Büro für Bürgerengagement<br>Felix-Fechenbach-Straße 5<br>32756 Detmold"))
        #expect(body.contains("<a href=\"tel:05231620\">05231 62-0</a>"))
        #expect(body.contains("<a href=\"mailto:ehrenamt@kreis-lippe.example\">ehrenamt@kreis-lippe.example</a>"))
        #expect(!body.contains("class=\"missing\""))
    }

    @Test func contactBox_marksMissingPhoneAndAddress_asTheLegalPagesDo() throws {
        let app = try TestApp.make(seeded: false)
        let body = app.get(Self.path).body
        #expect(body.count(of: "<span class=\"missing\">[Angabe fehlt") == 2)
    }

    /// The German text keeps to the Leichte Sprache rules a program can check: short sentences, no subordinate
    /// clauses (no subordinating conjunctions), no passive with "werden", numbers as digits.
    @Test func germanText_keepsToLeichteSpracheRules() throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: TestDatabase.projectRoot + "/Localization/de.json"))
        let file = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let easy = try #require(file["easy"] as? [String: Any])
        var texts: [String: String] = [:]
        func collect(_ object: [String: Any], _ prefix: String) {
            for (key, value) in object {
                if let text = value as? String { texts[prefix + key] = text }
                if let nested = value as? [String: Any] { collect(nested, prefix + key + ".") }
            }
        }
        // The meta description is for search engines, not for readers of the page.
        collect(easy.filter { $0.key != "description" }, "")
        #expect(texts.count > 80)
        let forbidden: Set<String> = [
            "dass", "weil", "obwohl", "damit", "welche", "welcher", "welches", "deren", "dessen", "sodass", "falls",
            "wird", "werden", "wurde", "eins", "zwei", "drei", "vier", "fünf", "zehn",
        ]
        for (key, text) in texts {
            let sentences = text.split { ".?!:".contains($0) }.map { $0.split(separator: " ") }.filter { !$0.isEmpty }
            #expect(sentences.count <= 2, "\(key): one statement per line")
            for words in sentences {
                #expect(words.count <= 10, "\(key): \(words.count) words")
            }
            let words = Set(text.lowercased().split { !$0.isLetter }.map(String.init))
            #expect(words.isDisjoint(with: forbidden), "\(key): \(words.intersection(forbidden))")
        }
    }
}

extension String {
    fileprivate func count(of text: String) -> Int { components(separatedBy: text).count - 1 }
}
