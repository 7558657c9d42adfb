import Foundation
import Testing

@testable import HTTPServer

/// Deadlines for the whole head, the whole body and the whole response, the idle timeout and the
/// request cap, against a real server on 127.0.0.1 port 0.
///
/// Deadlines are tiny (0.3–0.5 s) so the tests are quick; every wait has a generous upper bound
/// that only prevents a hang, and nothing asserts how fast anything happened.
@Suite struct DeadlineTests {
    /// A slow client's opening bytes and what it then trickles, one unit per 100 ms.
    struct Trickle: Sendable, CustomTestStringConvertible {
        var name: String
        var opening: String
        var unit: String
        var testDescription: String { name }
    }

    static let slowHeads: [Trickle] = [
        Trickle(name: "request line byte by byte", opening: "GET /", unit: "a"),
        Trickle(name: "header value byte by byte", opening: "GET / HTTP/1.1\r\nHost: a\r\nX-Slow: ", unit: "b"),
        Trickle(name: "a header line at a time", opening: "GET / HTTP/1.1\r\nHost: a\r\n", unit: "X-a: b\r\n"),
    ]

    /// Sends `unit` every 100 ms until the server answers (or 100 units, 10 s, have gone unanswered).
    /// Returns how many units were sent.
    private func trickle(_ unit: String, to client: TestClient) -> Int {
        let bytes = Array(unit.utf8)
        var sent = 0
        while !client.isReadable(within: 0.1), sent < 100 {
            _ = client.sendOnce(bytes[...])
            sent += 1
        }
        return sent
    }

    @Test(arguments: slowHeads)
    func slowloris_isCutAtTheHeadDeadlineWith408(_ slow: Trickle) throws {
        let counter = RequestCounter()
        let configuration = testConfiguration {
            $0.headDeadline = 0.5
            $0.keepAliveIdleTimeout = 30
        }
        try withCheckedServer(
            configuration,
            handler: { request in
                counter.record(request)
                return .text("ok")
            }
        ) { server in
            let client = try TestClient(port: server.port)
            defer { client.close() }
            try client.send(slow.opening)
            // Every unit arrives well within 0.5 s of the previous one: a per-read timeout would never
            // fire, only a deadline for the whole head does.
            let sent = trickle(slow.unit, to: client)
            #expect(sent < 100, "answered before the trickle gave up")
            let response = try client.readResponse()
            #expect(response.status == 408)
            #expect(response.header("Connection") == "close")
            #expect(try client.waitForClose())
            #expect(counter.value == 0)
        }
    }

