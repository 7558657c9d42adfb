import Foundation
import HTTPTypes
import Logging
import Testing

@testable import HTTPServer

/// Socket tests against a real server on 127.0.0.1, port 0.
@Suite struct ServerSocketTests {
    @Test func hundredSequentialRequests_shareOneKeepAliveConnection() throws {
        try withServer(handler: { request in .text("path=\(request.path)") }) { server in
            let client = try TestClient(port: server.port)
            defer { client.close() }
            var answers: [String] = []
            for index in 0..<100 {
                let response = try client.request(get("/n/\(index)"))
                answers.append("\(response.status) \(response.text) \(response.header("Connection") ?? "-")")
            }
            #expect(answers == (0..<100).map { "200 path=/n/\($0) -" })
        }
    }

    @Test func connectionClose_isAnsweredThenClosed() throws {
        try withServer { server in
            let client = try TestClient(port: server.port)
            defer { client.close() }
            let response = try client.request(get("/", "Connection: close\r\n"))
            #expect(response.status == 200)
            #expect(response.header("Connection") == "close")
            #expect(try client.waitForClose())
        }
    }

    @Test func http10WithoutKeepAlive_closesAfterResponse() throws {
        try withServer { server in
            let client = try TestClient(port: server.port)
            defer { client.close() }
            let response = try client.request("GET / HTTP/1.0\r\n\r\n")
            #expect(response.status == 200)
            #expect(response.header("Connection") == "close")
            #expect(try client.waitForClose())
        }
    }

