import Foundation
import GRDB
import Storage
import Testing

/// The resident's text → FTS5 MATCH expression: words only, each a quoted prefix, all required; never an
/// FTS5 operator, column filter or syntax error, whatever is typed.
@Suite("Search query builder")
struct SearchQueryTests {
    func expression(_ text: String) -> String? {
        SearchQuery(text)?.matchExpression
    }

    @Test("one word becomes a quoted, lowercased prefix")
    func oneWord() {
        #expect(expression("Hund") == "\"hund\"*")
        #expect(SearchQuery("Hund")?.words == ["hund"])
    }

    @Test("several words are all required (AND), in the order typed, duplicates dropped")
    func severalWords() {
        #expect(expression("Hund  Katze\tMaus\n") == "\"hund\"* AND \"katze\"* AND \"maus\"*")
        #expect(expression("hund Hund HUND katze") == "\"hund\"* AND \"katze\"*")
    }

    @Test("nothing searchable left means no search")
    func nothingLeft() {
        for text in ["", "   ", "\n\t", "\"", "*", "\"\"", "-", ":", "^", "()", "!?.,;:'\"*()-^+{}[]<>/\\|&%$#@~`=_"] {
            #expect(SearchQuery(text) == nil, "\(text.debugDescription) must not search")
        }
    }

