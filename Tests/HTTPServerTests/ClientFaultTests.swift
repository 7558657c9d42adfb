import Foundation
import Testing

@testable import HTTPServer

#if canImport(Glibc)
    import Glibc
#endif

/// Clients that reset, half-close, vanish before the response, or come and go in crowds.
@Suite struct ClientFaultTests {
    static let largeSize = 4 * 1024 * 1024

    /// Built once: filling megabytes byte by byte in a debug build would dominate the tests.
    static let largeResponse = taggedResponse("big", count: largeSize)

    static let largeHandler: Handler = { request in
        request.path == "/big" ? largeResponse : .text("ok")
    }

    @Test func resetDuringALargeResponse_closesTheConnectionOnce() throws {
        try withCheckedServer(handler: Self.largeHandler) { checked in
            for _ in 0..<10 {
                let client = try TestClient(port: checked.port, receiveBufferSize: 4096)
                try client.send(get("/big"))
                // Wait until the response is flowing, then reset mid-way.
                #expect(client.isReadable(within: 10))
                client.resetOnClose()
                client.close()
            }
            // Well before the 30 s send deadline: the resets themselves end the connections.
            #expect(checked.serverSocketsReturnToBaseline())
        }
    }

    @Test func halfCloseAfterTheRequest_isAnsweredThenClosed() throws {
        try withCheckedServer(handler: { request in .text("answer \(request.path)") }) { server in
            let client = try TestClient(port: server.port)
            defer { client.close() }
            try client.send(get("/one") + get("/two"))
            client.shutdownWrite()
            #expect(try client.readResponse().text == "answer /one")
            #expect(try client.readResponse().text == "answer /two")
            #expect(try client.waitForClose())
        }
    }

    @Test func halfCloseInsideAHead_isAnswered400ThenClosed() throws {
        let counter = RequestCounter()
        try withCheckedServer(handler: { request in
            counter.record(request)
            return .text("ok")
        }) { server in
            let client = try TestClient(port: server.port)
            defer { client.close() }
            try client.send("GET / HTTP/1.1\r\nHost: a\r\n")
            client.shutdownWrite()
            let response = try client.readResponse()
            #expect(response.status == 400)
            #expect(try client.waitForClose())
            #expect(counter.value == 0)
        }
    }

    @Test func peerGoneBeforeTheResponse_writeFailsWithoutSignal() throws {
        try withCheckedServer(handler: { request in
            if request.path == "/big" { Thread.sleep(forTimeInterval: 0.05) }
            return Self.largeHandler(request)
        }) { checked in
            for index in 0..<20 {
                let client = try TestClient(port: checked.port)
                try client.send(get("/big"))
                if index.isMultiple(of: 2) { client.resetOnClose() }
                client.close()
            }
            #expect(checked.serverSocketsReturnToBaseline())
        }
    }

    @Test(.enabled(if: TestChild.mode == nil))
    func epipeWithSigpipeAtItsDefaultAction_doesNotKillTheProcess() throws {
        let child = try TestChild(mode: "sigpipe", test: "ClientFaultTests/child_sigpipe")
        let result = try child.expect("RESULT", timeout: 60)
        let exit = child.waitForExit()
        #expect(result == "served", "\(child.transcript)")
        #expect(exit?.bySignal == false, "the child was killed by a signal:\n\(child.transcript)")
        #expect(exit?.status == 0, "\(child.transcript)")
    }

    /// The child side of `epipeWithSigpipe…`: only enabled in the child process, where SIGPIPE can be
    /// set back to its default action without affecting other tests.
    @Test(.enabled(if: TestChild.mode == "sigpipe"))
    func child_sigpipe() throws {
        let server = Server(configuration: testConfiguration(), logger: silentLogger) { request in
            if request.path == "/big" { Thread.sleep(forTimeInterval: 0.05) }
            return Self.largeHandler(request)
        }
        try server.start()
        // `start()` ignores SIGPIPE; undo that, so only MSG_NOSIGNAL stands between a write to a
        // closed peer and the death of this process.
        signal(SIGPIPE, SIG_DFL)
        for _ in 0..<20 {
            let client = try TestClient(port: server.port)
            try client.send(get("/big"))
            client.close()
        }
        _ = eventually { server.statistics.openConnections == 0 }
        let probe = try TestClient(port: server.port)
        let status = try probe.request(get("/")).status
        probe.close()
        TestChild.say("RESULT \(status == 200 ? "served" : "status \(status)")")
        server.shutdown()
    }

    /// Larger than the socket buffers on loopback at first, and cheap enough for 1,600 connections.
    static let mediumResponse = taggedResponse("medium", count: 512 * 1024)

    /// The mix that once crashed libdispatch's epoll bookkeeping within a minute (see SocketEvents.swift):
    /// clients with a small receive buffer make the server wait for writability on a socket it is also
    /// reading, then reset; descriptors are closed and reused at once from several threads.
    @Test func manyConnectionsOpenedAndClosedFromEightThreads_noCrashAndStillServing() throws {
        let handler: Handler = { request in
            guard request.path == "/big" else { return .text("ok") }
            // Like rendering a page: many connections are between request and response at once.
            Thread.sleep(forTimeInterval: 0.002)
            return Self.mediumResponse
        }
        let rounds = Int(ProcessInfo.processInfo.environment["CHURN_ROUNDS"] ?? "") ?? 300
        try withCheckedServer(handler: handler) { checked in
            let port = checked.port
            let errors = Locked<[String]>([])
            DispatchQueue.concurrentPerform(iterations: 8) { thread in
                for index in 0..<rounds {
                    do {
                        let mode = (thread + index) % 6
                        let client = try TestClient(port: port, receiveBufferSize: mode == 5 ? 2048 : nil)
                        switch mode {
                        case 5:
                            // The response no longer fits the socket: the server waits to write.
                            try client.send(get("/big"))
                            if !client.isReadable(within: 10) {
                                errors.withLock { $0.append("thread \(thread) #\(index): no response") }
                            }
                            client.resetOnClose()
                        case 0:
                            break  // connect and close
                        case 1:
                            try client.send("GET / HTTP/1.1\r\nHo")  // half a head
                        case 2:
                            try client.send(get("/big"))  // leave without reading
                        case 3:
                            if try client.request(get("/")).status != 200 {
                                errors.withLock { $0.append("thread \(thread) #\(index): not 200") }
                            }
                        default:
                            try client.send(get("/big"))
                            client.resetOnClose()
                        }
                        client.close()
                    } catch {
                        errors.withLock { $0.append("thread \(thread) #\(index): \(error)") }
                    }
                }
            }
            #expect(errors.withLock { $0 }.isEmpty)
            // Generous: handlers queued for clients that already left still run first.
            #expect(checked.serverSocketsReturnToBaseline(timeout: 60))
        }
    }
}