    @Test func http10WithKeepAlive_staysOpen() throws {
        try withServer { server in
            let client = try TestClient(port: server.port)
            defer { client.close() }
            for _ in 0..<3 {
                let response = try client.request("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
                #expect(response.status == 200)
                #expect(response.header("Connection") == "keep-alive")
            }
        }
    }

    @Test func head_hasGetContentLengthButNoBody() throws {
        let body = String(repeating: "x", count: 500)
        try withServer(handler: { _ in .text(body) }) { server in
            let client = try TestClient(port: server.port)
            defer { client.close() }
            let head = try client.request(get("/", method: "HEAD"), bodyless: true)
            #expect(head.status == 200)
            #expect(head.header("Content-Length") == "500")
            #expect(head.header("Content-Type") == "text/plain; charset=utf-8")
            // If the server had sent a body, its bytes would precede the next status line.
            let next = try client.request(get("/"))
            #expect(next.status == 200)
            #expect(next.text == body)
        }
    }

    @Test func everyResponse_carriesDateLengthTypeAndRequestId() throws {
        let seenIDs = Locked<[String]>([])
        try withServer(handler: { request in
            seenIDs.withLock { $0.append(request.id) }
            return ServerResponse(status: .ok, body: Array("raw".utf8))
        }) { server in
            let client = try TestClient(port: server.port)
            defer { client.close() }
            let response = try client.request(get("/"))
            let date = try #require(response.header("Date"))
            #expect(HTTPDate.parse(date) != nil)
            #expect(response.header("Content-Length") == "3")
            #expect(response.header("Content-Type") == "application/octet-stream")
            let id = try #require(response.header("X-Request-Id"))
            #expect(id.count == 12)
            #expect(seenIDs.withLock { $0 } == [id])
            let second = try client.request(get("/"))
            #expect(second.header("X-Request-Id") != id)
        }
    }

    @Test func emptyBody_getsContentLengthZeroAndNoContentType() throws {
        try withServer(handler: { _ in ServerResponse(status: .ok) }) { server in
            let client = try TestClient(port: server.port)
            defer { client.close() }
            let response = try client.request(get("/"))
            #expect(response.header("Content-Length") == "0")
            #expect(response.header("Content-Type") == nil)
        }
    }

    @Test func handlerOwnedHopByHopFields_areReplacedByTheServers() throws {
        try withServer(handler: { _ in
            var fields = HTTPFields()
            fields[.contentLength] = "999"
            fields[.connection] = "close"
            fields[.contentType] = "text/html; charset=utf-8"
            return ServerResponse(status: .ok, headerFields: fields, body: Array("<p>".utf8))
        }) { server in
            let client = try TestClient(port: server.port)
            defer { client.close() }
            let response = try client.request(get("/"))
            #expect(response.headers("Content-Length") == ["3"])
            #expect(response.header("Connection") == nil)
            #expect(try client.request(get("/")).status == 200)
        }
    }

    @Test func pipelinedRequestsInOneWrite_areAnsweredInOrder() throws {
        try withServer(handler: { request in
            // The first request is slower, so answering out of order would show.
            if request.path == "/slow" { Thread.sleep(forTimeInterval: 0.05) }
            return .text("answer \(request.path)")
        }) { server in
            let client = try TestClient(port: server.port)
            defer { client.close() }
            try client.send(get("/slow") + get("/fast") + get("/last", "Connection: close\r\n"))
            #expect(try client.readResponse().text == "answer /slow")
            #expect(try client.readResponse().text == "answer /fast")
            let last = try client.readResponse()
            #expect(last.text == "answer /last")
            #expect(last.header("Connection") == "close")
            #expect(try client.waitForClose())
        }
    }

    @Test func concurrentClients_eachGetTheirOwnAnswers() throws {
        try withServer(handler: { request in .text("answer \(request.path)") }) { server in
            let port = server.port
            let failures = Locked<[String]>([])
            DispatchQueue.concurrentPerform(iterations: 12) { clientIndex in
                do {
                    let client = try TestClient(port: port)
                    defer { client.close() }
                    for requestIndex in 0..<10 {
                        let path = "/c\(clientIndex)/r\(requestIndex)"
                        let response = try client.request(get(path))
                        if response.text != "answer \(path)" { failures.withLock { $0.append(path) } }
                    }
                } catch {
                    failures.withLock { $0.append("client \(clientIndex): \(error)") }
                }
            }
            #expect(failures.withLock { $0 }.isEmpty)
        }
    }

    @Test func requestBody_reachesTheHandler() throws {
        try withServer(handler: { request in
            .text("got \(request.body.count): \(String(decoding: request.body, as: UTF8.self))")
        }) {
            server in
            let client = try TestClient(port: server.port)
            defer { client.close() }
            let response = try client.request("POST /form HTTP/1.1\r\nHost: a\r\nContent-Length: 9\r\n\r\nname=Anna")
            #expect(response.text == "got 9: name=Anna")
        }
    }

    @Test func expect100Continue_getsInterimResponseThenFinalOne() throws {
        try withServer(handler: { request in .text("\(request.body.count)") }) { server in
            let client = try TestClient(port: server.port)
            defer { client.close() }
            try client.send("POST / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n")
            #expect(try client.readResponse().status == 100)
            try client.send("data")
            #expect(try client.readResponse().text == "4")
        }
    }

    @Test func largeResponse_arrivesCompleteThroughPartialWrites() throws {
        var body = [UInt8](repeating: 0, count: 2 * 1024 * 1024)
        body.withUnsafeMutableBufferPointer { bytes in
            for index in bytes.indices { bytes[index] = UInt8(truncatingIfNeeded: index &* 31 &+ index >> 11) }
        }
        try withServer(handler: { [body] _ in ServerResponse(status: .ok, body: body, isCompressible: false) }) {
            server in
            // A tiny receive window makes the server's send() hit EAGAIN and resume from a write source.
            let client = try TestClient(port: server.port, receiveBufferSize: 4096)
            defer { client.close() }
            try client.send(get("/"))
            Thread.sleep(forTimeInterval: 0.1)
            let response = try client.readResponse()
            #expect(response.body.count == body.count)
            #expect(response.body.elementsEqual(body))
            #expect(try client.request(get("/")).body.count == body.count)
        }
    }

    // MARK: - Limits and bad requests

    struct RejectionCase: Sendable, CustomTestStringConvertible {
        var name: String
        var request: String
        var status: Int
        var testDescription: String { name }
    }

    static let rejections: [RejectionCase] = [
        RejectionCase(
            name: "long request line",
            request: "GET /\(String(repeating: "a", count: 9000)) HTTP/1.1\r\nHost: a\r\n\r\n", status: 414),
        RejectionCase(
            name: "long header field", request: get("/", "X-Big: \(String(repeating: "b", count: 9000))\r\n"),
            status: 431),
        RejectionCase(
            name: "too many header fields", request: get("/", (0..<101).map { "X-\($0): 1\r\n" }.joined()),
            status: 431),
        RejectionCase(
            name: "header block too long",
            request: get("/", (0..<10).map { "X-\($0): \(String(repeating: "c", count: 4000))\r\n" }.joined()),
            status: 431),
        RejectionCase(
            name: "body too large",
            request: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 2000000\r\n\r\n"
                + String(repeating: "d", count: 50000), status: 413),
        RejectionCase(name: "missing Host", request: "GET / HTTP/1.1\r\n\r\n", status: 400),
        RejectionCase(
            name: "garbage", request: "\u{16}\u{03}\u{01}\u{02}\u{00}\u{01}\u{00}\u{01}\u{fc}\r\n\r\n", status: 400),
        RejectionCase(
            name: "unsupported transfer coding",
            request: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\n", status: 501),
        RejectionCase(name: "HTTP/2.0", request: "GET / HTTP/2.0\r\nHost: a\r\n\r\n", status: 505),
    ]

    @Test(arguments: rejections)
    func badRequest_getsStatusAndClose_andServerStillServes(_ rejection: RejectionCase) throws {
        let handled = Locked(0)
        try withServer(handler: { _ in
            handled.withLock { $0 += 1 }
            return .text("ok")
        }) { server in
            let client = try TestClient(port: server.port)
            defer { client.close() }
            try client.send(rejection.request)
            let response = try client.readResponse()
            #expect(response.status == rejection.status)
            #expect(response.header("Connection") == "close")
            #expect(response.header("Content-Length") == "\(response.body.count)")
            #expect(response.header("Date") != nil)
            #expect(try client.waitForClose())

            let fresh = try TestClient(port: server.port)
            defer { fresh.close() }
            #expect(try fresh.request(get("/")).text == "ok")
            #expect(handled.withLock { $0 } == 1)
        }
    }

    @Test func idleKeepAliveConnection_isClosedAfterIdleTimeout() throws {
        try withServer(testConfiguration { $0.keepAliveIdleTimeout = 0.2 }) { server in
            let client = try TestClient(port: server.port)
            defer { client.close() }
            #expect(try client.request(get("/")).status == 200)
            #expect(try client.waitForClose())
        }
    }

    // MARK: - Logging

    @Test func accessLog_hasOneInfoLinePerRequestWithoutBodiesOrHeaders() throws {
        let capture = CapturingLogHandler()
        let logger = Logger(label: "test") { _ in capture }
        try withServer(logger: logger, handler: { _ in .text("secret body") }) { server in
            let client = try TestClient(port: server.port)
            defer { client.close() }
            let response = try client.request(get("/seite?q=privat", "Cookie: session=geheim\r\n"))
            let id = try #require(response.header("X-Request-Id"))
            let lines = capture.entries.filter { $0.metadata["request-id"] == .string(id) }
            #expect(lines.count == 1)
            let line = try #require(lines.first)
            #expect(line.level == .info)
            #expect(line.message.hasPrefix("GET /seite 200 11 B "))
            #expect(line.message.hasSuffix(" ms"))
            #expect(line.metadata["status"] == "200")
            #expect(line.metadata["bytes"] == "11")
            #expect(line.metadata["duration-ms"] != nil)
            let everything = capture.entries.map { "\($0.message) \($0.metadata)" }.joined()
            #expect(!everything.contains("geheim"))
            #expect(!everything.contains("secret body"))
            #expect(!everything.contains("privat"))
        }
    }

    // MARK: - Binding

    @Test func bindingATakenPort_throwsDescriptiveError() throws {
        try withServer { server in
            let second = Server(
                configuration: testConfiguration { $0.port = server.port }, logger: silentLogger,
                handler: { _ in .text("") }
            )
            #expect {
                try second.start()
            } throws: { error in
                guard let serverError = error as? ServerError, case .bind = serverError else { return false }
                return serverError.description.contains("\(server.port)")
                    && serverError.description.contains("in use")
            }
            second.shutdown()
        }
    }

    @Test func unresolvableHost_throwsResolutionError() {
        let server = Server(
            configuration: testConfiguration { $0.host = "no-such-host.invalid" }, logger: silentLogger,
            handler: { _ in .text("") }
        )
        #expect(throws: ServerError.self) { try server.start() }
    }

    @Test func startTwice_throws() throws {
        try withServer { server in
            #expect(throws: ServerError.self) { try server.start() }
        }
    }

    @Test func localhost_isServedOnIPv4() throws {
        try withServer(testConfiguration { $0.host = "localhost" }) { server in
            let client = try TestClient(port: server.port, host: "127.0.0.1")
            defer { client.close() }
            #expect(try client.request(get("/")).status == 200)
        }
    }

    @Test func ipv6Loopback_isServedWhenAvailable() throws {
        let server = Server(configuration: testConfiguration { $0.host = "::1" }, logger: silentLogger) { _ in
            .text("v6")
        }
        do {
            try server.start()
        } catch {
            // No IPv6 on this machine: nothing to test.
            return
        }
        defer { server.shutdown() }
        let client = try TestClient(port: server.port, host: "::1")
        defer { client.close() }
        #expect(try client.request(get("/")).text == "v6")
    }
}

/// A value behind a lock, for handlers that record what they saw.
final class Locked<Value>: @unchecked Sendable {
    // `lock` guards `value`.
    private let lock = NSLock()
    private var value: Value

    init(_ value: Value) { self.value = value }

    func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}
