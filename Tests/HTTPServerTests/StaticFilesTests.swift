import Foundation
import HTTPTypes
import Testing

@testable import HTTPServer

/// A temporary project root: `Package.swift` and `secret.txt` outside, files inside `Public/`.
final class StaticFixture {
    let base: String
    var publicRoot: String { base + "/Public" }
    static let secret = "TOP SECRET – must never be served"
    static let css = String(repeating: "body { color: #123456; margin: 0 auto; }\n", count: 60)

    init() throws {
        base = NSTemporaryDirectory() + "static-\(UUID().uuidString)"
        let manager = FileManager.default
        for directory in ["Public/css", "Public/img", "Public/fonts", "Public/dir", "Public/.git"] {
            try manager.createDirectory(atPath: base + "/" + directory, withIntermediateDirectories: true)
        }
        try write("Package.swift", Self.secret)
        try write("secret.txt", Self.secret)
        try write("Public/css/site.css", Self.css)
        try write("Public/css/site.3f9a1c2b.css", "a{}")
        try write("Public/css/pre.css", Self.css)
        try write("Public/css/pre.css.gz", Gzip.compress(Array("PRECOMPRESSED".utf8), level: 9)!)
        try write("Public/img/logo.png", [0x89, 0x50, 0x4E, 0x47])
        try write("Public/img/icon.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>")
        try write("Public/fonts/x.woff2", [0x77, 0x4F, 0x46, 0x32])
        try write("Public/robots.txt", "User-agent: *\n")
        try write("Public/.env", Self.secret)
        try write("Public/.git/config", Self.secret)
        try manager.createSymbolicLink(atPath: publicRoot + "/link-out", withDestinationPath: base + "/secret.txt")
        try manager.createSymbolicLink(atPath: publicRoot + "/link-in", withDestinationPath: publicRoot + "/robots.txt")
    }

    deinit { try? FileManager.default.removeItem(atPath: base) }

    func write(_ path: String, _ text: String) throws {
        try write(path, Array(text.utf8))
    }

    func write(_ path: String, _ bytes: [UInt8]) throws {
        try Data(bytes).write(to: URL(fileURLWithPath: base + "/" + path))
    }
}

func staticRequest(_ fields: [(String, String)] = [], method: HTTPRequest.Method = .get) -> ServerRequest {
    var headerFields = HTTPFields()
    for (name, value) in fields { headerFields.append(HTTPField(name: HTTPField.Name(name)!, value: value)) }
    return ServerRequest(
        head: HTTPRequest(method: method, scheme: "http", authority: "a", path: "/", headerFields: headerFields))
}

@Suite struct StaticFilesTests {
    let fixture: StaticFixture
    let files: StaticFiles

    init() throws {
        fixture = try StaticFixture()
        files = StaticFiles(root: fixture.publicRoot)
    }

    @Test(arguments: [
        ("css/site.css", "text/css; charset=utf-8"), ("img/logo.png", "image/png"), ("img/icon.svg", "image/svg+xml"),
        ("fonts/x.woff2", "font/woff2"), ("robots.txt", "text/plain; charset=utf-8"),
    ])
    func contentType_followsTheExtension(_ path: String, _ type: String) throws {
        let response = try #require(files.response(forPath: path[...], request: staticRequest()))
        #expect(response.status == .ok)
        #expect(response.headerFields[.contentType] == type)
        #expect(response.headerFields[.xContentTypeOptions] == "nosniff")
    }

    @Test(arguments: [
        ("a.js", "text/javascript; charset=utf-8"), ("a.jpg", "image/jpeg"), ("a.JPEG", "image/jpeg"),
        ("a.webp", "image/webp"), ("a.ico", "image/x-icon"), ("a.html", "text/html; charset=utf-8"),
        ("a.json", "application/json"), ("a.xml", "application/xml"), ("a.pdf", "application/pdf"),
        ("a.unknown", "application/octet-stream"), ("noextension", "application/octet-stream"),
    ])
    func contentTypeTable_coversCommonAssets(_ name: String, _ type: String) {
        #expect(StaticFiles.contentType(forName: name) == type)
    }

    @Test func file_hasStrongETagLastModifiedAndShortCache() throws {
        let response = try #require(files.response(forPath: "robots.txt", request: staticRequest()))
        let eTag = try #require(response.headerFields[.eTag])
        #expect(eTag.hasPrefix("\"") && eTag.hasSuffix("\"") && !eTag.hasPrefix("W/"))
        let lastModified = try #require(response.headerFields[.lastModified])
        let modified =
            try FileManager.default.attributesOfItem(atPath: fixture.publicRoot + "/robots.txt")[.modificationDate]
            as! Date
        #expect(HTTPDate.parse(lastModified) == Int(modified.timeIntervalSince1970))
        #expect(response.headerFields[.cacheControl] == "public, max-age=3600")
        #expect(response.body == Array("User-agent: *\n".utf8))
        #expect(!response.isCompressible)
    }

