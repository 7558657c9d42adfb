import Foundation
import Mustache
import Testing

@testable import Web

/// Our renderer against swift-mustache 2.1.1 on small templates: for every feature and whitespace rule
/// the templates use, both must print the same bytes for the same template and context.
@Suite struct TemplateRendererTests {
    /// Renders `name` from `templates` with both engines; returns (swift-mustache, ours).
    static func both(
        _ templates: [String: String], _ context: [String: Any], name: String = "main"
    ) throws -> (String, String) {
        var library = MustacheLibrary()
        for (templateName, text) in templates {
            library.register(try MustacheTemplate(string: text), named: templateName)
        }
        let expected = library.render(Views.normalized(context), withTemplate: name) ?? "<missing>"
        let own = try TemplateLibrary(templates: templates).render(name, context).map {
            String(decoding: $0, as: UTF8.self)
        }
        return (expected, own ?? "<missing>")
    }

    static func check(
        _ text: String, _ context: [String: Any] = [:], partials: [String: String] = [:],
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        var templates = partials
        templates["main"] = text
        let (expected, own) = try both(templates, context)
        #expect(own == expected, "template \(text.debugDescription)", sourceLocation: sourceLocation)
    }

    static var card: [String: Any] {
        [
            "title": "Tafel & Co <Lemgo>", "href": "/ehrenamt/1", "count": 3, "flag": true, "off": false,
            "empty": "", "tags": ["Sport", "Kinder"], "none": Optional<String>.none as Any,
        ]
    }

    @Test func variables_escapeTheFiveCharactersAndPrintNumbersAndBools() throws {
        try Self.check(
            "{{title}}|{{href}}|{{count}}|{{flag}}|{{off}}|{{empty}}|{{none}}|{{missing}}|{{&title}}|{{{title}}}",
            Self.card)
        try Self.check("{{a}}", ["a": "\"quoted\" 'single' <b> & ä – 😀"])
        try Self.check("{{a}} {{b}} {{c}}", ["a": 2.5, "b": Int64(7), "c": [1, 2] as [Int]])
        try Self.check("{{ spaced }}{{a.b}}", ["spaced": "s", "a": ["b": "ab"]])
    }

    /// The one deliberate difference: swift-mustache's default escaping (`HTMLContentType`, which the
    /// registered `HTMLEscaper` does not replace) walks `Character`s, so a quote followed by a combining
    /// mark is one grapheme and stays unescaped, which would end an attribute. Ours escapes bytes.
    @Test func quoteWithCombiningMark_isEscapedByOursButNotBySwiftMustache() throws {
        let (expected, own) = try Self.both(["main": "<a title=\"{{x}}\">"], ["x": "\"\u{301} onmouseover=x"])
        #expect(own == "<a title=\"&quot;\u{301} onmouseover=x\">")
        #expect(expected == "<a title=\"\"\u{301} onmouseover=x\">")
    }

    @Test func dottedNames_resolveTheFirstPartOutwardsThenDescend() throws {
        let context: [String: Any] = [
            "a": ["b": ["c": "deep"]], "x": "outer", "items": [["a": ["z": 1]], ["q": 2]],
        ]
        try Self.check("{{a.b.c}}|{{a.b}}|{{a.nope.c}}", context)
        // Inside the first item `a` is the item's own `a`, which has no `b`: nothing, not the outer one.
        try Self.check("{{#items}}[{{a.b.c}}|{{x}}|{{q}}]{{/items}}", context)
        try Self.check("{{#a}}{{#b}}{{c}}{{.c}}{{x}}{{.x}}{{/b}}{{/a}}", context)
    }

    @Test func implicitIterator_printsTheCurrentValue() throws {
        try Self.check("{{#tags}}<{{.}}>{{/tags}}", Self.card)
        try Self.check("{{#list}}{{.}},{{/list}}", ["list": ["a", "", 3, true] as [Any]])
        try Self.check("{{#title}}{{.}}{{/title}}", Self.card)
    }

