import Foundation
import HTTPTypes
import Testing

@testable import HTTPServer

/// Byte-exact tests of the incremental parser: no sockets, no clock.
@Suite struct RequestParserTests {
    let limits = RequestParser.Limits(
        maxRequestLineLength: 64, maxHeaderFieldLength: 64, maxHeaderBlockLength: 256, maxHeaderCount: 5,
        maxBodyLength: 100, maxUploadBodyLength: 1000, uploadPathPrefixes: ["/upload/"], maxChunkExtensionLength: 16,
        maxTrailerLength: 64
    )

    /// Feeds `text` (optionally in one-byte chunks) and collects outputs until more data is needed.
    func parse(_ text: String, byteByByte: Bool = false) -> [RequestParser.Output] {
        var parser = RequestParser(limits: limits)
        return feed(&parser, Array(text.utf8), byteByByte: byteByByte)
    }

    func feed(_ parser: inout RequestParser, _ bytes: [UInt8], byteByByte: Bool) -> [RequestParser.Output] {
        var outputs: [RequestParser.Output] = []
        func drain() {
            while true {
                let output = parser.next()
                if case .needMoreData = output { return }
                outputs.append(output)
                if case .error = output { return }
            }
        }
        if byteByByte {
            for byte in bytes {
                parser.append([byte])
                drain()
                if case .error = outputs.last { break }
            }
        } else {
            parser.append(bytes)
            drain()
        }
        return outputs
    }

    func requests(_ outputs: [RequestParser.Output]) -> [RequestParser.ParsedRequest] {
        outputs.compactMap { if case .request(let request) = $0 { request } else { nil } }
    }

    func errorStatus(_ outputs: [RequestParser.Output]) -> Int? {
        for case .error(let error) in outputs { return error.status.code }
        return nil
    }

    // MARK: - Request line and fields

    @Test func simpleGet_parsesMethodTargetAuthorityAndFields() throws {
        let outputs = parse("GET /listen?seite=2 HTTP/1.1\r\nHost: example.org\r\nAccept: text/html\r\n\r\n")
        let request = try #require(requests(outputs).first)
        #expect(outputs.count == 1)
        #expect(request.head.method == .get)
        #expect(request.head.path == "/listen?seite=2")
        #expect(request.head.authority == "example.org")
        #expect(request.head.scheme == "http")
        #expect(request.head.headerFields[.accept] == "text/html")
        #expect(request.version == .http11)
        #expect(request.body.isEmpty)
        #expect(request.keepAlive)
    }

