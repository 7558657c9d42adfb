import Foundation
import HTTPTypes
import Testing

@testable import HTTPServer

#if canImport(Glibc)
    import Glibc
#endif

/// RFC 9112 framing and syntax over a real socket: every case of the conformance corpus is sent as raw
/// bytes to a server on 127.0.0.1 port 0, which must answer with the exact status, close the connection
/// after an error (and only then), and still serve a new connection afterwards.
@Suite struct ConformanceSocketTests {
    /// The corpus limits: body 100 bytes (1000 under `/upload/`), chunk extensions 16, trailers 64.
    static let configuration = testConfiguration {
        $0.maxBodyLength = 100
        $0.maxUploadBodyLength = 1000
        $0.uploadPathPrefixes = ["/upload/"]
        $0.maxChunkExtensionLength = 16
        $0.maxTrailerLength = 64
    }

    /// Runs `body` against a server whose handler answers `METHOD body` and records `METHOD path` of
    /// every request it sees.
    func withRecordingServer(_ body: (Server, Locked<[String]>) throws -> Void) throws {
        let seen = Locked<[String]>([])
        try withServer(
            Self.configuration,
            handler: { request in
                let method = request.head.method.rawValue
                seen.withLock { $0.append("\(method) \(request.head.path ?? "-")") }
                return .text("\(method) \(String(decoding: request.body, as: UTF8.self))")
            }
        ) { server in
            try body(server, seen)
        }
    }

