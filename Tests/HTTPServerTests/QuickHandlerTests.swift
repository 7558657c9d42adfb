import Foundation
import HTTPServer
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Requests a `QuickHandler` answers are written from the connection's own thread, in order with those
/// the worker pool answers, with the same framing, limits and keep-alive rules.
@Suite struct QuickHandlerTests {
    /// `/quick…` answered inline, everything else by the pool; both say who answered.
    static let quick: QuickHandler = { request in
        request.path.hasPrefix("/quick") ? .text("quick " + request.path) : nil
    }
    static let handler: Handler = { request in .text("pool " + request.path) }

    @Test func quickAndPooledRequests_pipelined_areAnsweredInOrder() throws {
        try withServer(quickHandler: Self.quick, handler: Self.handler) { server in
            let client = try TestClient(port: server.port)
            defer { client.close() }
            try client.send(get("/quick1") + get("/slow1") + get("/quick2") + get("/quick3") + get("/slow2"))
            for expected in ["quick /quick1", "pool /slow1", "quick /quick2", "quick /quick3", "pool /slow2"] {
                let response = try client.readResponse()
                #expect(response.status == 200)
                #expect(response.text == expected)
            }
            // The connection is still usable afterwards.
            #expect(try client.request(get("/quick4")).text == "quick /quick4")
        }
    }

    @Test func manyPipelinedQuickRequests_inOneWrite_areAllAnswered() throws {
        try withServer(testConfiguration { $0.maxRequestsPerConnection = 10_000 }, quickHandler: Self.quick) { server in
            let client = try TestClient(port: server.port)
            defer { client.close() }
            let count = 2_000
            // Written from another thread while this one reads: the answers fill the socket meanwhile.
            let bytes = Array((0..<count).map { get("/quick\($0)") }.joined().utf8)
            let fd = client.fd
            let writer = Thread {
                var offset = 0
                while offset < bytes.count {
                    let sent = bytes[offset...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
                    if sent <= 0 { return }
                    offset += sent
                }
            }
            writer.start()
            for index in 0..<count {
                let response = try client.readResponse()
                #expect(response.text == "quick /quick\(index)")
                if response.text != "quick /quick\(index)" { break }
            }
        }
    }

    @Test func aQuickAnswer_keepsTheServersHeadersAndConnectionClose() throws {
        try withServer(quickHandler: Self.quick, handler: Self.handler) { server in
            let client = try TestClient(port: server.port)
            defer { client.close() }
            let response = try client.request(get("/quick", "Connection: close\r\n"))
            #expect(response.text == "quick /quick")
            #expect(response.header("Content-Length") == "12")
            #expect(response.header("Date") != nil)
            #expect(response.header("X-Request-Id") != nil)
            #expect(response.header("Connection") == "close")
            #expect(try client.waitForClose())
        }
    }

    @Test func aHeadRequest_answeredQuickly_hasNoBody() throws {
        try withServer(quickHandler: Self.quick, handler: Self.handler) { server in
            let client = try TestClient(port: server.port)
            defer { client.close() }
            let response = try client.request(get("/quick", method: "HEAD"), bodyless: true)
            #expect(response.header("Content-Length") == "12")
            #expect(response.body.isEmpty)
            #expect(try client.request(get("/quick2")).text == "quick /quick2")
        }
    }
}