    @Test func fieldValues_areTrimmedOfOptionalWhitespace() throws {
        let request = try #require(
            requests(parse("GET / HTTP/1.1\r\nHost: a\r\nX-Test: \t  value  x \t\r\n\r\n")).first)
        #expect(request.head.headerFields[HTTPField.Name("X-Test")!] == "value  x")
    }

    @Test func repeatedFields_keepOrderAndAllValues() throws {
        let text = "GET / HTTP/1.1\r\nHost: a\r\nAccept: a\r\naccept: b\r\n\r\n"
        let request = try #require(requests(parse(text)).first)
        #expect(request.head.headerFields[values: .accept] == ["a", "b"])
    }

    @Test func requestFedByteByByte_parsesIdenticallyToOneChunk() throws {
        let text = "POST /form HTTP/1.1\r\nHost: a\r\nContent-Length: 11\r\nX-A: 1\r\n\r\nhello world"
        let whole = try #require(requests(parse(text)).first)
        let bytewise = try #require(requests(parse(text, byteByByte: true)).first)
        #expect(whole.head == bytewise.head)
        #expect(whole.body == bytewise.body)
        #expect(String(decoding: bytewise.body, as: UTF8.self) == "hello world")
    }

    @Test func pipelinedRequests_comeOutInOrder() {
        let text =
            "GET /a HTTP/1.1\r\nHost: a\r\n\r\n"
            + "POST /b HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\nok"
            + "GET /c HTTP/1.1\r\nHost: a\r\n\r\n"
        for byteByByte in [false, true] {
            let parsed = requests(parse(text, byteByByte: byteByByte))
            #expect(parsed.map(\.head.path) == ["/a", "/b", "/c"])
            #expect(parsed[1].body == Array("ok".utf8))
        }
    }

    @Test func incompleteRequest_needsMoreData() {
        var parser = RequestParser(limits: limits)
        parser.append(Array("GET / HTTP/1.1\r\nHost: a\r\n".utf8))
        guard case .needMoreData = parser.next() else {
            Issue.record("expected needMoreData")
            return
        }
        #expect(parser.hasBufferedBytes)
        parser.append(Array("\r\n".utf8))
        guard case .request = parser.next() else {
            Issue.record("expected a request")
            return
        }
        #expect(!parser.hasBufferedBytes)
    }

    @Test func leadingEmptyLine_isIgnored() {
        #expect(requests(parse("\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n")).count == 1)
    }

    @Test func absoluteFormTarget_givesPathAndAuthority() throws {
        let request = try #require(
            requests(parse("GET http://example.org/x?y=1 HTTP/1.1\r\nHost: other\r\n\r\n")).first)
        #expect(request.head.path == "/x?y=1")
        #expect(request.head.authority == "example.org")
    }

    @Test func asteriskForm_isAcceptedOnlyForOptions() {
        #expect(requests(parse("OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n")).first?.head.path == "*")
        #expect(errorStatus(parse("GET * HTTP/1.1\r\nHost: a\r\n\r\n")) == 400)
    }

    @Test func http10WithoutHost_isAccepted() {
        let request = requests(parse("GET / HTTP/1.0\r\n\r\n")).first
        #expect(request?.version == .http10)
        #expect(request?.head.authority == nil)
    }

    // MARK: - Bad input

    @Test(arguments: [
        "GET /\r\n\r\n",
        "GET  / HTTP/1.1\r\nHost: a\r\n\r\n",
        "GET / HTTP/1.1 \r\nHost: a\r\n\r\n",
        "GET / HTTP/1.1 extra\r\nHost: a\r\n\r\n",
        "G@T / HTTP/1.1\r\nHost: a\r\n\r\n",
        "GET foo HTTP/1.1\r\nHost: a\r\n\r\n",
        "GET / HTTP/1.x\r\nHost: a\r\n\r\n",
        "GET / http/1.1\r\nHost: a\r\n\r\n",
        "GET / HTTP/11\r\nHost: a\r\n\r\n",
        "GET /\u{7F} HTTP/1.1\r\nHost: a\r\n\r\n",
        " GET / HTTP/1.1\r\nHost: a\r\n\r\n",
    ])
    func malformedRequestLine_is400(_ text: String) {
        #expect(errorStatus(parse(text)) == 400)
    }

    @Test(arguments: ["HTTP/2.0", "HTTP/0.9", "HTTP/3.0"])
    func unsupportedVersion_is505(_ version: String) {
        #expect(errorStatus(parse("GET / \(version)\r\nHost: a\r\n\r\n")) == 505)
    }

    @Test func http11WithoutHost_is400() {
        #expect(errorStatus(parse("GET / HTTP/1.1\r\nAccept: */*\r\n\r\n")) == 400)
    }

    @Test func twoHostFields_is400() {
        #expect(errorStatus(parse("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n")) == 400)
    }

    @Test(arguments: [
        "Content-Length: abc", "Content-Length: -1", "Content-Length: +5", "Content-Length: 1,2",
        "Content-Length:", "Content-Length: 1 2", "Content-Length: 0x10", "Content-Length: 3\r\nContent-Length: 4",
    ])
    func invalidContentLength_is400(_ field: String) {
        #expect(errorStatus(parse("POST / HTTP/1.1\r\nHost: a\r\n\(field)\r\n\r\nabcd")) == 400)
    }

    @Test(arguments: [
        "GET / HTTP/1.1\r\nHost: a\r\nX: 1\r\n folded\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: a\r\nX : 1\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: a\r\nNoColon\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: a\r\n: empty name\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: a\r\nX(y): 1\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: a\r\nX: a<SOH>b\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: a\r\nX: a<NUL>b\r\n\r\n",
        "GET / HTTP/1.1\nHost: a\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: a\n\r\n",
        "GET / HTTP/1.1\r\nHost: a\r\nX: a<CR>b\r\n\r\n",
    ])
    func malformedFields_are400(_ template: String) {
        // Control characters are spelled as <NUL> etc. so the test names stay printable.
        let text = template.replacingOccurrences(of: "<NUL>", with: "\u{0}")
            .replacingOccurrences(of: "<SOH>", with: "\u{1}").replacingOccurrences(of: "<CR>", with: "\r")
        #expect(errorStatus(parse(text)) == 400)
    }

    @Test func unknownExpectation_is417() {
        #expect(errorStatus(parse("POST / HTTP/1.1\r\nHost: a\r\nExpect: teapot\r\nContent-Length: 1\r\n\r\nx")) == 417)
    }

    @Test func expect100Continue_reportsContinueBeforeBody() {
        var parser = RequestParser(limits: limits)
        parser.append(Array("POST / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n".utf8))
        guard case .continueExpected = parser.next() else {
            Issue.record("expected continueExpected")
            return
        }
        guard case .needMoreData = parser.next() else {
            Issue.record("expected needMoreData")
            return
        }
        parser.append(Array("ok".utf8))
        guard case .request(let request) = parser.next() else {
            Issue.record("expected a request")
            return
        }
        #expect(request.body == Array("ok".utf8))
    }

    @Test func errorState_isSticky() {
        var parser = RequestParser(limits: limits)
        parser.append(Array("BAD\r\n".utf8))
        guard case .error = parser.next() else {
            Issue.record("expected an error")
            return
        }
        parser.append(Array("GET / HTTP/1.1\r\nHost: a\r\n\r\n".utf8))
        guard case .error(let error) = parser.next() else {
            Issue.record("expected the error again")
            return
        }
        #expect(error.status == .badRequest)
    }

    // MARK: - Limits

    @Test func requestLineAtLimit_isAccepted() {
        // "GET " + path + " HTTP/1.1" = 64 bytes exactly.
        let path = "/" + String(repeating: "a", count: 64 - 4 - 9 - 1)
        #expect(requests(parse("GET \(path) HTTP/1.1\r\nHost: a\r\n\r\n")).count == 1)
    }

    @Test func requestLineOverLimit_is414() {
        let path = "/" + String(repeating: "a", count: 64 - 4 - 9)
        #expect(errorStatus(parse("GET \(path) HTTP/1.1\r\nHost: a\r\n\r\n")) == 414)
    }

    @Test func requestLineOverLimit_is414BeforeItsEndArrives() {
        #expect(errorStatus(parse("GET /" + String(repeating: "a", count: 100))) == 414)
        #expect(errorStatus(parse("GET /" + String(repeating: "a", count: 100), byteByByte: true)) == 414)
    }

    @Test func headerFieldOverLimit_is431() {
        let field = "X-Long: " + String(repeating: "v", count: 60)
        #expect(errorStatus(parse("GET / HTTP/1.1\r\nHost: a\r\n\(field)\r\n\r\n")) == 431)
        #expect(errorStatus(parse("GET / HTTP/1.1\r\nHost: a\r\n\(field)", byteByByte: true)) == 431)
    }

    @Test func headerBlockOverLimit_is431() {
        // Request line 16 + Host 9 + three 64-byte fields = 217 bytes, 219 with the final CRLF; one more
        // 47-byte field makes 264 > 256 while every field and the field count stay within their limits.
        let fields = (0..<3).map { _ in "X-F: " + String(repeating: "v", count: 57) + "\r\n" }.joined()
        let extra = "X-G: " + String(repeating: "v", count: 40) + "\r\n"
        #expect(requests(parse("GET / HTTP/1.1\r\nHost: a\r\n\(fields)\r\n")).count == 1)
        #expect(errorStatus(parse("GET / HTTP/1.1\r\nHost: a\r\n\(fields)\(extra)\r\n")) == 431)
    }

    @Test func tooManyHeaderFields_is431() {
        let five = "Host: a\r\n" + (1...4).map { "X-\($0): 1\r\n" }.joined()
        #expect(requests(parse("GET / HTTP/1.1\r\n\(five)\r\n")).count == 1)
        #expect(errorStatus(parse("GET / HTTP/1.1\r\n\(five)X-5: 1\r\n\r\n")) == 431)
    }

    @Test func bodyOverLimit_is413AsSoonAsTheHeadEnds() {
        // No body byte has arrived: the answer must not wait for it.
        #expect(errorStatus(parse("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 101\r\n\r\n")) == 413)
    }

    @Test func bodyAtLimit_isAccepted() {
        let body = String(repeating: "b", count: 100)
        let parsed = requests(
            parse("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 100\r\n\r\n\(body)", byteByByte: true))
        #expect(parsed.first?.body.count == 100)
    }

    // MARK: - Connection tokens

    @Test(arguments: [
        ("HTTP/1.1", "", true),
        ("HTTP/1.1", "Connection: close\r\n", false),
        ("HTTP/1.1", "Connection: Keep-Alive, CLOSE\r\n", false),
        ("HTTP/1.1", "Connection: upgrade\r\nConnection: close\r\n", false),
        ("HTTP/1.0", "", false),
        ("HTTP/1.0", "Connection: keep-alive\r\n", true),
        ("HTTP/1.0", "Connection: foo ,  Keep-Alive\r\n", true),
        ("HTTP/1.0", "Connection: keep-alive-ish\r\n", false),
    ])
    func connectionField_decidesKeepAlive(_ version: String, _ field: String, _ expected: Bool) {
        let request = requests(parse("GET / \(version)\r\nHost: a\r\n\(field)\r\n")).first
        #expect(request?.keepAlive == expected)
    }
}

