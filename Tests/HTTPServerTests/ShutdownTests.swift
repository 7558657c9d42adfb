import Dispatch
import Foundation
import Testing

@testable import HTTPServer

#if canImport(Glibc)
    import Glibc
#endif

/// Polls (for at most 10 s) until connecting to `port` is refused.
func waitUntilRefused(port: Int) {
    for _ in 0..<1000 {
        guard let probe = try? TestClient(port: port) else { return }
        probe.close()
        Thread.sleep(forTimeInterval: 0.01)
    }
}

/// Graceful shutdown and signal handling. Deadlines are generous and only prevent hangs.
@Suite struct ShutdownTests {
    @Test func shutdown_letsTheRequestInFlightFinish_thenRefusesConnections() throws {
        let started = DispatchSemaphore(value: 0)
        let boundPort = Locked(0)
        let server = Server(configuration: testConfiguration(), logger: silentLogger) { request in
            if request.path == "/slow" {
                started.signal()
                Thread.sleep(forTimeInterval: 0.3)
                // Finish only once the listener is closed, so the response is certain to be produced
                // during the shutdown (the test must not depend on timing).
                waitUntilRefused(port: boundPort.withLock { $0 })
            }
            return .text(String(repeating: "vollständig ", count: 1000))
        }
        try server.start()
        boundPort.withLock { $0 = server.port }
        let port = server.port
        let idle = try TestClient(port: port)
        defer { idle.close() }
        #expect(try idle.request(get("/")).status == 200)

        let client = try TestClient(port: port)
        defer { client.close() }
        try client.send(get("/slow"))
        #expect(started.wait(timeout: .now() + 10) == .success)

        let stopped = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            server.shutdown()
            stopped.signal()
        }
        let response = try client.readResponse()
        #expect(response.status == 200)
        #expect(response.text == String(repeating: "vollständig ", count: 1000))
        #expect(response.header("Connection") == "close")
        #expect(try client.waitForClose())
        #expect(try idle.waitForClose())
        client.close()

        #expect(stopped.wait(timeout: .now() + 10) == .success)
        #expect(throws: TestClientError.self) { try TestClient(port: port) }
    }

    @Test func shutdown_returnsAfterGracePeriodWhenAHandlerHangs() throws {
        let release = DispatchSemaphore(value: 0)
        let started = DispatchSemaphore(value: 0)
        let server = Server(configuration: testConfiguration { $0.shutdownGracePeriod = 0.3 }, logger: silentLogger) {
            _ in
            started.signal()
            _ = release.wait(timeout: .now() + 10)
            return .text("late")
        }
        try server.start()
        let client = try TestClient(port: server.port)
        defer { client.close() }
        try client.send(get("/"))
        #expect(started.wait(timeout: .now() + 10) == .success)
        server.shutdown()
        // The stuck connection was closed when the grace period ended.
        #expect(try client.waitForClose())
        release.signal()
    }

    @Test func waitUntilStopped_returnsOnceShutdownCompleted() throws {
        let server = Server(configuration: testConfiguration(), logger: silentLogger) { _ in .text("") }
        try server.start()
        let waited = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            server.waitUntilStopped()
            waited.signal()
        }
        server.shutdown()
        #expect(waited.wait(timeout: .now() + 10) == .success)
        server.shutdown()  // a second call is harmless
    }

    @Test func runUntilTerminated_returnsAfterSIGTERM() throws {
        let server = Server(configuration: testConfiguration(), logger: silentLogger) { _ in .text("") }
        try server.start()
        let port = server.port
        let returned = DispatchSemaphore(value: 0)
        // The test process must not die if the signal arrives before runUntilTerminated ignores it.
        signal(SIGTERM, SIG_IGN)
        DispatchQueue.global().async {
            server.runUntilTerminated()
            returned.signal()
        }
        // The signal source may not be installed yet; repeat until the server reacts.
        var didReturn = false
        for _ in 0..<100 where !didReturn {
            kill(getpid(), SIGTERM)
            didReturn = returned.wait(timeout: .now() + 0.1) == .success
        }
        signal(SIGTERM, SIG_DFL)
        signal(SIGINT, SIG_DFL)
        #expect(didReturn)
        #expect(throws: TestClientError.self) { try TestClient(port: port) }
    }
}
