import Foundation
import Testing

@testable import HTTPServer

#if canImport(Glibc)
    import Glibc
#endif

/// Bounded input per connection, the connection cap and running out of descriptors.
@Suite struct ResourceTests {
    // MARK: - Pipelining keeps input bounded

    @Test func pipelinedFloodWithoutReading_blocksTheClient_thenIsAnsweredInOrder() throws {
        let responseSize = 32 * 1024
        let configuration = testConfiguration { $0.keepAliveIdleTimeout = 30 }
        try withCheckedServer(
            configuration,
            handler: { request in taggedResponse(String(request.path), count: responseSize) }
        ) { checked in
            // Every request has the same length, so input can be accounted for in whole requests.
            let padding = String(repeating: "p", count: 400)
            func request(_ index: Int) -> [UInt8] {
                let number = String(index)
                let path = "/" + String(repeating: "0", count: 7 - number.count) + number
                return Array(get(path, "X-Pad: \(padding)\r\n").utf8)
            }
            let requestSize = request(0).count
            let client = try TestClient(port: checked.port, receiveBufferSize: 4096)
            defer { client.close() }
            client.setSendBufferSize(4096)
            client.setNonBlocking(true)

            // Write without reading until the socket stays full for half a second (or an absurd
            // 64 MiB: a server that kept reading would let the client write on and on).
            let cap = 64 * 1024 * 1024
            var written = 0
            var next = 0
            var pending: ArraySlice<UInt8> = []
            var blocked = false
            while written < cap {
                if pending.isEmpty {
                    pending = request(next)[...]
                    next += 1
                }
                let sent = client.sendOnce(pending)
                if sent > 0 {
                    written += sent
                    pending = pending.dropFirst(sent)
                    continue
                }
                let code = errno
                guard sent < 0, code == EAGAIN || code == EWOULDBLOCK else {
                    Issue.record("send failed: errno \(code)")
                    return
                }
                if !client.isWritable(within: 0.5) {
                    blocked = true
                    break
                }
            }
            #expect(blocked, "the client's writes block once a response is pending")

            // Input the server took but has not handed to the handler: at most the partial request
            // it is reading plus one read buffer, whatever the client sent.
            let statistics = try #require(checked.server.connectionStatistics.first)
            let held = statistics.bytesRead - statistics.requestsStarted * requestSize
            #expect(held >= 0)
            #expect(held <= requestSize + configuration.readBufferSize)

            // Now read: every complete request is answered, in order.
            client.setNonBlocking(false)
            let complete = pending.isEmpty ? next : next - 1
            var outOfOrder: [Int] = []
            for index in 0..<complete {
                let response = try client.readResponse()
                let path = String(decoding: request(index)[4..<12], as: UTF8.self)
                if response.status != 200 || !response.text.hasPrefix(path) || response.body.count != responseSize {
                    outOfOrder.append(index)
                }
            }
            #expect(outOfOrder.isEmpty)
            if !pending.isEmpty {
                try client.send(Array(pending))
                #expect(try client.readResponse().text.hasPrefix("/" + String(format: "%07d", next - 1)))
            }
            let last = try client.request(get("/last", "Connection: close\r\n"))
            #expect(last.header("Connection") == "close")
            #expect(try client.waitForClose())
        }
    }

    // MARK: - Connection cap

    @Test func connectionCap_answers503WithRetryAfter_andServesAgainWhenASlotFrees() throws {
        let configuration = testConfiguration {
            $0.maxConnections = 4
            $0.keepAliveIdleTimeout = 30
        }
        try withCheckedServer(configuration) { checked in
            var held: [TestClient] = []
            defer { for client in held { client.close() } }
            for _ in 0..<4 {
                let client = try TestClient(port: checked.port)
                #expect(try client.request(get("/")).status == 200)
                held.append(client)
            }
            #expect(checked.server.statistics.openConnections == 4)

            for _ in 0..<2 {
                let extra = try TestClient(port: checked.port)
                defer { extra.close() }
                try extra.send(get("/"))
                let response = try extra.readResponse()
                #expect(response.status == 503)
                #expect(response.header("Connection") == "close")
                #expect(response.header("Retry-After") == "5")
                #expect(try extra.waitForClose())
            }
            // The four held connections were not disturbed.
            #expect(try held[0].request(get("/")).status == 200)

            held.removeFirst().close()
            #expect(eventually { checked.server.statistics.openConnections == 3 })
            let fresh = try TestClient(port: checked.port)
            defer { fresh.close() }
            #expect(try fresh.request(get("/")).status == 200)
        }
    }