// MARK: - Conformance corpus (RFC 9112 framing and syntax)

/// One request of the conformance corpus and what the server must do with it. Shared by the
/// byte-exact parser tests and the socket tests (`ConformanceSocketTests`), whose server uses the
/// body and chunk limits of ``ConformanceCase/limits``.
struct ConformanceCase: Sendable, CustomTestStringConvertible {
    var name: String
    var bytes: [UInt8]
    /// The error status, or nil when the input is one complete, acceptable request.
    var status: Int?
    /// For accepted requests: the body the handler must see.
    var body: String?
    /// For accepted requests: whether the connection stays open afterwards.
    var keepAlive: Bool
    var testDescription: String { name }

    /// Body limit 100 (1000 under `/upload/`), chunk extensions 16 bytes, trailers 64 bytes.
    static let limits = RequestParser.Limits(
        maxBodyLength: 100, maxUploadBodyLength: 1000, uploadPathPrefixes: ["/upload/"], maxChunkExtensionLength: 16,
        maxTrailerLength: 64
    )

    static func rejected(_ name: String, _ text: String, _ status: Int) -> ConformanceCase {
        ConformanceCase(name: name, bytes: Array(text.utf8), status: status, body: nil, keepAlive: false)
    }

    static func rejected(_ name: String, bytes: [UInt8], _ status: Int) -> ConformanceCase {
        ConformanceCase(name: name, bytes: bytes, status: status, body: nil, keepAlive: false)
    }

    static func accepted(_ name: String, _ text: String, body: String = "", keepAlive: Bool = true) -> ConformanceCase {
        ConformanceCase(name: name, bytes: Array(text.utf8), status: nil, body: body, keepAlive: keepAlive)
    }

    static func accepted(_ name: String, bytes: [UInt8]) -> ConformanceCase {
        ConformanceCase(name: name, bytes: bytes, status: nil, body: "", keepAlive: true)
    }

    /// A POST to `path` with a chunked body.
    static func chunked(_ chunks: String, path: String = "/", extra: String = "") -> String {
        "POST \(path) HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\(extra)\r\n\(chunks)"
    }

    /// A request with one extra field line.
    static func withField(_ field: String, method: String = "GET", version: String = "HTTP/1.1") -> String {
        "\(method) / \(version)\r\nHost: a\r\n\(field)\r\n\r\n"
    }

