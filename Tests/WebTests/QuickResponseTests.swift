import Foundation
import HTTPServer
import HTTPTypes
import Testing
import WebTestSupport

@testable import Web

/// `/healthz` and static files are answered on the connection's thread (`Application.respondQuickly`);
/// the answer must be exactly what the worker path gives, and everything else must go to the workers.
@Suite struct QuickResponseTests {
    let app: TestApp

    init() throws {
        app = try TestApp.make(seeded: false)
    }

    func request(_ target: String, method: HTTPRequest.Method = .get, headers: HTTPFields = [:]) -> ServerRequest {
        ServerRequest(
            head: HTTPRequest(
                method: method, scheme: "http", authority: "localhost:8080", path: target, headerFields: headers),
            body: [], remoteAddress: "127.0.0.1")
    }

    @Test(arguments: [
        "/healthz", "/healthz/", "/static/css/site.css", "/static/img/logo.svg", "/static/css/../css/site.css",
    ])
    func quickAnswers_equalTheWorkersAnswers(_ target: String) throws {
        for headers: HTTPFields in [[:], [.acceptEncoding: "gzip"]] {
            let quick = try #require(app.application.respondQuickly(to: request(target, headers: headers)))
            let full = app.application.respond(to: request(target, headers: headers))
            #expect(quick.status == full.status)
            #expect(quick.body == full.body)
            #expect(quick.headerFields == full.headerFields)
        }
        let head = try #require(app.application.respondQuickly(to: request(target, method: .head)))
        #expect(head.status == app.application.respond(to: request(target, method: .head)).status)
        #expect(head.headerFields[.contentSecurityPolicy] != nil, "every answer carries the security fields")
    }

    @Test(arguments: [
        "/", "/ehrenamt", "/en/healthz", "/static/nicht-da.css", "/suche?q=a",
    ])
    func everythingElse_goesToTheWorkers(_ target: String) {
        #expect(app.application.respondQuickly(to: request(target)) == nil)
    }

    @Test func postsGoToTheWorkers() {
        #expect(app.application.respondQuickly(to: request("/healthz", method: .post)) == nil)
    }
}