    @Test func sections_overBoolsListsDictionariesStringsNumbersAndNothing() throws {
        let context: [String: Any] = [
            "yes": true, "no": false, "zero": 0, "one": 1, "text": "t", "empty": "", "list": [["n": "1"], ["n": "2"]],
            "none": [[String: Any]](), "dict": ["n": "d"], "nothing": Views.Nothing(), "n": "outer",
            "strings": [String](), "nil": Optional<Int>.none as Any, "some": Optional<Int>.some(4) as Any,
        ]
        for name in ["yes", "no", "zero", "one", "text", "empty", "list", "none", "dict", "nothing", "missing"] {
            try Self.check("{{#\(name)}}[{{n}}]{{/\(name)}}{{^\(name)}}<{{n}}>{{/\(name)}}", context)
        }
        for name in ["strings", "nil", "some"] {
            try Self.check("{{#\(name)}}[{{.}}]{{/\(name)}}{{^\(name)}}<{{n}}>{{/\(name)}}", context)
        }
        // An inverted section over an empty list pushes the list: `{{.}}` prints it.
        try Self.check("{{^strings}}<{{.}}>{{/strings}}", context)
    }

    @Test func emptyValuesShadowOuterKeys() throws {
        let context: [String: Any] = ["title": "Seite", "cards": [["title": "Eins"], ["title": ""], [:]]]
        try Self.check("{{#cards}}[{{title}}{{#title}}!{{/title}}]{{/cards}}", context)
    }

    @Test func standaloneLines_disappear() throws {
        let context: [String: Any] = ["a": true, "b": false, "items": [["x": "1"], ["x": "2"]]]
        try Self.check("<ul>\n  {{#items}}\n  <li>{{x}}</li>\n  {{/items}}\n</ul>\n", context)
        try Self.check("x\n  {{#a}}  \ny\n  {{/a}}\t\nz\n  {{^b}}\nw\n{{/b}}", context)
        try Self.check("{{#a}}\n{{/a}}\n{{#b}}\nnope\n{{/b}}\nend", context)
        try Self.check("a {{#a}}\nb\n{{/a}}\nc\n  {{#a}}\nd {{/a}} e\n", context)
        try Self.check("  {{#a}}x{{/a}}  \n  {{! comment }}\n  {{x}}\n{{! two\nlines }}\nend", context)
        try Self.check("\r\n  {{#a}}\r\n crlf\r\n  {{/a}}\r\nend\r\n", context)
        try Self.check("{{#a}}\n{{/a}}  {{#a}}\nq\n{{/a}}\n", context)
        try Self.check("   \n\t\n{{#a}}x{{/a}}\n   ", context)
        try Self.check("{{=<% %>=}}\n<% a %>{{a}}\n<%={{ }}=%>\n{{a}}", context)
    }

    @Test func partials_withStandaloneIndentation() throws {
        let partials = [
            "p/list": "<ul>\n{{#items}}\n  <li>{{x}}</li>\n{{/items}}\n</ul>\n",
            "p/line": "one\ntwo {{x}}\n",
            "p/inline": "[{{x}}]",
            "p/nested": "n1\n  {{>p/line}}\nn2\n",
            "p/multi": "{{#items}}{{x}}\n{{/items}}",
        ]
        let context: [String: Any] = ["x": "X", "items": [["x": "1"], ["x": "2"]]]
        for text in [
            "{{>p/list}}", "<div>\n  {{>p/list}}\n</div>\n", "<div>\n    {{> p/line}}\n</div>",
            "a {{>p/inline}} b\n  {{>p/inline}}\n", "<div>\n  {{>p/nested}}\n</div>\n", "{{>p/missing}}|",
            "<div>\n  {{>p/multi}}\n</div>\n", "\t{{>p/line}}\n{{#items}}\n  {{>p/inline}}\n{{/items}}\n",
        ] {
            try Self.check(text, context, partials: partials)
        }
    }

