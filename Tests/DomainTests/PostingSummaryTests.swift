import Domain
import Foundation
import Testing

/// The summary of a description reads only as many lines as it needs; it must still be exactly what joining
/// the whole text and cutting it would give.
@Suite("Posting summaries")
struct PostingSummaryTests {
    /// The whole text flattened first, then cut: the definition the summary must keep.
    static func reference(_ description: String) -> String {
        let limit = PostingLimits.summary
        let flat = description.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }.joined(separator: " ")
        guard flat.count > limit else { return flat }
        let cut = flat.prefix(limit - 1)
        let atWord = cut.lastIndex(of: " ").map { cut[..<$0] } ?? cut
        return atWord.trimmingCharacters(in: .whitespaces.union(.punctuationCharacters)) + "…"
    }

    static let descriptions: [String] = {
        let word = "Nachbarschaftshilfe"
        let line = Array(repeating: word, count: 3).joined(separator: " ")
        var texts = [
            "", "kurz", "  \n\n  eingerückt  \n", String(repeating: "a", count: 199),
            String(repeating: "a", count: 200),
            String(repeating: "a", count: 201), String(repeating: "ab ", count: 120),
            Array(repeating: line, count: 40).joined(separator: "\n"),
            Array(repeating: line, count: 40).joined(separator: "\r\n\r\n"),
            // A line starting with a combining mark merges with the joining space into one character.
            Array(repeating: "\u{301}" + line, count: 40).joined(separator: "\n"),
            Array(repeating: "\u{301}\u{301}\u{301}", count: 120).joined(separator: "\n"),
            "„Zitat“ am Anfang, " + String(repeating: "Wort ", count: 60),
            "Umbrüche\u{2028}auch\u{85}solche\u{0B}und" + String(repeating: " Text", count: 50),
        ]
        // Lengths around the limit, in one line and spread over lines.
        for length in 190...210 {
            texts.append(String(repeating: "x", count: length))
            texts.append(
                String(repeating: "y", count: length / 2) + "\n" + String(repeating: "z", count: length - length / 2))
        }
        return texts
    }()

    @Test("the same summary as flattening the whole description", arguments: descriptions)
    func summaryMatchesTheDefinition(_ description: String) {
        let summary = PostingSummary.make(from: description)
        #expect(summary == Self.reference(description))
        #expect(PostingSummary.isDerived(summary, from: description))
        #expect(!PostingSummary.isDerived(summary + "!", from: description))
    }
}
