import Foundation
import HTTPTypes
import Testing

@testable import HTTPServer

/// Byte-exact tests of the incremental parser: no sockets, no clock.
@Suite struct RequestParserTests {
    let limits = RequestParser.Limits(
        maxRequestLineLength: 64, maxHeaderFieldLength: 64, maxHeaderBlockLength: 256, maxHeaderCount: 5,
        maxBodyLength: 100
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

    @Test func repeatedEqualContentLength_isAccepted() throws {
        let text = "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3, 3\r\nContent-Length: 3\r\n\r\nabc"
        #expect(try #require(requests(parse(text)).first).body == Array("abc".utf8))
    }

    @Test func transferEncoding_is501() {
        #expect(errorStatus(parse("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n")) == 501)
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
        #expect(
            errorStatus(parse("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 99999999999999999999999\r\n\r\n")) == 413)
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
