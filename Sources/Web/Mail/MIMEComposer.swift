import Foundation

/// Turns a `MailMessage` into the bytes of an RFC 5322 message with a MIME body (RFC 2045–2047).
///
/// Every header line is 7-bit ASCII and folded below 78 characters where it can be (an address or a
/// Message-ID is never split, and both are far below the hard limit of 998); non-ASCII text in the subject
/// and in display names becomes RFC 2047 encoded-words. Bodies are UTF-8 in quoted-printable, lines ending
/// CRLF and at most 76 characters long. A control character in any header value, or an address that is not
/// plainly one address, throws: callers validate what people type before, so a throw here means a bug
/// upstream and must never become a header injection.
enum MIMEComposer {
    enum CompositionError: Error, Equatable, CustomStringConvertible {
        /// A line break or other control character in a header value (`field` names the header).
        case controlCharacter(field: String)
        case invalidAddress(field: String)
        case invalidMessageID

        // Names the header only: the values are personal data.
        var description: String {
            switch self {
            case .controlCharacter(let field): "Mail header \(field) holds a control character."
            case .invalidAddress(let field): "Mail header \(field) holds an invalid address."
            case .invalidMessageID: "The Message-ID is not of the form local@domain."
            }
        }
    }

    static let crlf = "\r\n"
    /// RFC 5322's recommended line length (without CRLF); the hard limit is 998.
    static let foldWidth = 78
    /// RFC 2047's limit for one encoded-word.
    static let encodedWordLimit = 75
    static let maximumAddressLength = 254

    static func compose(_ message: MailMessage, from: Mailbox, date: Date, messageID: String) throws -> [UInt8] {
        try validateMessageID(messageID)
        var head = "Date: " + formatDate(date) + crlf
        head += try mailboxHeader("From", from)
        head += try mailboxHeader("To", message.to)
        if let replyTo = message.replyTo {
            head += try mailboxHeader("Reply-To", replyTo)
        }
        head += try textHeader("Subject", message.subject)
        head += "Message-ID: <" + messageID + ">" + crlf
        head += "MIME-Version: 1.0" + crlf
        if message.autoSubmitted {
            head += "Auto-Submitted: auto-generated" + crlf
            head += "X-Auto-Response-Suppress: All" + crlf
        }
        var bytes: [UInt8]
        // A message ends with CRLF; in a multipart body the CRLF before a boundary belongs to the boundary.
        if message.htmlBody.isEmpty {
            head += partHeaders(subtype: "plain") + crlf
            bytes = Array(head.utf8)
            bytes += quotedPrintable(message.textBody)
            if !bytes.suffix(2).elementsEqual([0x0D, 0x0A]) { bytes += [0x0D, 0x0A] }
        } else {
            let boundary = makeBoundary()
            head += "Content-Type: multipart/alternative;" + crlf + " boundary=\"" + boundary + "\"" + crlf + crlf
            bytes = Array(head.utf8)
            for (subtype, body) in [("plain", message.textBody), ("html", message.htmlBody)] {
                bytes += Array(("--" + boundary + crlf + partHeaders(subtype: subtype) + crlf).utf8)
                bytes += quotedPrintable(body)
                bytes += Array(crlf.utf8)
            }
            bytes += Array(("--" + boundary + "--" + crlf).utf8)
        }
        return bytes
    }

    private static func partHeaders(subtype: String) -> String {
        "Content-Type: text/\(subtype); charset=utf-8" + crlf + "Content-Transfer-Encoding: quoted-printable" + crlf
    }

    // MARK: Identifiers

    /// A new Message-ID without angle brackets: 128 random bits at the sender's domain.
    static func makeMessageID(from: Mailbox) -> String {
        let domain = from.address.split(separator: "@").last.map(String.init) ?? "localhost"
        return randomHex(byteCount: 16) + "@" + domain
    }

    /// `=_` can never occur in quoted-printable text (an `=` there is always followed by a hex digit or a
    /// line break), so this boundary cannot collide with a part's content.
    static func makeBoundary() -> String {
        "=_" + randomHex(byteCount: 16)
    }

