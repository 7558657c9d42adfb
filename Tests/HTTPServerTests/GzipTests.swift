import CZlib
import HTTPTypes
import Testing

@testable import HTTPServer

/// Inflates a gzip member with zlib, independently of the server's code path.
func gunzip(_ bytes: [UInt8]) -> [UInt8]? {
    var stream = z_stream()
    guard inflateInit2_(&stream, 15 + 16, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else { return nil }
    defer { inflateEnd(&stream) }
    var output: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 64 * 1024)
    var input = bytes
    let status: Int32 = input.withUnsafeMutableBufferPointer { inputBuffer in
        stream.next_in = inputBuffer.baseAddress
        stream.avail_in = uInt(inputBuffer.count)
        var result = Z_OK
        repeat {
            result = chunk.withUnsafeMutableBufferPointer { out in
                stream.next_out = out.baseAddress
                stream.avail_out = uInt(out.count)
                return inflate(&stream, Z_NO_FLUSH)
            }
            output.append(contentsOf: chunk[0..<(chunk.count - Int(stream.avail_out))])
        } while result == Z_OK
        return result
    }
    return status == Z_STREAM_END ? output : nil
}

@Suite struct GzipTests {
    @Test(arguments: [
        ("gzip", true),
        ("GZIP", true),
        ("x-gzip", true),
        ("gzip, deflate, br", true),
        ("br;q=1.0, gzip;q=0.8, *;q=0.1", true),
        ("gzip;q=0", false),
        ("gzip; q=0.000", false),
        ("gzip;Q=0", false),
        ("gzip;q=0.001", true),
        ("gzip;q=1.000", true),
        ("gzip;q=abc", false),
        ("gzip;q=1.5", false),
        ("*;q=0.5", true),
        ("*", true),
        ("*;q=0", false),
        ("*;q=0.5, gzip;q=0", false),
        ("gzip;q=0, *", false),
        ("identity", false),
        ("identity;q=1, deflate", false),
        ("", false),
    ])
    func acceptEncoding_isNegotiatedByQValues(_ header: String, _ expected: Bool) {
        #expect(Gzip.acceptsGzip([header]) == expected)
    }

    @Test func acceptEncoding_combinesRepeatedFields() {
        #expect(Gzip.acceptsGzip(["deflate", "gzip"]))
        #expect(!Gzip.acceptsGzip(["*", "gzip;q=0"]))
        #expect(!Gzip.acceptsGzip([]))
    }

    @Test(arguments: [
        ("text/html; charset=utf-8", true), ("text/css", true), ("application/json", true),
        ("application/javascript", true), ("image/svg+xml", true), ("application/xml", true),
        ("application/ld+json", true), ("TEXT/PLAIN", true),
        ("image/png", false), ("font/woff2", false), ("application/octet-stream", false), ("application/pdf", false),
    ])
    func compressibleTypes_areTextLike(_ type: String, _ expected: Bool) {
        #expect(Gzip.isCompressible(contentType: type) == expected)
    }

    @Test func compress_roundTripsThroughZlibInflate() throws {
        let text = Array(String(repeating: "Ehrenamt in Lippe. ", count: 500).utf8)
        let compressed = try #require(Gzip.compress(text, level: 6))
        #expect(compressed.count < text.count / 10)
        #expect(compressed.prefix(2) == [0x1F, 0x8B])
        #expect(gunzip(compressed) == text)
        #expect(gunzip(try #require(Gzip.compress([], level: 6))) == [])
    }

    // MARK: - Over the socket

    static let page = String(repeating: "<p>Sachspende gesucht: Möbel und Kleidung</p>\n", count: 100)

    func html(_ request: ServerRequest) -> ServerResponse {
        .text(request.path == "/tiny" ? "<p>kurz</p>" : Self.page, contentType: "text/html")
    }

    @Test func acceptedGzip_compressesTextWithVary() throws {
        try withServer(handler: html) { server in
            let client = try TestClient(port: server.port)
            defer { client.close() }
            let response = try client.request(get("/", "Accept-Encoding: gzip, deflate\r\n"))
            #expect(response.header("Content-Encoding") == "gzip")
            #expect(response.header("Vary") == "Accept-Encoding")
            #expect(response.header("Content-Length") == "\(response.body.count)")
            #expect(response.body.count < Self.page.utf8.count)
            #expect(gunzip(response.body) == Array(Self.page.utf8))
        }
    }

    @Test(arguments: ["gzip;q=0", "identity", "deflate, br", nil])
    func refusedGzip_sendsIdentityWithVary(_ acceptEncoding: String?) throws {
        try withServer(handler: html) { server in
            let client = try TestClient(port: server.port)
            defer { client.close() }
            let extra = acceptEncoding.map { "Accept-Encoding: \($0)\r\n" } ?? ""
            let response = try client.request(get("/", extra))
            #expect(response.header("Content-Encoding") == nil)
            #expect(response.header("Vary") == "Accept-Encoding")
            #expect(response.text == Self.page)
        }
    }

    @Test func tinyBody_isNotCompressed() throws {
        try withServer(handler: html) { server in
            let client = try TestClient(port: server.port)
            defer { client.close() }
            let response = try client.request(get("/tiny", "Accept-Encoding: gzip\r\n"))
            #expect(response.header("Content-Encoding") == nil)
            #expect(response.text == "<p>kurz</p>")
        }
    }

    @Test func binaryOrOptedOutBodies_areNotCompressed() throws {
        let bytes = Array(String(repeating: "a", count: 5000).utf8)
        try withServer(handler: { request in
            var fields = HTTPFields()
            fields[.contentType] = request.path == "/png" ? "image/png" : "text/plain"
            return ServerResponse(
                status: .ok, headerFields: fields, body: bytes, isCompressible: request.path == "/png")
        }) { server in
            let client = try TestClient(port: server.port)
            defer { client.close() }
            for path in ["/png", "/opted-out"] {
                let response = try client.request(get(path, "Accept-Encoding: gzip\r\n"))
                #expect(response.header("Content-Encoding") == nil)
                #expect(response.header("Vary") == nil)
                #expect(response.body == bytes)
            }
        }
    }

    @Test func headWithGzip_announcesCompressedLengthWithoutBody() throws {
        try withServer(handler: html) { server in
            let client = try TestClient(port: server.port)
            defer { client.close() }
            let get = try client.request(HTTPServerTests.get("/", "Accept-Encoding: gzip\r\n"))
            let head = try client.request(
                HTTPServerTests.get("/", "Accept-Encoding: gzip\r\n", method: "HEAD"), bodyless: true)
            #expect(head.header("Content-Encoding") == "gzip")
            #expect(head.header("Content-Length") == "\(get.body.count)")
            #expect(try client.request(HTTPServerTests.get("/tiny")).text == "<p>kurz</p>")
        }
    }
}
