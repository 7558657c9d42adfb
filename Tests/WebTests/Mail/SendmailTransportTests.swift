import Foundation
import Testing

@testable import Web

/// The sendmail transport against small shell scripts standing in for sendmail.
@Suite("Sendmail transport")
struct SendmailTransportTests {
    let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "boerse-sendmail-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    /// Writes an executable `/bin/sh` script and returns its path.
    func script(_ name: String, _ body: String) throws -> String {
        let path = directory.appendingPathComponent(name).path
        try ("#!/bin/sh\n" + body + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
        return path
    }

    var recordingSendmail: String {
        get throws {
            let out = directory.path
            return try script(
                "sendmail", "printf '%s\\n' \"$@\" > '\(out)/args'\ncat > '\(out)/stdin'\nexit 0")
        }
    }

    @Test("the message reaches the program's standard input whole, with -i -- recipient as arguments")
    func deliversToStandardInput() throws {
        let transport = SendmailTransport(path: try recordingSendmail)
        let message = Array("Subject: Test\r\n\r\nHallo\r\n".utf8)
        try transport.deliver(message, to: "erika@example.org")
        let args = try String(contentsOfFile: directory.path + "/args", encoding: .utf8)
        #expect(args == "-i\n--\nerika@example.org\n")
        #expect(FileManager.default.contents(atPath: directory.path + "/stdin") == Data(message))
    }

    @Test("a message larger than a pipe's buffer arrives whole while the program writes output")
    func largeMessageWithChattyProgram() throws {
        let out = directory.path
        let path = try script(
            "chatty",
            "head -c 200000 /dev/zero | tr '\\0' 'e' >&2\ncat > '\(out)/stdin'\nhead -c 200000 /dev/zero >&2\nexit 0")
        var message: [UInt8] = []
        for index in 0..<50_000 { message += Array("line \(index) of the message\r\n".utf8) }
        try SendmailTransport(path: path).deliver(message, to: "erika@example.org")
        #expect(FileManager.default.contents(atPath: out + "/stdin") == Data(message))
    }

    @Test("exit status 75 is an error that names the status and keeps the program's message apart")
    func temporaryFailure() throws {
        let path = try script("tempfail", "cat > /dev/null\necho 'mail queue full' >&2\nexit 75")
        let error = try #require(
            throws: MailTransportError.self,
            performing: { try SendmailTransport(path: path).deliver(Array("x".utf8), to: "erika@example.org") })
        #expect(error.kind == .exitStatus(75))
        #expect(error.detail == "mail queue full")
        #expect(error.description == "sendmail exited with status 75")
        #expect(!error.description.contains("erika"))
        #expect(error.storedDescription == "sendmail exited with status 75: mail queue full")
    }

    @Test("a program that exits without reading a large message fails cleanly (no SIGPIPE)")
    func programIgnoresInput() throws {
        let path = try script("rude", "exit 3")
        let message = [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)
        let error = try #require(
            throws: MailTransportError.self,
            performing: { try SendmailTransport(path: path).deliver(message, to: "erika@example.org") })
        #expect(error.kind == .exitStatus(3))
    }

    @Test("the captured output is bounded")
    func outputIsBounded() throws {
        let path = try script("noisy", "cat > /dev/null\nhead -c 1000000 /dev/zero | tr '\\0' 'n' >&2\nexit 1")
        let error = try #require(
            throws: MailTransportError.self,
            performing: { try SendmailTransport(path: path).deliver(Array("x".utf8), to: "erika@example.org") })
        #expect(error.kind == .exitStatus(1))
        #expect(error.detail.utf8.count == SendmailTransport.maximumOutput)
    }

    @Test("a program that hangs is stopped after the timeout")
    func timeout() throws {
        let path = try script("hang", "exec sleep 30")
        let start = Date()
        let error = try #require(
            throws: MailTransportError.self,
            performing: {
                try SendmailTransport(path: path, timeout: 0.5).deliver(Array("x".utf8), to: "erika@example.org")
            })
        #expect(error.kind == .timedOut(seconds: 1))
        #expect(Date().timeIntervalSince(start) < 5)
    }

    @Test("a program that cannot be started is a launch error")
    func missingProgram() {
        #expect(throws: MailTransportError(kind: .launchFailed)) {
            try SendmailTransport(path: directory.path + "/does-not-exist").deliver([0x41], to: "erika@example.org")
        }
    }

    @Test("a recipient that could be read as an option or holds a space never reaches the program")
    func hostileRecipient() throws {
        let transport = SendmailTransport(path: try recordingSendmail)
        for recipient in ["-oQ/tmp@example.org", "a@b -X/tmp/log", "a@b\nx@y"] {
            #expect(throws: MIMEComposer.CompositionError.self) { try transport.deliver([0x41], to: recipient) }
        }
        #expect(!FileManager.default.fileExists(atPath: directory.path + "/args"))
    }

    @Test("the outbox-only transport accepts everything and sends nothing")
    func outboxOnly() throws {
        try OutboxOnlyTransport().deliver([0x41], to: "erika@example.org")
        #expect(MailSettings(transport: .outbox).deliveryTransport == nil)
        let transport = try #require(
            MailSettings(transport: .sendmail, sendmailPath: "/usr/bin/msmtp").deliveryTransport)
        #expect((transport as? SendmailTransport)?.path == "/usr/bin/msmtp")
    }
}
