import Foundation

/// What a resident typed into the search field, reduced to words that FTS5 can only read as words.
///
/// The text is split into words of letters, digits and combining marks (any script; after Unicode NFC
/// normalisation); everything else — spaces, punctuation, quotes, `*`, `-`, `:`, `^`, brackets, emoji — only
/// separates words. Words are lowercased, duplicates dropped, at most `maximumWordCount` words of at most
/// `maximumWordLength` characters are kept (longer ones are cut, still matching as a prefix). `NEAR`, `AND`,
/// `OR` and `NOT` are ordinary words here. See `matchExpression` for what FTS5 is given.
public struct SearchQuery: Sendable, Hashable {
    public static let maximumWordCount = 8
    public static let maximumWordLength = 40

    /// The words searched for, lowercased, in the order typed.
    public let words: [String]

    /// Nil when the text holds no word (empty, only spaces, punctuation or emoji): nothing is searched then.
    public init?(_ text: String) {
        let words = Self.words(in: text)
        guard !words.isEmpty else { return nil }
        self.words = words
    }

    /// The FTS5 MATCH expression: every word as a quoted string with a prefix star (`"hund"*`, so "Hund" finds
    /// "Hundebetreuung"), all words required (`AND`). A word with an umlaut or ß also matches its spelled-out
    /// form, and a spelled-out one (`oe`, `ss`, …) the umlaut: `("möbel"* OR "moebel"*)`. The index's tokenizer
    /// (`unicode61 remove_diacritics 2`) folds case and diacritics, so "Möbel" also finds "mobel". Only quoted
    /// strings, `*`, `AND`, `OR` and parentheses ever appear, so the expression cannot be an FTS5 syntax error.
    public var matchExpression: String {
        words.map { word in
            let phrases = Self.spellings(of: word).map {
                "\"" + $0.replacingOccurrences(of: "\"", with: "\"\"") + "\"*"
            }
            return phrases.count == 1 ? phrases[0] : "(" + phrases.joined(separator: " OR ") + ")"
        }.joined(separator: " AND ")
    }

    static func words(in text: String) -> [String] {
        // Enough scalars for 40 characters with a mark or two each; the rest of a longer word is skipped, so
        // 10 KB of one word costs no more than a short one.
        let scalarLimit = maximumWordLength * 4
        var words: [String] = []
        var seen = Set<String>()
        var current = String.UnicodeScalarView()
        var scalarCount = 0
        var hasLetterOrDigit = false
        func addCurrentWord() {
            guard hasLetterOrDigit else { return }
            let word = String(String(current).lowercased().prefix(maximumWordLength))
            if seen.insert(word).inserted { words.append(word) }
        }
        for scalar in text.precomposedStringWithCanonicalMapping.unicodeScalars {
            let isLetterOrDigit: Bool
            switch scalar.properties.generalCategory {
            case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter, .decimalNumber,
                .letterNumber, .otherNumber:
                isLetterOrDigit = true
            case .nonspacingMark, .spacingMark, .enclosingMark:
                // A mark belongs to the word it sits on; alone (after a separator) it makes no word.
                isLetterOrDigit = false
            default:
                addCurrentWord()
                if words.count == maximumWordCount { return words }
                current = String.UnicodeScalarView()
                scalarCount = 0
                hasLetterOrDigit = false
                continue
            }
            if scalarCount < scalarLimit {
                current.append(scalar)
                scalarCount += 1
                hasLetterOrDigit = hasLetterOrDigit || isLetterOrDigit
            }
        }
        addCurrentWord()
        return words
    }

    /// The word, then its other German spellings: umlauts and ß spelled out (ä → ae, ß → ss), and spelled-out
    /// umlauts written as umlauts (oe → ö, ss → ß). `ae`/`oe`/`ue` after a vowel, and `ue` after q, are left
    /// alone: Feuer, neue, Bauer and Quelle have no umlaut.
    static func spellings(of word: String) -> [String] {
        var result = [word]
        for alternative in [spelledOut(word), contracted(word)] where !result.contains(alternative) {
            result.append(alternative)
        }
        return result
    }

    private static func spelledOut(_ word: String) -> String {
        var text = ""
        for character in word {
            switch character {
            case "ä": text += "ae"
            case "ö": text += "oe"
            case "ü": text += "ue"
            case "ß": text += "ss"
            default: text.append(character)
            }
        }
        return text
    }

    private static func contracted(_ word: String) -> String {
        let characters = Array(word)
        let vowels: Set<Character> = ["a", "e", "i", "o", "u", "y", "ä", "ö", "ü"]
        var text = ""
        var index = 0
        while index < characters.count {
            let character = characters[index]
            let next = index + 1 < characters.count ? characters[index + 1] : nil
            let previous = index > 0 ? characters[index - 1] : nil
            let afterVowel = previous.map { vowels.contains($0) } ?? false
            switch (character, next) {
            case ("a", "e") where !afterVowel: text += "ä"
            case ("o", "e") where !afterVowel: text += "ö"
            case ("u", "e") where !afterVowel && previous != "q": text += "ü"
            case ("s", "s"): text += "ß"
            default:
                text.append(character)
                index += 1
                continue
            }
            index += 2
        }
        return text
    }
}