    @Test func inheritance_withBlocksDefaultsAndOverrides() throws {
        let partials = [
            "layout": "<html>\n<head>{{$title}}Default{{/title}}</head>\n<body>\n{{$main}}{{/main}}\n</body>\n",
            "inner": "  {{$main}}\n  inner default\n  {{/main}}\n",
            "box": "<div>\n  {{$content}}box{{/content}}\n</div>\n",
        ]
        let context: [String: Any] = ["heading": "H", "items": [["x": "1"]]]
        for text in [
            "{{<layout}}{{$main}}\n<h1>{{heading}}</h1>\n{{#items}}{{x}}{{/items}}\n{{/main}}{{/layout}}",
            "{{<layout}}\n{{$title}}T{{/title}}\n{{$main}}\n  indented\n    more\n{{/main}}\n{{/layout}}\n",
            "{{<layout}}{{/layout}}", "{{<inner}}{{/inner}}", "{{$solo}}default{{/solo}}",
            "{{<layout}}{{$main}}\n{{<box}}{{$content}}\nin box\n{{/content}}{{/box}}\n{{/main}}{{/layout}}",
            "  {{<box}}\n  {{$content}}\n  a\n  {{/content}}\n  {{/box}}\n",
        ] {
            try Self.check(text, context, partials: partials)
        }
    }

    @Test func contentTypeText_switchesEscapingOffUntilAPartial() throws {
        let partials = ["p": "<{{x}}>"]
        try Self.check(
            "{{% CONTENT_TYPE: TEXT }}\n{{x}} {{>p}}\n{{#a}}{{x}}{{/a}}", ["x": "a&b", "a": true], partials: partials)
    }

    @Test func listPositionTransforms() throws {
        let context: [String: Any] = ["lines": ["a", "b", "c"], "flag": true]
        try Self.check("{{#lines}}{{.}}{{^last()}}<br>{{/last()}}{{/lines}}", context)
        try Self.check("{{#lines}}{{index()}}{{#first()}}F{{/first()}}{{#flag}}{{last()}}{{/flag}}{{/lines}}", context)
        try Self.check("{{#lines}}{{>p}}{{/lines}}", context, partials: ["p": "{{last()}}"])
    }

    @Test func interfaceStrings_areResolvedPerLanguageAndFallBackWhenUnknown() throws {
        let library = try TemplateLibrary(templates: [
            "main": "{{t.a.b}}|{{t.a.missing}}|{{t.a}}|{{#items}}{{t.a.b}}{{/items}}|{{t.q}}"
        ])
        let strings: [String: Any] = ["a": ["b": "<B>"], "q": "Q'"]
        let context: [String: Any] = ["lang": "de", Views.sharedStringsKey: strings, "items": [["x": 1]]]
        let (expected, _) = try Self.both(
            ["main": "{{t.a.b}}|{{t.a.missing}}|{{t.a}}|{{#items}}{{t.a.b}}{{/items}}|{{t.q}}"], context)
        let own = String(decoding: library.render("main", context) ?? [], as: UTF8.self)
        #expect(own == expected)
        #expect(own.hasPrefix("&lt;B&gt;||["))
        // A second language gets its own strings.
        let english: [String: Any] = ["lang": "en", Views.sharedStringsKey: ["a": ["b": "b"], "q": "q"]]
        #expect(String(decoding: library.render("main", english) ?? [], as: UTF8.self).hasPrefix("b||["))
    }

    @Test func parseErrors_nameTheFileAndLine() throws {
        #expect(throws: Views.LoadError.self) { try TemplateLibrary(templates: ["bad": "a\n{{#x}}\nb\n{{/y}}"]) }
        do {
            _ = try TemplateLibrary(templates: ["bad": "a\n{{#x}}\nb\n{{/y}}"])
        } catch {
            #expect(String(describing: error).contains("bad"))
            #expect(String(describing: error).contains("line 4"))
        }
        #expect(throws: Views.LoadError.self) { try TemplateLibrary(templates: ["loop": "{{>loop}}"]) }
    }

    @Test func everyTemplateOfTheApp_parsesWithBothParsers() throws {
        let directory = TemplateRendererTests.templatesDirectory
        let enumerator = FileManager.default.enumerator(atPath: directory)
        var count = 0
        while let path = enumerator?.nextObject() as? String {
            guard path.hasSuffix(".mustache") else { continue }
            let text = try String(contentsOfFile: directory + "/" + path, encoding: .utf8)
            _ = try TemplateParser.parse(text)
            _ = try MustacheTemplate(string: text)
            count += 1
        }
        #expect(count > 50)
    }

    static var templatesDirectory: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Templates").path
    }
}
