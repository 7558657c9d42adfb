import Mustache
import Testing

@testable import Web

@Suite struct ViewsNormalizationTests {
    func render(_ text: String, _ context: [String: Any]) throws -> String {
        var library = MustacheLibrary()
        library.register(try MustacheTemplate(string: text), named: "t")
        return library.render(Views.normalized(context), withTemplate: "t") ?? "?"
    }

    @Test func emptyStringAndNil_areFalseInSections() throws {
        let none: String? = nil
        let summary: [String: Any]? = nil
        #expect(try render("{{#a}}A{{/a}}{{^a}}-{{/a}}", ["a": ""]) == "-")
        #expect(try render("{{#b}}B{{/b}}{{^b}}-{{/b}}[{{b}}]", ["b": none as Any]) == "-[]")
        #expect(try render("{{#c}}C{{/c}}", ["c": summary as Any]) == "")
        #expect(try render("{{#d}}D{{/d}}", ["d": "x"]) == "D")
    }

    @Test func emptyValueInALoop_stillShadowsTheOuterKey() throws {
        let context: [String: Any] = ["title": "Seite", "cards": [["title": "Eins"], ["title": ""]]]
        #expect(try render("{{#cards}}[{{title}}]{{/cards}}", context) == "[Eins][]")
    }
}