    @Test func fingerprintedName_isCachedForAYearAsImmutable() throws {
        let response = try #require(files.response(forPath: "css/site.3f9a1c2b.css", request: staticRequest()))
        #expect(response.headerFields[.cacheControl] == "public, max-age=31536000, immutable")
        #expect(StaticFiles.isFingerprinted("app.0123456789abcdef.js"))
        #expect(!StaticFiles.isFingerprinted("site.css"))
        #expect(!StaticFiles.isFingerprinted("site.3f9a1c2.css"))
        #expect(!StaticFiles.isFingerprinted("jquery.notahexx.js"))
    }

    @Test(arguments: ["EXACT", "\"nope\", EXACT", "W/EXACT", "*"])
    func matchingIfNoneMatch_gives304(_ template: String) throws {
        let first = try #require(files.response(forPath: "robots.txt", request: staticRequest()))
        let eTag = try #require(first.headerFields[.eTag])
        let value = template.replacingOccurrences(of: "EXACT", with: eTag)
        let response = try #require(
            files.response(forPath: "robots.txt", request: staticRequest([("If-None-Match", value)])))
        #expect(response.status == .notModified)
        #expect(response.body.isEmpty)
        #expect(response.headerFields[.eTag] == eTag)
        #expect(response.headerFields[.cacheControl] != nil)
    }

    @Test func otherIfNoneMatch_gives200_evenWhenIfModifiedSinceWouldMatch() throws {
        let future = HTTPDate.format(epochSeconds: Int(Date().timeIntervalSince1970) + 86_400)
        let request = staticRequest([("If-None-Match", "\"other\""), ("If-Modified-Since", future)])
        #expect(try #require(files.response(forPath: "robots.txt", request: request)).status == .ok)
    }

    @Test func ifModifiedSince_decidesWithoutIfNoneMatch() throws {
        let now = Int(Date().timeIntervalSince1970)
        let later = staticRequest([("If-Modified-Since", HTTPDate.format(epochSeconds: now + 60))])
        let earlier = staticRequest([("If-Modified-Since", HTTPDate.format(epochSeconds: now - 86_400))])
        let garbage = staticRequest([("If-Modified-Since", "yesterday")])
        #expect(try #require(files.response(forPath: "robots.txt", request: later)).status == .notModified)
        #expect(try #require(files.response(forPath: "robots.txt", request: earlier)).status == .ok)
        #expect(try #require(files.response(forPath: "robots.txt", request: garbage)).status == .ok)
    }

    @Test func gzSibling_isServedWhenGzipIsAccepted() throws {
        let plain = try #require(files.response(forPath: "css/pre.css", request: staticRequest()))
        let gzip = try #require(
            files.response(forPath: "css/pre.css", request: staticRequest([("Accept-Encoding", "gzip")])))
        #expect(plain.headerFields[.contentEncoding] == nil)
        #expect(plain.body == Array(StaticFixture.css.utf8))
        #expect(gzip.headerFields[.contentEncoding] == "gzip")
        #expect(gzip.headerFields[.contentType] == "text/css; charset=utf-8")
        #expect(gunzip(gzip.body) == Array("PRECOMPRESSED".utf8))
        #expect(plain.headerFields[.vary] == "Accept-Encoding")
        #expect(gzip.headerFields[.vary] == "Accept-Encoding")
        #expect(plain.headerFields[.eTag] != gzip.headerFields[.eTag])
        let refused = try #require(
            files.response(forPath: "css/pre.css", request: staticRequest([("Accept-Encoding", "gzip;q=0")]))
        )
        #expect(refused.headerFields[.contentEncoding] == nil)
    }

    @Test func textWithoutSibling_isGzippedInMemory() throws {
        let response = try #require(
            files.response(forPath: "css/site.css", request: staticRequest([("Accept-Encoding", "gzip")])))
        #expect(response.headerFields[.contentEncoding] == "gzip")
        #expect(gunzip(response.body) == Array(StaticFixture.css.utf8))
        let again = try #require(
            files.response(forPath: "css/site.css", request: staticRequest([("Accept-Encoding", "gzip")])))
        #expect(again.body == response.body)
    }

    @Test func changedFile_isServedFresh() throws {
        let before = try #require(files.response(forPath: "robots.txt", request: staticRequest()))
        try fixture.write("Public/robots.txt", "User-agent: *\nDisallow: /admin\n")
        let after = try #require(files.response(forPath: "robots.txt", request: staticRequest()))
        #expect(after.body == Array("User-agent: *\nDisallow: /admin\n".utf8))
        #expect(after.headerFields[.eTag] != before.headerFields[.eTag])
    }

    @Test(arguments: [
        "missing.css", "css", "css/", "dir", "", "/", ".env", ".git/config", "css/.hidden.css", "link-out",
        "css//site.css", "%252e%252e/Package.swift", "css/site.css/x",
    ])
    func notServable_isNil(_ path: String) {
        #expect(files.response(forPath: path[...], request: staticRequest()) == nil)
    }

    @Test func symlinkInsideRoot_isServed() throws {
        #expect(try #require(files.response(forPath: "link-in", request: staticRequest())).status == .ok)
    }

    @Test(arguments: [
        "../Package.swift", "../secret.txt", "css/../../secret.txt", "%2e%2e/Package.swift", "%2E%2E/Package.swift",
        "css/%2e%2e/%2e%2e/secret.txt", "..%2fPackage.swift", "%2e%2e%2fPackage.swift", "..%5cPackage.swift",
        "..%5CPackage.swift", "..\\Package.swift", "css\\site.css", "css/%00.css", "css/site.css%00.png", "%0a",
        "css/%", "css/%zz.css", "css/%2", "./robots.txt", "css/./site.css", "css/%2fsite.css", "%ff%fe",
    ])
    func hostilePath_is400(_ path: String) throws {
        let response = try #require(files.response(forPath: path[...], request: staticRequest()))
        #expect(response.status == .badRequest)
        #expect(!String(decoding: response.body, as: UTF8.self).contains("SECRET"))
    }

    @Test func leadingSlash_isIgnored() throws {
        #expect(try #require(files.response(forPath: "/robots.txt", request: staticRequest())).status == .ok)
    }

    @Test func post_is405WithAllow() throws {
        let response = try #require(files.response(forPath: "robots.txt", request: staticRequest(method: .post)))
        #expect(response.status == .methodNotAllowed)
        #expect(response.headerFields[.allow] == "GET, HEAD")
    }

    @Test func missingRoot_servesNothing() {
        let nowhere = StaticFiles(root: fixture.base + "/does-not-exist")
        #expect(nowhere.response(forPath: "robots.txt", request: staticRequest()) == nil)
    }
}