    @Test(arguments: [false, true])
    func slowBody_isCutAtTheBodyDeadlineWith408(expectContinue: Bool) throws {
        let counter = RequestCounter()
        let configuration = testConfiguration {
            $0.bodyDeadline = 0.5
            $0.headDeadline = 30
            $0.keepAliveIdleTimeout = 30
        }
        try withCheckedServer(
            configuration,
            handler: { request in
                counter.record(request)
                return .text("ok")
            }
        ) { server in
            let client = try TestClient(port: server.port)
            defer { client.close() }
            let expect = expectContinue ? "Expect: 100-continue\r\n" : ""
            try client.send("POST /form HTTP/1.1\r\nHost: a\r\nContent-Length: 1000\r\n\(expect)\r\n")
            if expectContinue { #expect(try client.readResponse().status == 100) }
            try client.send("0123456789")
            let sent = trickle("x", to: client)
            #expect(sent < 100, "answered before the trickle gave up")
            let response = try client.readResponse()
            #expect(response.status == 408)
            #expect(response.header("Connection") == "close")
            #expect(try client.waitForClose())
            #expect(counter.value == 0)
        }
    }

    @Test func deadlines_followTheRequestPhases() throws {
        let release = DispatchSemaphore(value: 0)
        let configuration = testConfiguration {
            $0.headDeadline = 20
            $0.bodyDeadline = 25
            $0.keepAliveIdleTimeout = 30
        }
        try withCheckedServer(
            configuration,
            handler: { request in
                if request.path == "/hold" { _ = release.wait(timeout: .now() + 10) }
                return .text("ok")
            }
        ) { checked in
            let server = checked.server
            func deadline() -> Connection.Deadline? { server.connectionStatistics.first?.deadline }
            let client = try TestClient(port: checked.port)
            defer { client.close() }
            #expect(eventually { deadline() == .idle }, "fresh connection waits for its first byte")
            try client.send("POST /hold HTTP/1.1\r\nHost: a\r\n")
            #expect(eventually { deadline() == .head }, "head deadline from the first byte")
            try client.send("Content-Length: 4\r\n\r\nab")
            #expect(eventually { deadline() == .body }, "body deadline once the head is complete")
            try client.send("cd")
            #expect(eventually { deadline() == Connection.Deadline.none }, "no deadline while the handler runs")
            release.signal()
            #expect(try client.readResponse().status == 200)
            #expect(eventually { deadline() == .idle }, "idle keep-alive after the response")
        }
    }

    @Test func slowHandler_isNotCutByAnyDeadline() throws {
        let configuration = testConfiguration {
            $0.headDeadline = 0.2
            $0.bodyDeadline = 0.2
            $0.sendDeadline = 0.2
            $0.keepAliveIdleTimeout = 0.2
        }
        try withCheckedServer(
            configuration,
            handler: { request in
                if request.path == "/slow" { Thread.sleep(forTimeInterval: 0.6) }
                return .text("done")
            }
        ) { server in
            let client = try TestClient(port: server.port)
            defer { client.close() }
            let response = try client.request("POST /slow HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\nhi")
            #expect(response.status == 200)
            #expect(response.text == "done")
        }
    }

    @Test func freshConnectionWithoutAnyByte_isClosedSilently() throws {
        try withCheckedServer(testConfiguration { $0.headDeadline = 0.3 }) { server in
            let client = try TestClient(port: server.port)
            defer { client.close() }
            // waitForClose is false if any byte (a 408) arrives before the end of stream.
            #expect(try client.waitForClose())
        }
    }

    @Test func idleKeepAliveConnection_isClosedSilentlyAfterTheIdleTimeout() throws {
        let configuration = testConfiguration {
            $0.keepAliveIdleTimeout = 0.3
            $0.headDeadline = 30
        }
        try withCheckedServer(configuration) { server in
            let client = try TestClient(port: server.port)
            defer { client.close() }
            let response = try client.request(get("/"))
            #expect(response.status == 200)
            #expect(response.header("Connection") == nil)
            #expect(try client.waitForClose())
        }
    }

    @Test func requestCap_lastResponseSaysCloseAndTheConnectionCloses() throws {
        try withCheckedServer(testConfiguration { $0.maxRequestsPerConnection = 3 }) { server in
            let client = try TestClient(port: server.port)
            defer { client.close() }
            for _ in 0..<2 {
                let response = try client.request(get("/"))
                #expect(response.status == 200)
                #expect(response.header("Connection") == nil)
            }
            let last = try client.request(get("/"))
            #expect(last.status == 200)
            #expect(last.header("Connection") == "close")
            #expect(try client.waitForClose())
        }
    }

    @Test func requestCap_pipelinedRequestsPastTheCapAreNeverHandled() throws {
        let counter = RequestCounter()
        try withCheckedServer(
            testConfiguration { $0.maxRequestsPerConnection = 3 },
            handler: { request in
                counter.record(request)
                return .text("answer \(request.path)")
            }
        ) { server in
            let client = try TestClient(port: server.port)
            defer { client.close() }
            try client.send((1...5).map { get("/\($0)") }.joined())
            #expect(try client.readResponse().text == "answer /1")
            #expect(try client.readResponse().text == "answer /2")
            let third = try client.readResponse()
            #expect(third.text == "answer /3")
            #expect(third.header("Connection") == "close")
            #expect(try client.waitForClose())
            #expect(counter.value == 3)
        }
    }

    @Test func clientThatNeverReads_isDroppedAfterTheSendDeadline() throws {
        let size = 8 * 1024 * 1024
        let configuration = testConfiguration {
            $0.sendDeadline = 0.5
            $0.keepAliveIdleTimeout = 30
        }
        try withCheckedServer(
            configuration,
            handler: { request in
                request.path == "/big" ? taggedResponse("big", count: size) : .text("ok")
            }
        ) { checked in
            let client = try TestClient(port: checked.port, receiveBufferSize: 4096)
            defer { client.close() }
            try client.send(get("/big"))
            #expect(eventually { checked.server.statistics.openConnections == 1 }, "server took the connection")
            // The client holds its socket open and reads nothing; the server must let go on its own.
            #expect(checked.serverSocketsReturnToBaseline(), "server closed the connection")
            #expect(eventually { checked.server.statistics.openConnections == 0 })
            // What did arrive is cut short: the connection was dropped, not finished.
            #expect(client.drainRaw() < size)
        }
    }
}
