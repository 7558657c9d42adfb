import Testing

@testable import HTTPServer

@Suite struct RequestIDTests {
    @Test func idsAreDistinct_andTwelveCharactersOfTheAlphabet() {
        let alphabet = Set("0123456789abcdefghjkmnpqrstvwxyz")
        var seen = Set<String>()
        for _ in 0..<20_000 {
            let id = RequestID.make()
            #expect(id.count == 12 && id.allSatisfy(alphabet.contains), "\(id)")
            seen.insert(id)
        }
        #expect(seen.count == 20_000)
    }

    @Test func consecutiveCounters_doNotLookConsecutive() {
        // The scrambler is a bijection that spreads neighbouring inputs over the whole range.
        let a = RequestID.scrambled(41)
        let b = RequestID.scrambled(42)
        #expect((a ^ b).nonzeroBitCount > 16)
        #expect(Set((0..<1000).map { RequestID.scrambled(UInt64($0)) }).count == 1000)
    }
}