    @Test func connectionCap_pastTheOverloadAllowance_newClientsWaitAndAreStillAnswered() throws {
        let configuration = testConfiguration {
            $0.maxConnections = 4
            $0.keepAliveIdleTimeout = 30
        }
        try withCheckedServer(configuration) { checked in
            var held: [TestClient] = []
            defer { for client in held { client.close() } }
            for _ in 0..<4 {
                let client = try TestClient(port: checked.port)
                #expect(try client.request(get("/")).status == 200)
                held.append(client)
            }
            // More clients than the cap and the 503 allowance together: the last ones wait in the
            // kernel's backlog while accepting is paused, and are answered as earlier ones leave.
            let extras = try (0..<20).map { _ in try TestClient(port: checked.port) }
            defer { for client in extras { client.close() } }
            var statuses: [Int] = []
            for client in extras {
                try client.send(get("/"))
                statuses.append(try client.readResponse().status)
                client.close()
            }
            #expect(statuses == Array(repeating: 503, count: extras.count))
        }
    }

    // MARK: - Running out of descriptors

    @Test(.enabled(if: TestChild.mode == nil))
    func descriptorExhaustion_pausesAccepting_andServesWhenDescriptorsFree() throws {
        let child = try TestChild(mode: "descriptor-exhaustion", test: "ResourceTests/child_descriptorExhaustion")
        let port = try #require(Int(try child.expect("PORT")))
        // The kernel completes the handshake into the backlog; the server cannot accept it yet.
        let client = try TestClient(port: port)
        defer { client.close() }
        try client.send(get("/"))
        child.tell("CONNECTED")

        let report = try child.expect("FAILURES").split(separator: " ").compactMap { Double($0) }
        try #require(report.count == 2, "\(child.transcript)")
        #expect(report[0] >= 1, "accept failed with EMFILE")
        // One attempt per 100 ms pause; a spinning accept loop would make many thousands per second.
        #expect(report[1] < 100, "accept attempts per second while out of descriptors")

        child.tell("FREE")
        _ = try child.expect("FREED")
        #expect(try client.readResponse().status == 200, "the waiting client is served")
        client.close()
        let fresh = try TestClient(port: port)
        defer { fresh.close() }
        #expect(try fresh.request(get("/", "Connection: close\r\n")).status == 200)
        fresh.close()

        child.tell("DONE")
        let counts = try child.expect("DESCRIPTORS").split(separator: " ").compactMap { Int($0) }
        #expect(counts.count == 2 && counts[0] == counts[1], "process descriptors back to baseline: \(counts)")
        _ = try child.expect("END")
        let exit = child.waitForExit()
        #expect(exit?.status == 0 && exit?.bySignal == false, "\(child.transcript)")
    }

    /// The child side of `descriptorExhaustion_…`: only enabled in the child process.
    @Test(.enabled(if: TestChild.mode == "descriptor-exhaustion"))
    func child_descriptorExhaustion() throws {
        // A low soft limit, so exhausting it takes dozens of opens instead of tens of thousands.
        var limit = rlimit()
        #if os(Linux)
            let resource = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
        #else
            let resource = RLIMIT_NOFILE
        #endif
        getrlimit(resource, &limit)
        limit.rlim_cur = rlim_t(Descriptors.openCount() + 64)
        setrlimit(resource, &limit)

        let server = Server(configuration: testConfiguration(), logger: silentLogger) { _ in .text("ok") }
        try server.start()
        let baseline = Descriptors.openCount()
        var fillers: [Int32] = []
        while true {
            let fd = open("/dev/null", O_RDONLY | O_CLOEXEC)
            if fd < 0 { break }
            fillers.append(fd)
        }
        TestChild.say("PORT \(server.port)")
        guard TestChild.listen() == "CONNECTED" else { return }

        // Measure the attempt rate over one second once the first failure has happened.
        _ = eventually { server.statistics.acceptFailures >= 1 }
        let firstCount = server.statistics.acceptFailures
        let started = Date()
        Thread.sleep(forTimeInterval: 1)
        let rate = Double(server.statistics.acceptFailures - firstCount) / Date().timeIntervalSince(started)
        TestChild.say("FAILURES \(firstCount) \(rate)")

        guard TestChild.listen() == "FREE" else { return }
        for fd in fillers { close(fd) }
        TestChild.say("FREED")

        guard TestChild.listen() == "DONE" else { return }
        _ = eventually { server.statistics.openConnections == 0 }
        _ = eventually { Descriptors.openCount() == baseline }
        TestChild.say("DESCRIPTORS \(baseline) \(Descriptors.openCount())")
        server.shutdown()
        TestChild.say("END")
    }
}
