import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Hands one finished message (RFC 5322 bytes) to whatever carries it onward; throws when that failed.
public protocol MailTransport: Sendable {
    func deliver(_ message: [UInt8], to recipient: String) throws
}

/// Accepts every message and sends nothing: the outbox row stays the only copy.
///
/// For setups that run the delivery worker but must not send real mail (demos, tests). With the
/// `outbox` setting the application runs no worker at all, so messages stay pending instead.
public struct OutboxOnlyTransport: MailTransport {
    public init() {}

    public func deliver(_ message: [UInt8], to recipient: String) throws {}
}

/// Why a transport could not deliver. `description` holds no personal data (it is logged); `detail`
/// holds what the program printed and is kept only in the outbox row's `last_error`.
public struct MailTransportError: Error, CustomStringConvertible, Equatable {
    public enum Kind: Equatable, Sendable {
        case launchFailed
        case exitStatus(Int32)
        case signal(Int32)
        case timedOut(seconds: Int)
    }

    public var kind: Kind
    public var detail: String

    public init(kind: Kind, detail: String = "") {
        self.kind = kind
        self.detail = detail
    }

    public var description: String {
        switch kind {
        case .launchFailed: "sendmail could not be started"
        case .exitStatus(let status): "sendmail exited with status \(status)"
        case .signal(let signal): "sendmail was ended by signal \(signal)"
        case .timedOut(let seconds): "sendmail did not finish within \(seconds) s and was stopped"
        }
    }

    /// What goes into `last_error`: the description and, if any, the program's output.
    public var storedDescription: String {
        detail.isEmpty ? description : description + ": " + detail
    }
}

/// Pipes each message to a sendmail-compatible program (`path -i -- recipient`; postfix, exim, msmtp …).
///
/// The program is started directly with an argument array, never through a shell. Its standard output
/// and error are read (the first `maximumOutput` bytes kept) while the message is written, so neither
/// side can block the other; after `timeout` seconds it gets SIGTERM, two seconds later SIGKILL.
/// A non-zero exit status (75, EX_TEMPFAIL, included) is an error and the worker retries later.
public struct SendmailTransport: MailTransport {
    public static let maximumOutput = 4096

    public let path: String
    public let timeout: TimeInterval

    public init(path: String, timeout: TimeInterval = 30) {
        self.path = path
        self.timeout = timeout
        // A program that exits before reading all of its input must not kill us with SIGPIPE on the
        // next write; the HTTP server ignores SIGPIPE process-wide for the same reason.
        signal(SIGPIPE, SIG_IGN)
    }

    public func deliver(_ message: [UInt8], to recipient: String) throws {
        try MIMEComposer.validateAddress(recipient, field: "recipient")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = ["-i", "--", recipient]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = output
        let finished = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in finished.signal() }
        do {
            try process.run()
        } catch {
            throw MailTransportError(kind: .launchFailed)
        }
        // The child has its own copies; without closing ours, its output would never reach end of file.
        try? input.fileHandleForReading.close()
        try? output.fileHandleForWriting.close()
        defer {
            try? input.fileHandleForWriting.close()
            try? output.fileHandleForReading.close()
        }

        let deadline = Date().addingTimeInterval(timeout)
        let printed = exchange(
            message, input: input.fileHandleForWriting, output: output.fileHandleForReading, deadline: deadline)
        let remaining = max(0, deadline.timeIntervalSinceNow)
        if printed.timedOut || finished.wait(timeout: .now() + remaining) == .timedOut {
            stop(process, finished: finished)
            throw MailTransportError(kind: .timedOut(seconds: Int(timeout.rounded(.up))), detail: printed.text)
        }
        switch process.terminationReason {
        case .exit where process.terminationStatus == 0:
            return
        case .exit:
            throw MailTransportError(kind: .exitStatus(process.terminationStatus), detail: printed.text)
        case .uncaughtSignal:
            throw MailTransportError(kind: .signal(process.terminationStatus), detail: printed.text)
        @unknown default:
            throw MailTransportError(kind: .exitStatus(process.terminationStatus), detail: printed.text)
        }
    }

    /// Writes `message` to the child's input and reads its output in one poll loop until both are done or
    /// the deadline passes. Returns the (shortened) output and whether the deadline passed.
    private func exchange(
        _ message: [UInt8], input: FileHandle, output: FileHandle, deadline: Date
    ) -> (text: String, timedOut: Bool) {
        let writeFD = input.fileDescriptor
        let readFD = output.fileDescriptor
        _ = fcntl(writeFD, F_SETFL, fcntl(writeFD, F_GETFL) | O_NONBLOCK)
        var written = 0
        var inputOpen = true
        var outputOpen = true
        var captured: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        if message.isEmpty {
            try? input.close()
            inputOpen = false
        }
        while inputOpen || outputOpen {
            let remaining = deadline.timeIntervalSinceNow
            if remaining <= 0 { return (Self.text(captured), true) }
            var descriptors: [pollfd] = []
            if inputOpen { descriptors.append(pollfd(fd: writeFD, events: Int16(POLLOUT), revents: 0)) }
            if outputOpen { descriptors.append(pollfd(fd: readFD, events: Int16(POLLIN), revents: 0)) }
            let ready = poll(&descriptors, nfds_t(descriptors.count), Int32(min(remaining, 0.5) * 1000) + 1)
            if ready < 0, errno != EINTR { return (Self.text(captured), false) }
            for descriptor in descriptors where descriptor.revents != 0 {
                if descriptor.fd == writeFD {
                    let count = message.withUnsafeBytes { bytes in
                        write(writeFD, bytes.baseAddress! + written, message.count - written)
                    }
                    if count > 0 {
                        written += count
                    } else if count < 0, errno == EAGAIN || errno == EINTR {
                        continue
                    }
                    // Done, or the program closed its input (EPIPE): its exit status tells whether that was fine.
                    if written == message.count || count <= 0 {
                        try? input.close()
                        inputOpen = false
                    }
                } else {
                    let count = read(readFD, &buffer, buffer.count)
                    if count > 0 {
                        let room = Self.maximumOutput - captured.count
                        if room > 0 { captured += buffer[0..<min(count, room)] }
                    } else if count == 0 || (errno != EAGAIN && errno != EINTR) {
                        outputOpen = false
                    }
                }
            }
        }
        return (Self.text(captured), false)
    }

    private func stop(_ process: Process, finished: DispatchSemaphore) {
        process.terminate()
        if finished.wait(timeout: .now() + 2) == .timedOut {
            kill(process.processIdentifier, SIGKILL)
            _ = finished.wait(timeout: .now() + 2)
        }
    }

    private static func text(_ bytes: [UInt8]) -> String {
        String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

extension MailSettings {
    /// The transport a delivery worker uses, or nil for `outbox`: then no worker runs and messages stay
    /// pending in the outbox for staff to read.
    public var deliveryTransport: (any MailTransport)? {
        switch transport {
        case .outbox: nil
        case .sendmail: SendmailTransport(path: sendmailPath)
        }
    }
}