    /// Checks the fixed error response: status, small `text/plain` body, `Connection: close`.
    func expectErrorResponse(_ response: TestResponse, _ status: Int, sourceLocation: SourceLocation = #_sourceLocation)
    {
        #expect(response.status == status, sourceLocation: sourceLocation)
        #expect(response.header("Connection") == "close", sourceLocation: sourceLocation)
        #expect(response.header("Content-Type") == "text/plain; charset=utf-8", sourceLocation: sourceLocation)
        #expect(response.header("Content-Length") == "\(response.body.count)", sourceLocation: sourceLocation)
        #expect(response.text.hasPrefix("\(status) "), sourceLocation: sourceLocation)
        #expect(response.body.count < 64, sourceLocation: sourceLocation)
    }

    /// A new connection gets 200, whatever happened before.
    func expectFreshConnectionServed(_ server: Server, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let fresh = try TestClient(port: server.port)
        defer { fresh.close() }
        let response = try fresh.request(get("/fresh"))
        #expect(response.status == 200, sourceLocation: sourceLocation)
        #expect(response.text == "GET ", sourceLocation: sourceLocation)
    }

    @Test(arguments: ConformanceCase.all)
    func conformanceCase_overTheSocket(_ testCase: ConformanceCase) throws {
        try withRecordingServer { server, seen in
            let client = try TestClient(port: server.port)
            defer { client.close() }
            try client.send(testCase.bytes)
            let isHead = testCase.bytes.starts(with: "HEAD ".utf8)
            let response = try client.readResponse(bodyless: isHead)
            if let status = testCase.status {
                expectErrorResponse(response, status)
                #expect(try client.waitForClose())
                #expect(seen.withLock { $0 }.isEmpty)
            } else {
                #expect(response.status == 200)
                #expect(seen.withLock { $0 }.count == 1)
                if !isHead, let body = testCase.body {
                    let method = String(decoding: testCase.bytes.prefix { $0 != UInt8(ascii: " ") }, as: UTF8.self)
                    #expect(response.text == "\(method) \(body)")
                }
                if testCase.keepAlive {
                    // The framing ended at the right byte: the next request on this connection is answered.
                    #expect(response.header("Connection") == nil)
                    #expect(try client.request(get("/after")).status == 200)
                } else {
                    #expect(response.header("Connection") == "close")
                    #expect(try client.waitForClose())
                }
            }
            try expectFreshConnectionServed(server)
        }
    }

    // MARK: - Request smuggling

    static let smuggling: [String] = [
        // A Content-Length parser reads the hidden request as body; a chunked parser reads it as the next request.
        "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 41\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
        "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nContent-Length: 41\r\n\r\n0\r\n\r\n",
        "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 41\r\nTransfer-Encoding: xchunked\r\n\r\n0\r\n\r\n",
        "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\nTransfer-Encoding : chunked\r\n\r\n0\r\n\r\n",
        "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Length: 41\r\n\r\n0\r\n\r\n",
        "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
    ]

    @Test(arguments: smuggling)
    func smuggledRequest_isNeverProcessed(_ head: String) throws {
        try withRecordingServer { server, seen in
            let client = try TestClient(port: server.port)
            defer { client.close() }
            try client.send(head + "GET /smuggled HTTP/1.1\r\nHost: a\r\n\r\n")
            expectErrorResponse(try client.readResponse(), 400)
            // Exactly one response: the connection closes with no further bytes.
            #expect(try client.waitForClose())
            try expectFreshConnectionServed(server)
            #expect(seen.withLock { $0 } == ["GET /fresh"])
        }
    }

    // MARK: - Expect

    @Test(arguments: [
        ("POST /e HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n", "data"),
        (
            "POST /e HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nTransfer-Encoding: chunked\r\n\r\n",
            "4\r\ndata\r\n0\r\n\r\n"
        ),
    ])
    func expect100Continue_interimArrivesBeforeTheBodyIsSent(_ head: String, _ body: String) throws {
        try withRecordingServer { server, seen in
            let client = try TestClient(port: server.port)
            defer { client.close() }
            try client.send(head)
            // The body has not been sent: only the interim response can arrive now.
            let interim = try client.readResponse()
            #expect(interim.status == 100)
            #expect(interim.reason == "Continue")
            #expect(seen.withLock { $0 }.isEmpty)
            try client.send(body)
            let final = try client.readResponse()
            #expect(final.status == 200)
            #expect(final.text == "POST data")
            #expect(final.header("Connection") == nil)
            #expect(try client.request(get("/after")).status == 200)
            try expectFreshConnectionServed(server)
        }
    }

    @Test(arguments: [
        "POST / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 101\r\n\r\n",
        "POST /upload/x HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 1001\r\n\r\n",
    ])
    func expect100Continue_withBodyOverLimit_is413WithoutInterimResponse(_ head: String) throws {
        try withRecordingServer { server, seen in
            let client = try TestClient(port: server.port)
            defer { client.close() }
            try client.send(head)
            // No body byte is ever sent: the 413 must come first, instead of 100 Continue.
            expectErrorResponse(try client.readResponse(), 413)
            #expect(try client.waitForClose())
            #expect(seen.withLock { $0 }.isEmpty)
            try expectFreshConnectionServed(server)
        }
    }

    @Test func unknownExpectation_is417() throws {
        try withRecordingServer { server, seen in
            let client = try TestClient(port: server.port)
            defer { client.close() }
            try client.send("POST / HTTP/1.1\r\nHost: a\r\nExpect: 200-ok\r\nContent-Length: 2\r\n\r\n")
            expectErrorResponse(try client.readResponse(), 417)
            #expect(try client.waitForClose())
            #expect(seen.withLock { $0 }.isEmpty)
            try expectFreshConnectionServed(server)
        }
    }

    // MARK: - Bodies

    @Test(arguments: [
        "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 2000000\r\n\r\n",
        "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n1E8480\r\n",
    ])
    func bodyOverLimit_is413BeforeAnyBodyByteIsSent(_ head: String) throws {
        try withRecordingServer { server, seen in
            let client = try TestClient(port: server.port)
            defer { client.close() }
            try client.send(head)
            expectErrorResponse(try client.readResponse(), 413)
            #expect(try client.waitForClose())
            #expect(seen.withLock { $0 }.isEmpty)
            try expectFreshConnectionServed(server)
        }
    }

    @Test func chunkedBody_inSmallPieces_reachesTheHandlerWhole() throws {
        try withRecordingServer { server, seen in
            let client = try TestClient(port: server.port)
            defer { client.close() }
            let pieces = [
                "POST /p HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n", "5\r", "\nhel", "lo\r", "\n1",
                "0;x=y\r\nsixteen bytes!!!\r", "\n0\r\nX-T", ": 1\r\n", "\r\n",
            ]
            for piece in pieces {
                try client.send(piece)
                Thread.sleep(forTimeInterval: 0.005)
            }
            let response = try client.readResponse()
            #expect(response.status == 200)
            #expect(response.text == "POST hellosixteen bytes!!!")
            #expect(seen.withLock { $0 } == ["POST /p"])
            try expectFreshConnectionServed(server)
        }
    }

    @Test func chunkedRequest_thenPipelinedRequest_bothAnsweredInOrder() throws {
        try withRecordingServer { server, seen in
            let client = try TestClient(port: server.port)
            defer { client.close() }
            try client.send(
                "POST /one HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n" + get("/two")
            )
            #expect(try client.readResponse().text == "POST abc")
            #expect(try client.readResponse().text == "GET ")
            #expect(seen.withLock { $0 } == ["POST /one", "GET /two"])
        }
    }

    @Test(arguments: [
        "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel",
        "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n",
        "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nX: 1\r\n",
    ])
    func endOfStreamBeforeTheLastChunk_isNeverHandled(_ text: String) throws {
        try withRecordingServer { server, seen in
            let client = try TestClient(port: server.port)
            defer { client.close() }
            try client.send(text)
            shutdown(client.fd, Int32(SHUT_WR))
            // The request was cut off by the client's half-close: 400, then close.
            let response = try client.readResponse()
            expectErrorResponse(response, 400)
            #expect(try client.waitForClose())
            #expect(seen.withLock { $0 }.isEmpty)
            try expectFreshConnectionServed(server)
        }
    }

    @Test func uploadRoute_getsItsOwnBodyLimit() throws {
        try withRecordingServer { server, seen in
            let body = String(repeating: "u", count: 600)
            let upload = try TestClient(port: server.port)
            defer { upload.close() }
            let accepted = try upload.request(
                "POST /upload/file HTTP/1.1\r\nHost: a\r\nContent-Length: 600\r\n\r\n\(body)")
            #expect(accepted.status == 200)
            #expect(accepted.text == "POST \(body)")

            let form = try TestClient(port: server.port)
            defer { form.close() }
            expectErrorResponse(
                try form.request("POST /form HTTP/1.1\r\nHost: a\r\nContent-Length: 600\r\n\r\n\(body)"), 413)
            #expect(try form.waitForClose())
            #expect(seen.withLock { $0 } == ["POST /upload/file"])
            try expectFreshConnectionServed(server)
        }
    }

    // MARK: - Target

    @Test func target_reachesTheHandlerStillEncoded_plusNotDecoded() throws {
        try withServer(Self.configuration, handler: { request in .text(request.head.path ?? "-") }) { server in
            let client = try TestClient(port: server.port)
            defer { client.close() }
            #expect(try client.request(get("/a%2Fb+c?q=a+b%20%C3%A9")).text == "/a%2Fb+c?q=a+b%20%C3%A9")
            #expect(try client.request(get("/")).status == 200)
        }
    }
}