    private static func randomHex(byteCount: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        let digits = Array("0123456789abcdef".utf8)
        var bytes: [UInt8] = []
        for _ in 0..<byteCount {
            let byte = UInt8.random(in: 0...255, using: &generator)
            bytes.append(digits[Int(byte >> 4)])
            bytes.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    static func validateMessageID(_ messageID: String) throws {
        let parts = messageID.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty, messageID.utf8.count <= 250,
            messageID.utf8.allSatisfy({ isAtext($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "@") })
        else { throw CompositionError.invalidMessageID }
    }

    // MARK: Date

    private static let dayNames = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    private static let monthNames = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ]
    private static let berlin = TimeZone(identifier: "Europe/Berlin") ?? TimeZone(secondsFromGMT: 0)!

    /// RFC 5322 date in the county's time zone with a numeric offset: `Wed, 25 Nov 2026 10:00:00 +0100`.
    /// English names are written out here rather than taken from a formatter, whose locale could change them.
    static func formatDate(_ date: Date, timeZone: TimeZone = berlin) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.weekday, .day, .month, .year, .hour, .minute, .second], from: date)
        let offsetMinutes = timeZone.secondsFromGMT(for: date) / 60
        let sign = offsetMinutes < 0 ? "-" : "+"
        let offset = sign + twoDigits(abs(offsetMinutes) / 60) + twoDigits(abs(offsetMinutes) % 60)
        let day = dayNames[(parts.weekday ?? 1) - 1]
        let month = monthNames[(parts.month ?? 1) - 1]
        let time = twoDigits(parts.hour ?? 0) + ":" + twoDigits(parts.minute ?? 0) + ":" + twoDigits(parts.second ?? 0)
        return "\(day), \(parts.day ?? 1) \(month) \(parts.year ?? 1970) \(time) \(offset)"
    }

    private static func twoDigits(_ value: Int) -> String {
        value < 10 ? "0\(value)" : "\(value)"
    }

    // MARK: Headers

    /// `From`/`To`/`Reply-To`: an optional display name (plain, quoted or encoded) and the address.
    static func mailboxHeader(_ name: String, _ mailbox: Mailbox) throws -> String {
        try rejectControlCharacters(mailbox.name, field: name)
        try validateAddress(mailbox.address, field: name)
        if mailbox.name.isEmpty {
            return fold(name: name, tokens: [mailbox.address])
        }
        return fold(name: name, tokens: phraseTokens(mailbox.name, header: name) + ["<" + mailbox.address + ">"])
    }

    /// An unstructured header such as `Subject`.
    static func textHeader(_ name: String, _ value: String) throws -> String {
        try rejectControlCharacters(value, field: name)
        return fold(name: name, tokens: unstructuredTokens(value, header: name))
    }

    /// The longest a single token may be so that `Name: token` still fits in `foldWidth`.
    private static func tokenBudget(header: String) -> Int {
        min(encodedWordLimit, foldWidth - header.utf8.count - 2)
    }

    private static func unstructuredTokens(_ value: String, header: String) -> [String] {
        if value.isEmpty { return [] }
        if needsEncoding(value, budget: tokenBudget(header: header)) {
            return encodedWords(value, budget: tokenBudget(header: header))
        }
        return value.split(separator: " ").map(String.init)
    }

    /// A display name: encoded-words for non-ASCII, a quoted-string when it holds specials, else as is.
    private static func phraseTokens(_ value: String, header: String) -> [String] {
        let budget = tokenBudget(header: header)
        if needsEncoding(value, budget: budget - 2) {
            return encodedWords(value, budget: budget)
        }
        guard value.utf8.contains(where: { !isAtext($0) && $0 != UInt8(ascii: " ") }) else {
            return value.split(separator: " ").map(String.init)
        }
        var quoted = ""
        for character in value {
            if character == "\"" || character == "\\" { quoted.append("\\") }
            quoted.append(character)
        }
        // Folding happens at the spaces inside the quotes; unfolding restores them.
        var tokens = ("\"" + quoted + "\"").split(separator: " ").map(String.init)
        if tokens.isEmpty { tokens = ["\"\""] }
        return tokens
    }

    /// Plain ASCII is written as it is only when folding at its single spaces gives lines that fit and
    /// nothing in it could be read as an encoded-word; anything else is encoded.
    private static func needsEncoding(_ value: String, budget: Int) -> Bool {
        let bytes = Array(value.utf8)
        if bytes.contains(where: { $0 < 0x20 || $0 > 0x7E }) { return true }
        if value.contains("=?") || value.hasPrefix(" ") || value.hasSuffix(" ") || value.contains("  ") { return true }
        return value.split(separator: " ").contains { $0.utf8.count > budget }
    }

    /// RFC 2047 B-encoded words, each at most `budget` (≤ 75) characters, each holding whole characters.
    static func encodedWords(_ value: String, budget: Int) -> [String] {
        let prefix = "=?UTF-8?B?"
        let suffix = "?="
        let capacity = (budget - prefix.count - suffix.count) / 4 * 3
        var words: [String] = []
        var chunk: [UInt8] = []
        func flush() {
            guard !chunk.isEmpty else { return }
            words.append(prefix + Data(chunk).base64EncodedString() + suffix)
            chunk = []
        }
        for character in value {
            let bytes = Array(String(character).utf8)
            if bytes.count <= capacity {
                if chunk.count + bytes.count > capacity { flush() }
                chunk += bytes
            } else {
                // A grapheme longer than one word (a long run of combining marks): split between its scalars.
                for scalar in character.unicodeScalars {
                    let scalarBytes = Array(String(scalar).utf8)
                    if chunk.count + scalarBytes.count > capacity { flush() }
                    chunk += scalarBytes
                }
            }
        }
        flush()
        return words
    }

    /// Joins `tokens` with single spaces after `Name: `, starting a continuation line (CRLF + space) before
    /// a token that would pass `foldWidth`.
    private static func fold(name: String, tokens: [String]) -> String {
        var result = name + ":"
        var lineLength = result.utf8.count
        for token in tokens {
            let length = token.utf8.count
            if lineLength + 1 + length > foldWidth, lineLength > name.utf8.count + 1 {
                result += crlf
                lineLength = 0
            }
            result += " " + token
            lineLength += 1 + length
        }
        return result + crlf
    }

    /// C0 and C1 controls, DEL and Unicode line and paragraph separators.
    static func rejectControlCharacters(_ value: String, field: String) throws {
        for scalar in value.unicodeScalars {
            let code = scalar.value
            if code < 0x20 || (0x7F...0x9F).contains(code) || code == 0x2028 || code == 0x2029 {
                throw CompositionError.controlCharacter(field: field)
            }
        }
    }

    /// One plain ASCII address: exactly one `@` with text on both sides, at most 254 bytes, and none of
    /// spaces, controls, angle brackets, quotes or other characters an unquoted address cannot hold.
    static func validateAddress(_ address: String, field: String) throws {
        try rejectControlCharacters(address, field: field)
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty, address.utf8.count <= maximumAddressLength,
            !address.hasPrefix("-"),
            address.utf8.allSatisfy({ isAtext($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "@") })
        else { throw CompositionError.invalidAddress(field: field) }
    }

    /// RFC 5322 `atext`: letters, digits and ``!#$%&'*+-/=?^_`{|}~``.
    static func isAtext(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        default:
            "!#$%&'*+-/=?^_`{|}~".utf8.contains(byte)
        }
    }

    // MARK: Quoted-printable

    /// RFC 2045 quoted-printable of `text`'s UTF-8: any line break becomes CRLF, lines are at most 76
    /// characters (soft breaks `=` CRLF), `=` and non-ASCII are escaped, and so is whitespace at a line's end.
    /// A `.` or `From ` at a line's start is escaped too, for MTAs and mbox files that treat them specially.
    static func quotedPrintable(_ text: String) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(text.utf8.count + text.utf8.count / 8)
        var lines: [ArraySlice<UInt8>] = []
        let bytes = Array(text.utf8)
        var start = 0
        var index = 0
        while index < bytes.count {
            if bytes[index] == 0x0D || bytes[index] == 0x0A {
                lines.append(bytes[start..<index])
                if bytes[index] == 0x0D, index + 1 < bytes.count, bytes[index + 1] == 0x0A { index += 1 }
                start = index + 1
            }
            index += 1
        }
        lines.append(bytes[start..<bytes.count])
        for (number, line) in lines.enumerated() {
            if number > 0 { output += [0x0D, 0x0A] }
            encodeLine(line, into: &output)
        }
        return output
    }

    private static let hexDigits = Array("0123456789ABCDEF".utf8)

    private static func encodeLine(_ line: ArraySlice<UInt8>, into output: inout [UInt8]) {
        var lineLength = 0
        let startsWithFrom = line.starts(with: "From ".utf8)
        for index in line.indices {
            let byte = line[index]
            let isLast = index == line.index(before: line.endIndex)
            let printable = (33...126).contains(byte) && byte != UInt8(ascii: "=")
            let whitespace = byte == 0x20 || byte == 0x09
            var literal = printable || (whitespace && !isLast)
            var length = literal ? 1 : 3
            // The line's last character may use the 76th column; any other must leave room for a soft break.
            if lineLength + length > (isLast ? 76 : 75) {
                output += [UInt8(ascii: "="), 0x0D, 0x0A]
                lineLength = 0
            }
            if lineLength == 0, byte == UInt8(ascii: ".") || (index == line.startIndex && startsWithFrom) {
                literal = false
                length = 3
            }
            if literal {
                output.append(byte)
            } else {
                output += [UInt8(ascii: "="), hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 0x0F)]]
            }
            lineLength += length
        }
    }
}
