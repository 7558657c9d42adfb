import Foundation
import HTTPServer
import HTTPTypes
import Testing

@testable import Web

@Suite struct CookieAndOriginTests {
    func fields(_ pairs: [(HTTPField.Name, String)]) -> HTTPFields {
        var fields = HTTPFields()
        for (name, value) in pairs { fields.append(HTTPField(name: name, value: value)) }
        return fields
    }

    @Test func cookieValue_isFoundAmongOthers() {
        let header = fields([(.cookie, "a=1; __Host-session=abc;b=2")])
        #expect(Cookies.value("__Host-session", in: header) == "abc")
        #expect(Cookies.value("session", in: header) == nil)
    }

    @Test func cookieNamedTwice_isNotBelieved() {
        #expect(Cookies.value("x", in: fields([(.cookie, "x=1; x=2")])) == nil)
        #expect(Cookies.value("x", in: fields([(.cookie, "x=1"), (.cookie, "x=2")])) == nil)
    }

    func request(_ pairs: [(HTTPField.Name, String)], authority: String = "localhost:8080") -> ServerRequest {
        ServerRequest(
            head: HTTPRequest(
                method: .post, scheme: "http", authority: authority, path: "/", headerFields: fields(pairs)))
    }

    @Test(arguments: [
        ("same-origin", true), ("none", true), ("same-site", false), ("cross-site", false), ("CROSS-SITE", false),
    ])
    func fetchMetadata_decides(_ site: String, _ allowed: Bool) {
        let secFetchSite = HTTPField.Name("Sec-Fetch-Site")!
        let result = CSRFGuard.originAllows(
            request([(secFetchSite, site), (.origin, "http://localhost:8080")]), publicBaseURL: "http://localhost:8080")
        #expect(result == allowed)
    }

    @Test func origin_mustBeOursWhenThereIsNoFetchMetadata() {
        let base = "https://ehrenamt.kreis-lippe.de"
        #expect(CSRFGuard.originAllows(request([(.origin, "https://ehrenamt.kreis-lippe.de")]), publicBaseURL: base))
        #expect(CSRFGuard.originAllows(request([(.origin, "http://localhost:8080")]), publicBaseURL: base))
        #expect(
            !CSRFGuard.originAllows(
                request([(.origin, "https://ehrenamt.kreis-lippe.de.evil.example")]), publicBaseURL: base))
        #expect(!CSRFGuard.originAllows(request([(.origin, "null")]), publicBaseURL: base))
        #expect(CSRFGuard.originAllows(request([]), publicBaseURL: base), "no header: the token decides")
    }

    @Test func formGuard_tellsBotsFromPeople() {
        let guardian = FormGuard(minimumFillTime: 3)
        let start = TestTimes.start
        let stamp = guardian.stamp(now: start)
        #expect(guardian.check(honeypot: "", stamp: stamp, now: start.addingTimeInterval(10)) == .passed)
        #expect(guardian.check(honeypot: nil, stamp: stamp, now: start.addingTimeInterval(1)) == .tooFast)
        #expect(
            guardian.check(honeypot: "http://spam", stamp: stamp, now: start.addingTimeInterval(10)) == .honeypotFilled)
        #expect(guardian.check(honeypot: "", stamp: nil, now: start) == .staleForm)
        // An older time with the same signature, to pass the fill-time check: refused.
        let forged = String(Int(start.timeIntervalSince1970) - 100) + "." + stamp.split(separator: ".")[1]
        #expect(guardian.check(honeypot: "", stamp: forged, now: start.addingTimeInterval(1)) == .staleForm)
        #expect(guardian.check(honeypot: "", stamp: stamp, now: start.addingTimeInterval(25 * 3600)) == .staleForm)
        #expect(
            FormGuard(minimumFillTime: 3).check(honeypot: "", stamp: stamp, now: start.addingTimeInterval(10))
                == .staleForm, "another process's key")
    }
}

enum TestTimes {
    static let start = Date(timeIntervalSince1970: 1_790_000_000)
}
