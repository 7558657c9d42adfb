import Foundation
import Testing
import WebTestSupport

/// Follows every internal link from the start page: no link may lead to an error.
@Suite("Crawl")
struct CrawlTests {
    @Test("every page reachable from / answers 200, and no link is broken")
    func crawlFromHome() throws {
        let app = try TestApp.make()
        var queue = ["/"]
        var seen: Set<String> = ["/"]
        var failures: [String] = []
        var visited = 0
        // Bounded: the demo site has a few thousand distinct URLs at most.
        while !queue.isEmpty, visited < 6000 {
            let path = queue.removeFirst()
            let response = app.get(path)
            visited += 1
            // A link to a page for logged-in people (a posting form linked from the easy-language page)
            // leads to the login page of the same language, with a way back.
            if response.status == 303, let location = response.location, location.contains("/anmelden?weiter=") {
                if seen.insert(location).inserted { queue.append(location) }
                continue
            }
            if response.status != 200 {
                failures.append("\(path) → \(response.status)")
                continue
            }
            guard response.headerFields[.contentType]?.hasPrefix("text/html") == true else { continue }
            let keys = response.unresolvedLocalizationKeys
            if !keys.isEmpty { failures.append("\(path) shows localization keys \(keys)") }
            let levels = PageTests.headingLevels(response.body)
            if levels.first != 1 || zip(levels, levels.dropFirst()).contains(where: { $1 > $0 + 1 }) {
                failures.append("\(path) has headings out of order: \(levels)")
            }
            for link in response.links where link.hasPrefix("/") && !link.hasPrefix("//") {
                let target = String(link.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)[0])
                if !target.isEmpty, seen.insert(target).inserted { queue.append(target) }
            }
        }
        #expect(failures.isEmpty, "\(failures.prefix(20))")
        #expect(queue.isEmpty, "crawl stopped at its bound with \(queue.count) links left")
        #expect(visited > 400, "the crawl should reach every listing, event and organisation")
    }
}
