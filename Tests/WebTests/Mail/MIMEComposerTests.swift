import Foundation
import StorageTestSupport
import Testing

@testable import Web

@Suite("MIME composition")
struct MIMEComposerTests {
    static let from = Mailbox(name: "Ehrenamtsbörse Kreis Lippe", address: "ehrenamt@kreis-lippe.example")
    static let germanSubject = "Anfrage zu „Tafel Lemgo“ – Übersicht"

    func message(
        subject: String = germanSubject, to: Mailbox = Mailbox(name: "Erika Müller", address: "erika@example.org"),
        replyTo: Mailbox? = nil, text: String = "Hallo Erika,\nschön, dass Sie dabei sind.\n",
        html: String = "<p>Hallo Erika,</p>\n", autoSubmitted: Bool = true
    ) -> MailMessage {
        MailMessage(
            to: to, replyTo: replyTo, subject: subject, textBody: text, htmlBody: html, purpose: "confirm_account",
            autoSubmitted: autoSubmitted)
    }

    func compose(_ message: MailMessage, from: Mailbox = from) throws -> ParsedMail {
        ParsedMail(
            try MIMEComposer.compose(
                message, from: from, date: TestClock.now, messageID: "0123abcd@kreis-lippe.example"))
    }

    @Test("a message has every header, both parts in UTF-8 quoted-printable, and a closing boundary")
    func headersAndParts() throws {
        let mail = try compose(message())
        #expect(mail.header("Date") == "Wed, 25 Nov 2026 10:00:00 +0100")
        #expect(mail.decodedHeader("From") == "Ehrenamtsbörse Kreis Lippe <ehrenamt@kreis-lippe.example>")
        #expect(mail.decodedHeader("To") == "Erika Müller <erika@example.org>")
        #expect(mail.header("Reply-To") == nil)
        #expect(mail.decodedHeader("Subject") == Self.germanSubject)
        #expect(mail.header("Message-ID") == "<0123abcd@kreis-lippe.example>")
        #expect(mail.header("MIME-Version") == "1.0")
        #expect(mail.header("Auto-Submitted") == "auto-generated")
        let type = try #require(mail.header("Content-Type"))
        #expect(type.hasPrefix("multipart/alternative; boundary=\"=_"))
        let parts = mail.parts
        #expect(parts.count == 2)
        #expect(
            parts[0].headers == "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable"
        )
        #expect(
            parts[1].headers == "Content-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable")
        #expect(mail.decodedPart("plain") == "Hallo Erika,\nschön, dass Sie dabei sind.\n")
        #expect(mail.decodedPart("html") == "<p>Hallo Erika,</p>\n")
        #expect(mail.text.hasSuffix("--" + (mail.boundary ?? "?") + "--\r\n"))
    }

    @Test("every line ends with CRLF, header lines stay within 78 characters and body lines within 76")
    func lineEndingsAndLengths() throws {
        let longText =
            String(repeating: "Wörter und noch mehr Wörter = gleich ", count: 40) + "\n"
            + String(repeating: "x", count: 500)
        let mail = try compose(
            message(
                subject: String(repeating: "Ä", count: 200),
                to: Mailbox(name: String(repeating: "Zoë ", count: 40) + "Z", address: "zoe@example.org"),
                replyTo: Mailbox(name: "Jürgen", address: "juergen@example.org"), text: longText,
                html: "<p>" + longText + "</p>"))
        let bytes = mail.raw
        for (index, byte) in bytes.enumerated() {
            if byte == 0x0A { #expect(index > 0 && bytes[index - 1] == 0x0D, "bare LF at \(index)") }
            if byte == 0x0D { #expect(index + 1 < bytes.count && bytes[index + 1] == 0x0A, "bare CR at \(index)") }
            #expect(byte < 0x80, "non-ASCII byte at \(index)")
        }
        for line in mail.headerLines { #expect(line.utf8.count <= 78, "header line too long: \(line)") }
        for line in mail.body.components(separatedBy: "\r\n") {
            #expect(line.utf8.count <= 76, "body line too long: \(line)")
        }
    }

    @Test("the German subject round-trips through encoded-words of at most 75 characters")
    func subjectEncodedWords() throws {
        let mail = try compose(message())
        let raw = try #require(mail.header("Subject"))
        let words = ParsedMail.encodedWords(raw)
        #expect(!words.isEmpty)
        for word in words { #expect(word.count <= 75) }
        #expect(mail.decodedHeader("Subject") == Self.germanSubject)
    }

    @Test("a 200-character subject is split into encoded-words that each hold whole characters")
    func longSubjectSplitsAtCharacters() throws {
        let subject = String(
            (String(repeating: "Übersicht „Tafel Lemgo“ – 👩‍👩‍👧 ", count: 10)).prefix(200))
        #expect(subject.count == 200)
        let mail = try compose(message(subject: subject))
        let raw = try #require(mail.header("Subject"))
        let words = ParsedMail.encodedWords(raw)
        #expect(words.count > 3)
        for word in words {
            #expect(word.count <= 75)
            let base64 = word.dropFirst("=?UTF-8?B?".count).dropLast(2)
            let data = try #require(Data(base64Encoded: String(base64)))
            // Each word decodes to valid UTF-8 on its own: no character was cut between two words.
            #expect(String(data: data, encoding: .utf8) != nil)
        }
        #expect(mail.decodedHeader("Subject") == subject)
        for line in mail.headerLines { #expect(line.utf8.count <= 78) }
    }

    @Test("a plain ASCII subject stays readable and folds at spaces")
    func asciiSubjectFolds() throws {
        let subject = (1...30).map { "word\($0)" }.joined(separator: " ")
        let mail = try compose(message(subject: subject))
        #expect(mail.header("Subject") == subject)
        #expect(mail.headerLines.filter { $0.hasPrefix(" word") }.count >= 2)
        for line in mail.headerLines { #expect(line.utf8.count <= 78) }
    }

    @Test("ASCII that looks like an encoded-word, or has double spaces, is encoded so it reads back as written")
    func trickyASCIISubjects() throws {
        for subject in ["=?UTF-8?B?SGFsbG8=?=", "zwei  Leerzeichen", " vorne", String(repeating: "x", count: 120)] {
            let mail = try compose(message(subject: subject))
            #expect(mail.decodedHeader("Subject") == subject)
        }
    }

    @Test("display names with specials are quoted with escapes; plain ones stay as they are")
    func displayNames() throws {
        let quoted = try compose(message(to: Mailbox(name: "Doe, John \"JD\" \\", address: "jd@example.org")))
        #expect(quoted.header("To") == "\"Doe, John \\\"JD\\\" \\\\\" <jd@example.org>")
        let plain = try compose(message(to: Mailbox(name: "Erika Mustermann", address: "erika@example.org")))
        #expect(plain.header("To") == "Erika Mustermann <erika@example.org>")
        let bare = try compose(message(to: Mailbox(name: "", address: "erika@example.org")))
        #expect(bare.header("To") == "erika@example.org")
    }

    @Test("Reply-To is written when given; a contact forward has no Auto-Submitted header")
    func replyToAndAutoSubmitted() throws {
        let mail = try compose(
            message(replyTo: Mailbox(name: "Jürgen Schmidt", address: "juergen@example.org"), autoSubmitted: false))
        #expect(mail.decodedHeader("Reply-To") == "Jürgen Schmidt <juergen@example.org>")
        #expect(mail.header("Auto-Submitted") == nil)
    }

    @Test("a message without HTML is a single text/plain part")
    func textOnly() throws {
        let mail = try compose(message(html: ""))
        #expect(mail.header("Content-Type") == "text/plain; charset=utf-8")
        #expect(mail.header("Content-Transfer-Encoding") == "quoted-printable")
        #expect(mail.decodedPart("plain") == "Hallo Erika,\nschön, dass Sie dabei sind.\n")
    }

    @Test("dates use Berlin time with its numeric offset, summer and winter")
    func dates() {
        #expect(MIMEComposer.formatDate(Date(timeIntervalSince1970: 1_782_894_600)) == "Wed, 1 Jul 2026 10:30:00 +0200")
        #expect(MIMEComposer.formatDate(Date(timeIntervalSince1970: 1_796_317_200)) == "Thu, 3 Dec 2026 18:00:00 +0100")
        #expect(
            MIMEComposer.formatDate(Date(timeIntervalSince1970: 0), timeZone: TimeZone(identifier: "UTC")!)
                == "Thu, 1 Jan 1970 00:00:00 +0000")
    }

    @Test("Message-IDs are random at the sender's domain; boundaries start with =_ and differ")
    func identifiers() throws {
        let first = MIMEComposer.makeMessageID(from: Self.from)
        let second = MIMEComposer.makeMessageID(from: Self.from)
        #expect(first != second)
        #expect(first.hasSuffix("@kreis-lippe.example"))
        #expect(first.count == 32 + "@kreis-lippe.example".count)
        try MIMEComposer.validateMessageID(first)
        #expect(MIMEComposer.makeBoundary().hasPrefix("=_"))
        #expect(MIMEComposer.makeBoundary() != MIMEComposer.makeBoundary())
        #expect(throws: MIMEComposer.CompositionError.invalidMessageID) {
            try MIMEComposer.compose(message(), from: Self.from, date: TestClock.now, messageID: "a>\r\nBcc: x@y")
        }
    }

    // MARK: Header injection

    static let injections = [
        "a\r\nBcc: x@y", "a\nBcc: x@y", "a\rBcc: x@y", "a\u{0}b", "a\u{85}b", "a\u{2028}b", "tab\there",
    ]

    @Test("a line break or control character in the subject throws", arguments: injections)
    func injectionInSubject(_ value: String) {
        #expect(throws: MIMEComposer.CompositionError.controlCharacter(field: "Subject")) {
            try compose(message(subject: value))
        }
    }

    @Test("a line break or control character in a display name throws", arguments: injections)
    func injectionInName(_ value: String) {
        #expect(throws: MIMEComposer.CompositionError.controlCharacter(field: "To")) {
            try compose(message(to: Mailbox(name: value, address: "erika@example.org")))
        }
        #expect(throws: MIMEComposer.CompositionError.controlCharacter(field: "Reply-To")) {
            try compose(message(replyTo: Mailbox(name: value, address: "erika@example.org")))
        }
        #expect(throws: MIMEComposer.CompositionError.controlCharacter(field: "From")) {
            try compose(message(), from: Mailbox(name: value, address: "ehrenamt@example.org"))
        }
    }

    @Test(
        "an address that is not plainly one address throws",
        arguments: [
            "a@b\r\nBcc: x@y", "erika@example.org\nBcc: x@y", "a b@example.org", "a@b@example.org", "example.org",
            "@example.org",
            "erika@", "<erika@example.org>", "Erika <erika@example.org>", "erika@example.org, x@y", "erika@exämple.org",
            "-oQ/tmp@example.org", String(repeating: "a", count: 243) + "@example.org", "",
        ])
    func invalidAddresses(_ address: String) {
        #expect(throws: MIMEComposer.CompositionError.self) {
            try compose(message(to: Mailbox(name: "Erika", address: address)))
        }
    }

    @Test("an address of 254 characters is accepted")
    func longestAddress() throws {
        let address = String(repeating: "a", count: 242) + "@example.org"
        #expect(address.count == 254)
        let mail = try compose(message(to: Mailbox(name: "", address: address)))
        #expect(mail.header("To") == address)
    }

    @Test("errors name the header, never the value")
    func errorDescriptionsHoldNoValues() {
        #expect(!MIMEComposer.CompositionError.controlCharacter(field: "Subject").description.contains("Bcc"))
        #expect(MIMEComposer.CompositionError.invalidAddress(field: "To").description.contains("To"))
    }

    // MARK: Quoted-printable

    @Test(
        "quoted-printable round-trips long lines, =, trailing white space, umlauts and special line starts",
        arguments: [
            String(repeating: "Ein sehr langer Satz ohne Umbruch, ", count: 12),
            String(repeating: "ü", count: 100),
            String(repeating: "x", count: 75) + "=" + String(repeating: "y", count: 80),
            "a = b == c =\nd=",
            "Zeile mit Leerzeichen am Ende   \nund Tab\t\nund \t \n",
            ".\n.Punkt am Anfang\nFrom here\nFromage",
            "Grüße aus Detmold – „Zitat“ 😀\r\nWindows\rMac\n",
            String(repeating: " ", count: 200),
            String(repeating: "a", count: 74) + " b",
            "",
        ])
    func quotedPrintableRoundTrip(_ text: String) {
        let encoded = String(decoding: MIMEComposer.quotedPrintable(text), as: UTF8.self)
        let normalized = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        #expect(ParsedMail.decodeQuotedPrintable(encoded) == normalized)
        for line in encoded.components(separatedBy: "\r\n") {
            #expect(line.utf8.count <= 76, "line too long: \(line)")
            #expect(!line.hasSuffix(" ") && !line.hasSuffix("\t"), "trailing white space: \(line)")
            #expect(!line.hasPrefix("."), "line starts with a dot: \(line)")
            #expect(!line.hasPrefix("From "), "line starts with From: \(line)")
            #expect(line.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F || $0 == 0x09 })
        }
    }

    @Test("quoted-printable escapes = as =3D and trailing spaces as =20")
    func quotedPrintableEscapes() {
        #expect(String(decoding: MIMEComposer.quotedPrintable("a=b "), as: UTF8.self) == "a=3Db=20")
        #expect(String(decoding: MIMEComposer.quotedPrintable("ä\n"), as: UTF8.self) == "=C3=A4\r\n")
    }

    @Test("the boundary never occurs inside the encoded parts")
    func boundaryNotInParts() throws {
        let hostile = "--=_ =_ =_abc\n--" + String(repeating: "=_", count: 50)
        let mail = try compose(message(text: hostile, html: hostile))
        let boundary = try #require(mail.boundary)
        #expect(mail.parts.count == 2)
        for part in mail.parts { #expect(!part.body.contains(boundary)) }
        #expect(mail.decodedPart("plain") == hostile)
    }
}
