import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Runs one test of this test binary in a child process, for scenarios that must not touch the
/// shared test process: a lowered descriptor limit, or `SIGPIPE` back at its default (deadly) action.
///
/// The child is the same executable, started with `--filter` for one test and the environment
/// variable `HTTPSERVER_TEST_CHILD` set to a mode; that test is enabled only in the child
/// (`.enabled(if: TestChild.mode == …)`). Parent and child talk in lines: the child writes
/// `CHILD <word> <rest>` to standard output, the parent writes commands to the child's standard input.
final class TestChild {
    /// The mode this process runs in as a child, or nil in the ordinary test run.
    static let mode = ProcessInfo.processInfo.environment["HTTPSERVER_TEST_CHILD"]

    /// In the child: reports a line to the parent.
    static func say(_ line: String) {
        FileHandle.standardOutput.write(Data("CHILD \(line)\n".utf8))
    }

    /// In the child: the parent's next command (nil at end of input).
    static func listen() -> String? {
        readLine(strippingNewline: true)
    }

    private let process = Process()
    private let output = Pipe()
    private let input = Pipe()
    private var buffer: [UInt8] = []
    /// Everything the child printed so far (for failure messages).
    private(set) var transcript = ""

    /// Starts the child running `test` (a swift-testing filter such as `Suite/function`) in `mode`.
    init(mode: String, test: String) throws {
        let executable = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["--testing-library", "swift-testing", "--filter", test]
        var environment = ProcessInfo.processInfo.environment
        environment["HTTPSERVER_TEST_CHILD"] = mode
        process.environment = environment
        process.standardOutput = output
        process.standardError = output
        process.standardInput = input
        try process.run()
    }

    deinit {
        if process.isRunning { process.terminate() }
    }

    /// Sends a command line to the child.
    func tell(_ line: String) {
        input.fileHandleForWriting.write(Data("\(line)\n".utf8))
    }

    /// Waits (at most `timeout` seconds) for the child's line `CHILD <word> …` and returns the rest.
    func expect(_ word: String, timeout: TimeInterval = 30) throws -> String {
        let deadline = Date(timeIntervalSinceNow: timeout)
        let fd = output.fileHandleForReading.fileDescriptor
        while true {
            while let newline = buffer.firstIndex(of: 10) {
                let line = String(decoding: buffer[..<newline], as: UTF8.self)
                buffer.removeSubrange(...newline)
                transcript += line + "\n"
                if let range = line.range(of: "CHILD \(word)") {
                    return line[range.upperBound...].trimmingCharacters(in: .whitespaces)
                }
            }
            let remaining = deadline.timeIntervalSinceNow
            guard remaining > 0 else { throw TestChildError.timeout(word, transcript) }
            var entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&entry, 1, Int32(min(remaining, 1) * 1000)) > 0 else { continue }
            var chunk = [UInt8](repeating: 0, count: 4096)
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count > 0 {
                buffer.append(contentsOf: chunk[0..<count])
            } else if count == 0 {
                throw TestChildError.exited(word, transcript + String(decoding: buffer, as: UTF8.self))
            }
        }
    }

    /// Waits (at most `timeout` seconds) for the child to exit; its status and whether it ended by a
    /// signal, or nil if it is still running (it is then terminated).
    func waitForExit(timeout: TimeInterval = 30) -> (status: Int32, bySignal: Bool)? {
        let deadline = Date(timeIntervalSinceNow: timeout)
        input.fileHandleForWriting.closeFile()
        // Keep draining the pipe so the child never blocks on a full one.
        let fd = output.fileHandleForReading.fileDescriptor
        var chunk = [UInt8](repeating: 0, count: 4096)
        while process.isRunning, Date() < deadline {
            var entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            if poll(&entry, 1, 50) > 0 {
                let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                if count > 0 {
                    transcript += String(decoding: chunk[0..<count], as: UTF8.self)
                } else {
                    Thread.sleep(forTimeInterval: 0.01)
                }
            }
        }
        guard !process.isRunning else {
            process.terminate()
            return nil
        }
        process.waitUntilExit()
        return (process.terminationStatus, process.terminationReason == .uncaughtSignal)
    }
}

enum TestChildError: Error, CustomStringConvertible {
    case timeout(String, String)
    case exited(String, String)

    var description: String {
        switch self {
        case .timeout(let word, let transcript): return "child did not say \(word) in time; output:\n\(transcript)"
        case .exited(let word, let transcript): return "child exited before saying \(word); output:\n\(transcript)"
        }
    }
}