    @Test("FTS5 syntax characters are dropped, the words around them kept")
    func syntaxCharactersAreSeparators() {
        #expect(expression("\"hund") == "\"hund\"*")
        #expect(expression("hund*") == "\"hund\"*")
        #expect(expression("-katze") == "\"katze\"*")
        #expect(expression("^garten") == "\"garten\"*")
        #expect(expression("title:x") == "\"title\"* AND \"x\"*")
        #expect(expression("{title summary}: hund") == "\"title\"* AND \"summary\"* AND \"hund\"*")
        #expect(expression("\"hund\" + \"katze\"") == "\"hund\"* AND \"katze\"*")
        #expect(
            expression("hund\"); DROP TABLE listings; --") == "\"hund\"* AND \"drop\"* AND \"table\"* AND \"listings\"*"
        )
    }

    @Test("operator words are ordinary words")
    func operatorWordsAreWords() {
        #expect(expression("NEAR(") == "\"near\"*")
        #expect(expression("NEAR(hund katze, 2)") == "\"near\"* AND \"hund\"* AND \"katze\"* AND \"2\"*")
        #expect(expression("hund AND katze") == "\"hund\"* AND \"and\"* AND \"katze\"*")
        #expect(
            expression("hund OR katze NOT maus") == "\"hund\"* AND \"or\"* AND \"katze\"* AND \"not\"* AND \"maus\"*")
    }

    @Test("at most 8 words of at most 40 characters, even from 10 KB of text")
    func limits() throws {
        let many = (1...20).map { "wort\($0)" }.joined(separator: " ")
        #expect(SearchQuery(many)?.words == (1...8).map { "wort\($0)" })
        let long = String(repeating: "a", count: 45)
        #expect(SearchQuery(long)?.words == [String(repeating: "a", count: 40)])
        let huge = String(repeating: "Hund\"*-:^NEAR( ", count: 700)
        #expect(huge.utf8.count > 10_000)
        let query = try #require(SearchQuery(huge))
        #expect(query.words == ["hund", "near"])
        let oneWord = String(repeating: "x", count: 10_240)
        #expect(SearchQuery(oneWord)?.words == [String(repeating: "x", count: 40)])
        let manyLong = (0..<300).map { _ in String(repeating: "ö", count: 50) + String(Int.random(in: 0...999_999)) }
            .joined(separator: " ")
        let bounded = try #require(SearchQuery(manyLong))
        #expect(bounded.words.count <= SearchQuery.maximumWordCount)
        #expect(bounded.words.allSatisfy { $0.count <= SearchQuery.maximumWordLength })
    }

    @Test("emoji and symbols are not words; words next to them are")
    func emoji() {
        #expect(SearchQuery("🐶🎉❤️") == nil)
        #expect(SearchQuery("👨‍👩‍👧") == nil)
        #expect(expression("Hund🐶") == "\"hund\"*")
        #expect(expression("🐶 Hund ❤️") == "\"hund\"*")
    }

    @Test("Arabic, Cyrillic and Turkish words are words")
    func otherScripts() {
        #expect(SearchQuery("مساعدة الأطفال")?.words == ["مساعدة", "الأطفال"])
        #expect(SearchQuery("Допомога ДІТЯМ")?.words == ["допомога", "дітям"])
        #expect(SearchQuery("Yardım, İstanbul")?.words.first == "yardım")
        #expect(SearchQuery("Arabic-Indic ٣ digits")?.words == ["arabic", "indic", "٣", "digits"])
    }

    @Test("decomposed input (combining marks) is the same as composed")
    func normalization() {
        #expect(SearchQuery("Mo\u{308}bel") == SearchQuery("Möbel"))
        #expect(SearchQuery("й") == SearchQuery("и\u{306}"))
        // A combining mark on its own (after a separator) is not a word.
        #expect(SearchQuery("\" \u{301}") == nil)
    }

    @Test("umlauts and ß also search their spelled-out form, and the spelled-out form the umlaut")
    func umlauts() {
        #expect(expression("Möbel") == "(\"möbel\"* OR \"moebel\"*)")
        #expect(expression("Moebel") == "(\"moebel\"* OR \"möbel\"*)")
        #expect(expression("Straße") == "(\"straße\"* OR \"strasse\"*)")
        #expect(expression("Strasse") == "(\"strasse\"* OR \"straße\"*)")
        #expect(expression("Übung Kinder") == "(\"übung\"* OR \"uebung\"*) AND \"kinder\"*")
        // "ue" after a vowel or q is a real u + e (Feuer, neue, Bauer, Quelle): no umlaut guessed.
        for word in ["feuerwehr", "neue", "bauer", "quelle", "mobel", "hund"] {
            #expect(expression(word) == "\"\(word)\"*", "\(word)")
        }
    }

    @Test("every expression, from any input, is valid FTS5 and uses no operator but AND and OR")
    func alwaysValidFTS5() throws {
        let database = try DatabaseQueue()
        try database.write { db in
            try db.execute(
                sql: """
                    CREATE VIRTUAL TABLE t USING fts5(title, summary, tokenize = 'unicode61 remove_diacritics 2');
                    INSERT INTO t VALUES ('Möbel für die Familie', 'Hundebetreuung und Garten');
                    """)
        }
        var inputs = [
            "\"", "*", "NEAR(", "NEAR(a b)", "title:x", "-x", "^x", "a OR", "AND", "(", ")", "a\"b", "x:y:z",
            "{title}: x", "\"a\"*\"b\"", "\u{0}", "a\u{0}b", "Möbel", "Moebel", "🐶", "ٍ", "\u{301}a", "a\u{200D}b",
            "İ", "ß", "ẞ", "ʼ", "м'ясо", "мʼясо", String(repeating: "\"*(", count: 3000),
        ]
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("aäöüßAZ09 \"*-:^()+{}.,;NEAROTD\u{301}\u{200D}🐶й中م")
        for _ in 0..<300 {
            inputs.append(
                String((0..<Int.random(in: 1...30, using: &generator)).map { _ in alphabet.randomElement()! }))
        }
        let allowed = try NSRegularExpression(
            pattern: #"^(\(?"[^"]+"\*( OR "[^"]+"\*)*\)?)( AND \(?"[^"]+"\*( OR "[^"]+"\*)*\)?)*$"#)
        for input in inputs {
            guard let expression = SearchQuery(input)?.matchExpression else { continue }
            let range = NSRange(expression.startIndex..., in: expression)
            #expect(allowed.firstMatch(in: expression, range: range) != nil, "\(expression)")
            #expect(throws: Never.self, "\(input.debugDescription) → \(expression)") {
                try database.read { db in
                    _ = try Int.fetchAll(db, sql: "SELECT rowid FROM t WHERE t MATCH ?", arguments: [expression])
                }
            }
        }
    }

    @Test("a prefix finds the longer word, case and diacritics folded by the index")
    func prefixFindsCompounds() throws {
        let database = try DatabaseQueue()
        let rows = try database.write { db -> [String: [Int64]] in
            try db.execute(
                sql: """
                    CREATE VIRTUAL TABLE t USING fts5(title, tokenize = 'unicode61 remove_diacritics 2');
                    INSERT INTO t (rowid, title) VALUES (1, 'Hundebetreuung gesucht'), (2, 'Möbel'), (3, 'mobel'),
                        (4, 'Moebel'), (5, 'Straße'), (6, 'Допомога дітям');
                    """)
            var found: [String: [Int64]] = [:]
            for text in ["Hund", "Möbel", "mobel", "Moebel", "Strasse", "ДІТ"] {
                found[text] = try Int64.fetchAll(
                    db, sql: "SELECT rowid FROM t WHERE t MATCH ? ORDER BY rowid",
                    arguments: [SearchQuery(text)!.matchExpression])
            }
            return found
        }
        #expect(rows["Hund"] == [1])
        #expect(rows["Möbel"] == [2, 3, 4])
        #expect(rows["mobel"] == [2, 3])
        #expect(rows["Moebel"] == [2, 3, 4])
        #expect(rows["Strasse"] == [5])
        #expect(rows["ДІТ"] == [6])
    }
}