/// StaticFiles mounted under /static/ in a real server, the way the app mounts it.
@Suite struct StaticFilesSocketTests {
    let fixture: StaticFixture

    init() throws {
        fixture = try StaticFixture()
    }

    func mounted() -> Handler {
        let files = StaticFiles(root: fixture.publicRoot)
        return { request in
            let path = request.path
            guard path.hasPrefix("/static/") else { return .text("app", status: .ok) }
            return files.response(forPath: path.dropFirst("/static/".count), request: request)
                ?? .text("Seite nicht gefunden", status: .notFound)
        }
    }

    @Test(arguments: [
        "/static/../Package.swift", "/static/%2e%2e/Package.swift", "/static/%2E%2E/secret.txt",
        "/static/..%2fPackage.swift", "/static/..%2FPackage.swift", "/static/%2e%2e%2fPackage.swift",
        "/static/css/%00.css", "/static/..%5cPackage.swift", "/static/..\\Package.swift",
        "/static/css/..%2f..%2fsecret.txt", "/static/%252e%252e/Package.swift", "/static//etc/passwd",
        "/static/link-out", "/static/.env", "/static/.git/config", "/static/css/../../secret.txt",
    ])
    func traversalAttempt_neverLeaksAFile(_ target: String) throws {
        try withServer(handler: mounted()) { server in
            let client = try TestClient(port: server.port)
            defer { client.close() }
            let response = try client.request(get(target))
            #expect(response.status == 400 || response.status == 404)
            #expect(!response.text.contains("SECRET"))
        }
    }

    @Test func eTagRoundTrip_gives304ThenFreshAfterChange() throws {
        try withServer(handler: mounted()) { server in
            let client = try TestClient(port: server.port)
            defer { client.close() }
            let first = try client.request(get("/static/robots.txt"))
            #expect(first.status == 200)
            let eTag = try #require(first.header("ETag"))
            let lastModified = try #require(first.header("Last-Modified"))
            let revalidated = try client.request(get("/static/robots.txt", "If-None-Match: \(eTag)\r\n"))
            #expect(revalidated.status == 304)
            #expect(revalidated.body.isEmpty)
            #expect(revalidated.header("ETag") == eTag)
            let byDate = try client.request(get("/static/robots.txt", "If-Modified-Since: \(lastModified)\r\n"))
            #expect(byDate.status == 304)
            // The connection is still in sync after bodiless 304s.
            #expect(try client.request(get("/static/robots.txt")).text == "User-agent: *\n")
        }
    }

    @Test func assets_haveTypesCachingAndGzip() throws {
        try withServer(handler: mounted()) { server in
            let client = try TestClient(port: server.port)
            defer { client.close() }
            let png = try client.request(get("/static/img/logo.png", "Accept-Encoding: gzip\r\n"))
            #expect(png.header("Content-Type") == "image/png")
            #expect(png.header("Content-Encoding") == nil)
            let fingerprinted = try client.request(get("/static/css/site.3f9a1c2b.css"))
            #expect(fingerprinted.header("Cache-Control") == "public, max-age=31536000, immutable")
            let sibling = try client.request(get("/static/css/pre.css", "Accept-Encoding: gzip\r\n"))
            #expect(sibling.header("Content-Encoding") == "gzip")
            #expect(sibling.headers("Vary") == ["Accept-Encoding"])
            #expect(gunzip(sibling.body) == Array("PRECOMPRESSED".utf8))
            let head = try client.request(get("/static/css/site.css", method: "HEAD"), bodyless: true)
            #expect(head.header("Content-Length") == "\(StaticFixture.css.utf8.count)")
            #expect(try client.request(get("/static/robots.txt")).status == 200)
        }
    }
}