    // Request line: method token, version, target forms, single spaces.
    static let requestLine: [ConformanceCase] =
        ["GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH"].map {
            accepted("method \($0)", "\($0) / HTTP/1.1\r\nHost: a\r\n\r\n")
        } + [
            rejected("unknown method FOO", "FOO / HTTP/1.1\r\nHost: a\r\n\r\n", 501),
            rejected("CONNECT", "CONNECT a:443 HTTP/1.1\r\nHost: a:443\r\n\r\n", 501),
            rejected("TRACE", "TRACE / HTTP/1.1\r\nHost: a\r\n\r\n", 501),
            rejected("lowercase method (case-sensitive)", "get / HTTP/1.1\r\nHost: a\r\n\r\n", 501),
            rejected("method not a token", "G@T / HTTP/1.1\r\nHost: a\r\n\r\n", 400),
            rejected("method with parenthesis", "GE(T / HTTP/1.1\r\nHost: a\r\n\r\n", 400),
            rejected("HTTP/2.0", "GET / HTTP/2.0\r\nHost: a\r\n\r\n", 505),
            rejected("HTTP/1.2", "GET / HTTP/1.2\r\nHost: a\r\n\r\n", 505),
            rejected("HTTP/0.9 version", "GET / HTTP/0.9\r\nHost: a\r\n\r\n", 505),
            rejected("HTTP/3.0", "GET / HTTP/3.0\r\nHost: a\r\n\r\n", 505),
            rejected("HTTP/2 preface", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", 505),
            rejected("HTTP/0.9 request line", "GET /\r\n", 400),
            rejected("HTTP/0.9 request line with CRLF", "GET /\r\n\r\n", 400),
            rejected("version HTTP/1", "GET / HTTP/1\r\nHost: a\r\n\r\n", 400),
            rejected("version HTTP/1.10", "GET / HTTP/1.10\r\nHost: a\r\n\r\n", 400),
            rejected("version lowercase", "GET / http/1.1\r\nHost: a\r\n\r\n", 400),
            rejected("version HTTP/1.x", "GET / HTTP/1.x\r\nHost: a\r\n\r\n", 400),
            rejected("two spaces after method", "GET  / HTTP/1.1\r\nHost: a\r\n\r\n", 400),
            rejected("two spaces after target", "GET /  HTTP/1.1\r\nHost: a\r\n\r\n", 400),
            rejected("trailing space", "GET / HTTP/1.1 \r\nHost: a\r\n\r\n", 400),
            rejected("leading space", " GET / HTTP/1.1\r\nHost: a\r\n\r\n", 400),
            rejected("tab as separator", "GET\t/ HTTP/1.1\r\nHost: a\r\n\r\n", 400),
            rejected("fourth part", "GET / HTTP/1.1 x\r\nHost: a\r\n\r\n", 400),
            accepted("OPTIONS *", "OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n"),
            rejected("GET *", "GET * HTTP/1.1\r\nHost: a\r\n\r\n", 400),
            rejected("relative target", "GET foo HTTP/1.1\r\nHost: a\r\n\r\n", 400),
            rejected("authority-form with GET", "GET a:80 HTTP/1.1\r\nHost: a\r\n\r\n", 400),
            accepted("absolute-form", "GET http://a/x?y=1 HTTP/1.1\r\nHost: a\r\n\r\n"),
            rejected("absolute-form with userinfo", "GET http://u@a/ HTTP/1.1\r\nHost: a\r\n\r\n", 400),
            rejected("absolute-form without host", "GET http:///x HTTP/1.1\r\nHost: a\r\n\r\n", 400),
            rejected("fragment in target", "GET /a#b HTTP/1.1\r\nHost: a\r\n\r\n", 400),
            rejected(
                "non-ASCII byte in target",
                bytes: Array("GET /".utf8) + [0xC3, 0xA9] + Array(" HTTP/1.1\r\nHost: a\r\n\r\n".utf8), 400),
        ]

    // Header fields: colon, obs-fold, bare CR, control characters.
    static let fieldSyntax: [ConformanceCase] =
        [
            rejected("space before colon", withField("X : 1"), 400),
            rejected("tab before colon", withField("X\t: 1"), 400),
            rejected("obs-fold with space", withField("X: 1\r\n folded"), 400),
            rejected("obs-fold with tab", withField("X: 1\r\n\tfolded"), 400),
            rejected("obs-fold of the first field", "GET / HTTP/1.1\r\n Host: a\r\n\r\n", 400),
            rejected("field without colon", withField("NoColon"), 400),
            rejected("empty field name", withField(": v"), 400),
            rejected("field name not a token", withField("X(y): 1"), 400),
            rejected("bare CR in request line", "GET\r/ HTTP/1.1\r\nHost: a\r\n\r\n", 400),
            rejected("bare CR in target", "GET /a\rb HTTP/1.1\r\nHost: a\r\n\r\n", 400),
            rejected("bare CR in field value", withField("X: a\rb"), 400),
            rejected("bare CR in field name", withField("X\rY: 1"), 400),
            rejected("bare CR before CRLF", withField("X: 1\r"), 400),
            rejected("bare CR as a line", "GET / HTTP/1.1\r\nHost: a\r\n\r\r\n", 400),
            accepted("tab inside field value", withField("X: a\tb")),
            accepted(
                "obs-text in field value",
                bytes: Array(withField("X: caf").utf8.dropLast(4)) + [0xE9] + Array("\r\n\r\n".utf8)),
        ] + controlCharacters

    /// Every control character (0x00–0x1F except HTAB, CR and LF, which have their own cases, and
    /// 0x7F) in a field value, a field name and the target.
    static let controlCharacters: [ConformanceCase] = (Array(0x00...0x1F) + [0x7F]).filter {
        $0 != 0x09 && $0 != 0x0A && $0 != 0x0D
    }.flatMap { (code: Int) -> [ConformanceCase] in
        let byte = UInt8(code)
        let hex = String(code, radix: 16)
        return [
            rejected(
                "0x\(hex) in value",
                bytes: Array("GET / HTTP/1.1\r\nHost: a\r\nX: a".utf8) + [byte] + Array("b\r\n\r\n".utf8), 400),
            rejected(
                "0x\(hex) in name",
                bytes: Array("GET / HTTP/1.1\r\nHost: a\r\nX".utf8) + [byte] + Array("Y: b\r\n\r\n".utf8), 400),
            rejected(
                "0x\(hex) in target", bytes: Array("GET /a".utf8) + [byte] + Array(" HTTP/1.1\r\nHost: a\r\n\r\n".utf8),
                400),
        ]
    }

    // Bare LF line endings: rejected everywhere.
    static let bareLF: [ConformanceCase] = [
        rejected("bare LF after request line", "GET / HTTP/1.1\nHost: a\r\n\r\n", 400),
        rejected("bare LF after field", "GET / HTTP/1.1\r\nHost: a\n\r\n", 400),
        rejected("bare LF as empty line", "GET / HTTP/1.1\r\nHost: a\r\n\n", 400),
        rejected("bare LF before request line", "\nGET / HTTP/1.1\r\nHost: a\r\n\r\n", 400),
        rejected("bare LF after chunk size", chunked("5\nhello\r\n0\r\n\r\n"), 400),
        rejected("bare LF after chunk data", chunked("5\r\nhello\n0\r\n\r\n"), 400),
        rejected("bare LF after last chunk", chunked("0\n\r\n"), 400),
        rejected("bare LF after trailer field", chunked("0\r\nX: 1\n\r\n"), 400),
        rejected("bare LF ending trailers", chunked("0\r\n\n"), 400),
    ]

    // Host.
    static let host: [ConformanceCase] = [
        rejected("HTTP/1.1 without Host", "GET / HTTP/1.1\r\nX: 1\r\n\r\n", 400),
        rejected("two Host fields", "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400),
        rejected("two equal Host fields", "GET / HTTP/1.1\r\nHost: a\r\nHost: a\r\n\r\n", 400),
        rejected("empty Host", "GET / HTTP/1.1\r\nHost:\r\n\r\n", 400),
        rejected("Host with space", "GET / HTTP/1.1\r\nHost: a b\r\n\r\n", 400),
        rejected("Host with slash", "GET / HTTP/1.1\r\nHost: a/b\r\n\r\n", 400),
        rejected("Host with userinfo", "GET / HTTP/1.1\r\nHost: u@a\r\n\r\n", 400),
        rejected("Host with bad port", "GET / HTTP/1.1\r\nHost: a:8x\r\n\r\n", 400),
        rejected("Host with long port", "GET / HTTP/1.1\r\nHost: a:123456\r\n\r\n", 400),
        rejected("Host with open bracket", "GET / HTTP/1.1\r\nHost: [::1\r\n\r\n", 400),
        rejected("HTTP/1.0 with two Host fields", "GET / HTTP/1.0\r\nHost: a\r\nHost: b\r\n\r\n", 400),
        accepted("Host with port", "GET / HTTP/1.1\r\nHost: a.example:8080\r\n\r\n"),
        accepted("Host IPv6 literal", "GET / HTTP/1.1\r\nHost: [::1]:80\r\n\r\n"),
        accepted("HTTP/1.0 without Host", "GET / HTTP/1.0\r\n\r\n", keepAlive: false),
    ]

    // Content-Length.
    static let contentLength: [ConformanceCase] =
        ["abc", "-1", "+5", "1,2", "3, 3", "1 2", "0x10", "1.0", "", "3;"].map {
            rejected("Content-Length '\($0)'", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: \($0)\r\n\r\nabcd", 400)
        } + [
            rejected(
                "two equal Content-Length fields",
                "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\nabc", 400),
            rejected(
                "two different Content-Length fields",
                "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd", 400),
            rejected(
                "30-digit Content-Length",
                "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: \(String(repeating: "9", count: 30))\r\n\r\n", 400),
            rejected(
                "Content-Length Int.max + 1",
                "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 9223372036854775808\r\n\r\n", 400),
            rejected(
                "Content-Length Int.max", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 9223372036854775807\r\n\r\n",
                413),
            rejected(
                "Content-Length over limit, no body sent", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 101\r\n\r\n",
                413),
            accepted(
                "Content-Length at limit",
                "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 100\r\n\r\n\(String(repeating: "b", count: 100))",
                body: String(repeating: "b", count: 100)),
            accepted(
                "Content-Length with leading zeros", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 007\r\n\r\nseven!!",
                body: "seven!!"),
            accepted(
                "upload route allows more",
                "POST /upload/a HTTP/1.1\r\nHost: a\r\nContent-Length: 500\r\n\r\n\(String(repeating: "u", count: 500))",
                body: String(repeating: "u", count: 500)),
            accepted(
                "upload route in absolute-form",
                "POST http://a/upload/a HTTP/1.1\r\nHost: a\r\nContent-Length: 150\r\n\r\n\(String(repeating: "u", count: 150))",
                body: String(repeating: "u", count: 150)),
            rejected(
                "upload route over its limit", "POST /upload/a HTTP/1.1\r\nHost: a\r\nContent-Length: 1001\r\n\r\n", 413
            ),
            rejected("other route over limit", "POST /uploads HTTP/1.1\r\nHost: a\r\nContent-Length: 500\r\n\r\n", 413),
            rejected(
                "prefix only in query", "POST /f?/upload/ HTTP/1.1\r\nHost: a\r\nContent-Length: 500\r\n\r\n", 413),
            rejected(
                "dot segment after prefix", "POST /upload/../f HTTP/1.1\r\nHost: a\r\nContent-Length: 500\r\n\r\n", 413),
            rejected(
                "encoded dot segment after prefix",
                "POST /upload/%2E%2e/f HTTP/1.1\r\nHost: a\r\nContent-Length: 500\r\n\r\n",
                413),
        ]

    // Transfer-Encoding: chunked request bodies and everything else.
    static let transferEncoding: [ConformanceCase] = [
        accepted("one chunk", chunked("5\r\nhello\r\n0\r\n\r\n"), body: "hello"),
        accepted("two chunks", chunked("5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n"), body: "hello world"),
        accepted("empty chunked body", chunked("0\r\n\r\n")),
        accepted(
            "hex digits both cases", chunked("a\r\n0123456789\r\nB\r\nabcdefghijk\r\n0\r\n\r\n"),
            body: "0123456789abcdefghijk"),
        accepted("leading zeros", chunked("0005\r\nhello\r\n000\r\n\r\n"), body: "hello"),
        accepted("chunk extensions", chunked("5;a=b\r\nhello\r\n0 ; c;d = \"\\\"x\"\r\n\r\n"), body: "hello"),
        accepted("trailer fields", chunked("2\r\nok\r\n0\r\nX-T: 1\r\nY: 2\r\n\r\n"), body: "ok"),
        accepted(
            "coding name case-insensitive", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: Chunked\r\n\r\n0\r\n\r\n"),
        accepted(
            "empty list element ignored", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: , chunked\r\n\r\n0\r\n\r\n"),
        accepted(
            "chunked body at limit", chunked("64\r\n\(String(repeating: "c", count: 100))\r\n0\r\n\r\n"),
            body: String(repeating: "c", count: 100)),
        accepted(
            "chunked upload route",
            chunked("C8\r\n\(String(repeating: "u", count: 200))\r\n0\r\n\r\n", path: "/upload/x"),
            body: String(repeating: "u", count: 200)),
        rejected("17 hex digits", chunked("00000000000000005\r\nhello\r\n0\r\n\r\n"), 400),
        rejected("chunk size overflows", chunked("FFFFFFFFFFFFFFFF\r\n"), 400),
        rejected("chunk size 2^63", chunked("8000000000000000\r\n"), 400),
        rejected("chunk size Int.max", chunked("7FFFFFFFFFFFFFFF\r\n"), 413),
        rejected("chunk size not hex", chunked("z\r\nhello\r\n0\r\n\r\n"), 400),
        rejected("negative chunk size", chunked("-5\r\nhello\r\n0\r\n\r\n"), 400),
        rejected("chunk size 0x", chunked("0x5\r\nhello\r\n0\r\n\r\n"), 400),
        rejected("empty chunk size", chunked("\r\nhello\r\n0\r\n\r\n"), 400),
        rejected("space after chunk size", chunked("5 \r\nhello\r\n0\r\n\r\n"), 400),
        rejected("space before chunk size", chunked(" 5\r\nhello\r\n0\r\n\r\n"), 400),
        rejected("extension without name", chunked("5;\r\nhello\r\n0\r\n\r\n"), 400),
        rejected("extension without value", chunked("5;a=\r\nhello\r\n0\r\n\r\n"), 400),
        rejected("extension with open quote", chunked("5;a=\"x\r\nhello\r\n0\r\n\r\n"), 400),
        rejected("extension with NUL", chunked("5;a=\"\u{0}\"\r\nhello\r\n0\r\n\r\n"), 400),
        rejected("extension too long", chunked("5;a=\(String(repeating: "x", count: 20))\r\nhello\r\n0\r\n\r\n"), 400),
        rejected("chunk line without end", chunked("5;a=\(String(repeating: "x", count: 200))"), 400),
        rejected("chunk data longer than size", chunked("5\r\nhelloX\r\n0\r\n\r\n"), 400),
        rejected("chunk data shorter than size", chunked("6\r\nhello\r\n0\r\n\r\n"), 400),
        rejected("CR without LF after chunk data", chunked("5\r\nhello\rX"), 400),
        rejected("trailer section too long", chunked("0\r\nX: \(String(repeating: "t", count: 70))\r\n\r\n"), 431),
        rejected(
            "trailer fields add up too long",
            chunked("0\r\n" + String(repeating: "X-Trailer: 12345\r\n", count: 4) + "\r\n"), 431),
        rejected("trailer with space before colon", chunked("0\r\nX : 1\r\n\r\n"), 400),
        rejected("trailer with obs-fold", chunked("0\r\nX: 1\r\n folded\r\n\r\n"), 400),
        rejected("trailer without colon", chunked("0\r\nBad\r\n\r\n"), 400),
        rejected("trailer with NUL", chunked("0\r\nX: a\u{0}b\r\n\r\n"), 400),
        rejected("decoded body over limit in one chunk", chunked("65\r\n"), 413),
        rejected(
            "decoded body over limit in two chunks", chunked("32\r\n\(String(repeating: "c", count: 50))\r\n33\r\n"),
            413),
        rejected("chunked upload route over its limit", chunked("3E9\r\n", path: "/upload/x"), 413),
        rejected("gzip", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\n", 501),
        rejected(
            "gzip then chunked", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n", 501),
        rejected(
            "chunked not last", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, gzip\r\n\r\n0\r\n\r\n", 501),
        rejected("identity", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: identity\r\n\r\n", 501),
        rejected(
            "chunked twice in one field",
            "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, chunked\r\n\r\n0\r\n\r\n", 400),
        rejected(
            "chunked twice in two fields",
            "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
            400),
        rejected(
            "chunked with parameter", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked;q=1\r\n\r\n0\r\n\r\n",
            400),
        rejected("empty Transfer-Encoding", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding:\r\n\r\n", 400),
        rejected("Transfer-Encoding only commas", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: ,,\r\n\r\n", 400),
        rejected(
            "Transfer-Encoding not a token", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: \"chunked\"\r\n\r\n", 400
        ),
        rejected(
            "Transfer-Encoding in HTTP/1.0", "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400),
        rejected(
            "Content-Length and Transfer-Encoding",
            "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400),
        rejected(
            "Transfer-Encoding and Content-Length",
            "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nContent-Length: 0\r\n\r\n0\r\n\r\n", 400),
    ]

    // Expect.
    static let expect: [ConformanceCase] = [
        rejected(
            "unknown expectation", "POST / HTTP/1.1\r\nHost: a\r\nExpect: teapot\r\nContent-Length: 1\r\n\r\nx", 417),
        rejected(
            "100-continue in a list",
            "POST / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue, x\r\nContent-Length: 1\r\n\r\nx",
            417),
        rejected(
            "100-continue with a body over the limit",
            "POST / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 101\r\n\r\n", 413),
        accepted("100-continue without a body", "GET / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\n\r\n"),
        accepted(
            "100-continue in HTTP/1.0 is ignored",
            "POST / HTTP/1.0\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\nok", body: "ok", keepAlive: false),
    ]

    // Percent-encoding of path and query.
    static let percent: [ConformanceCase] =
        [
            "/%G1", "/%4", "/%", "/a%4/b", "/%C0%AF", "/%E0%80%AF", "/%C3%28", "/%80", "/%BF", "/%ED%A0%80",
            "/%F4%90%80%80", "/%F5%80%80%80", "/%C3", "/%E2%82", "/?q=%G1", "/?q=%4", "/?q=%C0%AF",
            "/?q=%ED%A0%80", "/x?%C3%28", "/%C3?%A9",
        ].map { rejected("target \($0)", "GET \($0) HTTP/1.1\r\nHost: a\r\n\r\n", 400) }
        + ["/%C3%A9", "/%E2%82%AC", "/%F0%9F%98%80", "/a%2Fb", "/a+b?q=a+b", "/%25", "/?q=%c3%a9"].map {
            accepted("target \($0)", "GET \($0) HTTP/1.1\r\nHost: a\r\n\r\n")
        }

    static let all: [ConformanceCase] =
        requestLine + fieldSyntax + bareLF + host + contentLength + transferEncoding + expect + percent
}

extension RequestParserTests {
    /// Feeds `bytes` in pieces (after each offset in `splits`) and collects outputs until the first
    /// error or until more data is needed after the last piece.
    func outputs(_ bytes: [UInt8], limits: RequestParser.Limits, splits: [Int]) -> [RequestParser.Output] {
        var parser = RequestParser(limits: limits)
        var outputs: [RequestParser.Output] = []
        var from = 0
        for end in splits + [bytes.count] where end >= from {
            parser.append(bytes[from..<end])
            from = end
            while true {
                let output = parser.next()
                if case .needMoreData = output { break }
                outputs.append(output)
                if case .error = output { return outputs }
            }
        }
        return outputs
    }

    /// A comparable description of parser outputs.
    func describe(_ outputs: [RequestParser.Output]) -> [String] {
        outputs.map { output in
            switch output {
            case .needMoreData: return "needMoreData"
            case .continueExpected: return "100"
            case .error(let error): return "error \(error)"
            case .request(let request):
                let fields = request.head.headerFields.map { "\($0.name.rawName)=\($0.value)" }.joined(separator: ",")
                return "\(request.head.method) \(request.head.path ?? "-") \(request.head.authority ?? "-") "
                    + "\(request.version) \(request.keepAlive) [\(fields)] \(request.body)"
            }
        }
    }

    @Test(arguments: ConformanceCase.all)
    func conformanceCase_hasItsExpectedOutcome(_ testCase: ConformanceCase) throws {
        let results = outputs(testCase.bytes, limits: ConformanceCase.limits, splits: [])
        if let status = testCase.status {
            // Exactly one error, nothing before it (no request, no 100 Continue).
            #expect(results.count == 1)
            #expect(errorStatus(results) == status)
        } else {
            let parsed = requests(results)
            try #require(parsed.count == 1)
            #expect(String(decoding: parsed[0].body, as: UTF8.self) == testCase.body)
            #expect(parsed[0].keepAlive == testCase.keepAlive)
            #expect(errorStatus(results) == nil)
        }
    }

    /// The parser is incremental: every way of cutting the input gives the same outputs.
    @Test func everySplitOfTheCorpus_givesIdenticalOutputs() {
        var corpus = ConformanceCase.all.map(\.bytes)
        corpus.append(
            Array(ConformanceCase.chunked("5\r\nhello\r\n0\r\nX: 1\r\n\r\nGET /next HTTP/1.1\r\nHost: a\r\n\r\n").utf8))
        corpus.append(
            Array(
                "POST / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\nokGET / HTTP/1.1\r\n"
                    .utf8))
        corpus.append(Array("\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\nGET /x HTTP/1.0\r\n\r\n".utf8))
        for bytes in corpus {
            let whole = describe(outputs(bytes, limits: ConformanceCase.limits, splits: []))
            let byteByByte = describe(outputs(bytes, limits: ConformanceCase.limits, splits: Array(0..<bytes.count)))
            #expect(byteByByte == whole, "\(String(decoding: bytes, as: UTF8.self).debugDescription)")
            for split in 1..<max(1, bytes.count) {
                let cut = describe(outputs(bytes, limits: ConformanceCase.limits, splits: [split]))
                if cut != whole {
                    Issue.record(
                        "split at \(split) differs for \(String(decoding: bytes, as: UTF8.self).debugDescription)")
                    break
                }
            }
        }
    }

    // MARK: - Request line details

    @Test func knownMethods_keepTheirMethod() throws {
        for method in ["GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH"] {
            let request = try #require(requests(parse("\(method) / HTTP/1.1\r\nHost: a\r\n\r\n")).first)
            #expect(request.head.method.rawValue == method)
        }
    }

    @Test func http2Preface_is505EvenWithoutTheRestOfThePreface() {
        #expect(errorStatus(parse("PRI * HTTP/2.0\r\n")) == 505)
    }

    @Test func percentEncodedTarget_staysEncodedAndPlusStaysPlus() throws {
        let request = try #require(requests(parse("GET /a%2Fb+c?q=a+b%20c HTTP/1.1\r\nHost: a\r\n\r\n")).first)
        #expect(request.head.path == "/a%2Fb+c?q=a+b%20c")
    }

    @Test func percentDecoding_decodesStrictlyAndLeavesPlus() {
        #expect(PercentDecoding.decode("a+b%20%C3%A9") == "a+b é")
        #expect(PercentDecoding.decode("%2F") == "/")
        #expect(PercentDecoding.decode("%C0%AF") == nil)
        #expect(PercentDecoding.decode("%ED%A0%80") == nil)
        #expect(PercentDecoding.decode("%zz") == nil)
        #expect(PercentDecoding.decode("%F4%8F%BF%BF") == "\u{10FFFF}")
        #expect(PercentDecoding.isValidUTF8([0xEF, 0xBF, 0xBD]))
        #expect(!PercentDecoding.isValidUTF8([0xE0, 0x9F, 0xBF]))
    }

    // MARK: - Host and authority

    @Test func absoluteForm_authorityWinsOverHost() throws {
        let request = try #require(requests(parse("GET HTTP://b.example/x HTTP/1.1\r\nHost: a\r\n\r\n")).first)
        #expect(request.head.authority == "b.example")
        #expect(request.head.path == "/x")
    }

    // MARK: - Content-Length

    @Test func contentLengthOverLimit_is413WithoutReadingTheBody() {
        var parser = RequestParser(limits: ConformanceCase.limits)
        parser.append(Array("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 101\r\n\r\n".utf8))
        guard case .error(let error) = parser.next() else {
            Issue.record("expected 413 before any body byte")
            return
        }
        #expect(error.status == .contentTooLarge)
    }

    @Test func uploadLimit_isChosenByPath() {
        let limits = ConformanceCase.limits
        #expect(limits.maxBodyLength(forPath: "/upload/a") == 1000)
        #expect(limits.maxBodyLength(forPath: "/upload/a?x=1") == 1000)
        #expect(limits.maxBodyLength(forPath: "/upload") == 100)
        #expect(limits.maxBodyLength(forPath: "/form?/upload/") == 100)
        #expect(limits.maxBodyLength(forPath: "/upload/./a") == 100)
        #expect(limits.maxBodyLength(forPath: "/upload/a/.%2E") == 100)
        #expect(limits.maxBodyLength(forPath: "/upload/a.b/..c") == 1000)
        #expect(RequestParser.Limits().maxBodyLength(forPath: "/upload/a") == 1024 * 1024)
    }

    @Test func limitsFromConfiguration_carryEveryField() {
        let configuration = Configuration(
            maxBodyLength: 10, maxUploadBodyLength: 20, uploadPathPrefixes: ["/u/"], maxChunkExtensionLength: 30,
            maxTrailerLength: 40)
        let limits = RequestParser.Limits(configuration)
        #expect(limits.maxBodyLength == 10)
        #expect(limits.maxUploadBodyLength == 20)
        #expect(limits.uploadPathPrefixes == ["/u/"])
        #expect(limits.maxChunkExtensionLength == 30)
        #expect(limits.maxTrailerLength == 40)
    }

    // MARK: - Chunked bodies

    @Test func chunkedBody_phasesReportReadingBodyAndBufferedBytes() {
        var parser = RequestParser(limits: ConformanceCase.limits)
        parser.append(Array(ConformanceCase.chunked("5\r\nhel").utf8))
        guard case .needMoreData = parser.next() else {
            Issue.record("expected needMoreData")
            return
        }
        #expect(parser.isReadingBody)
        #expect(parser.hasBufferedBytes)
        parser.append(Array("lo\r\n0\r\nX: 1\r\n".utf8))
        guard case .needMoreData = parser.next() else {
            Issue.record("expected needMoreData in the trailers")
            return
        }
        #expect(parser.isReadingBody)
        parser.append(Array("\r\n".utf8))
        guard case .request(let request) = parser.next() else {
            Issue.record("expected the request")
            return
        }
        #expect(request.body == Array("hello".utf8))
        #expect(!parser.isReadingBody)
        #expect(!parser.hasBufferedBytes)
    }

    @Test func trailerFields_areNeverMergedIntoTheRequest() throws {
        let text = ConformanceCase.chunked("0\r\nHost: evil\r\nContent-Length: 5\r\nX-Trailer: 1\r\n\r\n")
        let request = try #require(
            requests(outputs(Array(text.utf8), limits: ConformanceCase.limits, splits: [])).first)
        #expect(request.head.authority == "a")
        #expect(request.head.headerFields[HTTPField.Name("X-Trailer")!] == nil)
        #expect(request.head.headerFields[.contentLength] == nil)
        #expect(request.head.headerFields[.transferEncoding] == "chunked")
    }

    @Test func chunkedBodyOverLimit_is413BeforeTheChunkDataArrives() {
        var parser = RequestParser(limits: ConformanceCase.limits)
        parser.append(Array(ConformanceCase.chunked("32\r\n\(String(repeating: "c", count: 50))\r\n").utf8))
        guard case .needMoreData = parser.next() else {
            Issue.record("expected needMoreData after 50 bytes")
            return
        }
        parser.append(Array("33\r\n".utf8))
        guard case .error(let error) = parser.next() else {
            Issue.record("expected 413 on the chunk-size line")
            return
        }
        #expect(error.status == .contentTooLarge)
    }

    @Test func chunkedRequest_isFollowedByPipelinedRequest() {
        let text = ConformanceCase.chunked("3\r\nabc\r\n0\r\n\r\n") + "GET /next HTTP/1.1\r\nHost: a\r\n\r\n"
        let parsed = requests(outputs(Array(text.utf8), limits: ConformanceCase.limits, splits: []))
        #expect(parsed.map(\.head.path) == ["/", "/next"])
        #expect(parsed.first?.body == Array("abc".utf8))
    }

    @Test func smuggledRequest_behindContentLengthAndTransferEncoding_isNeverParsed() {
        let smuggled = "GET /smuggled HTTP/1.1\r\nHost: a\r\n\r\n"
        for head in [
            "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 40\r\nTransfer-Encoding: chunked\r\n\r\n",
            "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n",
            "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n",
        ] {
            var parser = RequestParser(limits: ConformanceCase.limits)
            parser.append(Array((head + "0\r\n\r\n" + smuggled).utf8))
            guard case .error(let error) = parser.next() else {
                Issue.record("expected an error for \(head.debugDescription)")
                continue
            }
            #expect(error.status == .badRequest || error.status == .notImplemented)
            for _ in 0..<3 {
                guard case .error = parser.next() else {
                    Issue.record("the parser left its error state")
                    break
                }
            }
        }
    }

    // MARK: - Expect

    @Test func expect100Continue_withChunkedBody_reportsContinueBeforeBody() {
        var parser = RequestParser(limits: ConformanceCase.limits)
        parser.append(Array(ConformanceCase.chunked("", extra: "Expect: 100-Continue\r\n").utf8))
        guard case .continueExpected = parser.next() else {
            Issue.record("expected continueExpected")
            return
        }
        guard case .needMoreData = parser.next() else {
            Issue.record("expected needMoreData")
            return
        }
        parser.append(Array("2\r\nok\r\n0\r\n\r\n".utf8))
        guard case .request(let request) = parser.next() else {
            Issue.record("expected a request")
            return
        }
        #expect(request.body == Array("ok".utf8))
    }

    @Test func expect100Continue_withoutBody_givesNoInterimResponse() {
        let outputs = parse("POST / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 0\r\n\r\n")
        #expect(outputs.count == 1)
        #expect(requests(outputs).count == 1)
    }

    // MARK: - End of input

    @Test(arguments: [
        "GET / HTTP/1.1\r\nHost:",
        "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nab",
        "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n",
        "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nX: 1\r\n",
    ])
    func endOfInput_insideARequest_is400(_ text: String) {
        var parser = RequestParser(limits: ConformanceCase.limits)
        parser.append(Array(text.utf8))
        guard case .needMoreData = parser.next() else {
            Issue.record("expected needMoreData")
            return
        }
        guard case .error(let error) = parser.endOfInput() else {
            Issue.record("expected an error at end of input")
            return
        }
        #expect(error.status == .badRequest)
    }

    @Test func endOfInput_betweenRequests_isClean() {
        var parser = RequestParser(limits: ConformanceCase.limits)
        guard case .needMoreData = parser.endOfInput() else {
            Issue.record("a fresh parser has nothing pending")
            return
        }
        parser.append(Array("GET / HTTP/1.1\r\nHost: a\r\n\r\n".utf8))
        guard case .request = parser.next(), case .needMoreData = parser.next(),
            case .needMoreData = parser.endOfInput()
        else {
            Issue.record("expected a clean end after a complete request")
            return
        }
    }
}

/// Inputs the fuzzer (Fuzz/, `make fuzz`) found to break the parser, kept byte-exact.
@Suite struct FuzzFindingTests {
    let limits = RequestParser.Limits(
        maxRequestLineLength: 64, maxHeaderFieldLength: 64, maxHeaderBlockLength: 256, maxHeaderCount: 6,
        maxBodyLength: 64, maxUploadBodyLength: 200, uploadPathPrefixes: ["/upload/"], maxChunkExtensionLength: 16,
        maxTrailerLength: 64
    )

    func errorStatus(_ bytes: [UInt8], chunkSize: Int) -> Int? {
        var parser = RequestParser(limits: limits)
        var start = 0
        while start < bytes.count {
            parser.append(bytes[start..<min(bytes.count, start + chunkSize)])
            start += chunkSize
            while true {
                switch parser.next() {
                case .needMoreData: break
                case .error(let error): return error.status.code
                case .request, .continueExpected: continue
                }
                break
            }
        }
        return nil
    }

    @Test("an over-long field line ending in a bare LF gets one status however the bytes arrive")
    func overlongFieldWithBareLF_sameStatusForEverySplit() {
        let input = Array(
            ("GET / HTTP/1.1\r\nHost: example.org\r\nX-Long: " + String(repeating: "v", count: 80) + "\n\r\n").utf8)
        let whole = errorStatus(input, chunkSize: input.count)
        #expect(whole != nil)
        for chunkSize in 1...8 {
            #expect(errorStatus(input, chunkSize: chunkSize) == whole, "chunks of \(chunkSize)")
        }
    }

    @Test("HTTP/1.2 is refused with 505, not accepted without Host")
    func http12_isRefused() {
        let input = Array("GET / HTTP/1.2\r\nHostA: example.org\r\n\r\n".utf8)
        #expect(errorStatus(input, chunkSize: input.count) == 505)
        #expect(errorStatus(input, chunkSize: 1) == 505)
    }
}
