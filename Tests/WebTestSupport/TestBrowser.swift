import Foundation
import HTTPTypes

/// A browser for in-process tests: keeps cookies, sends fetch metadata like a modern browser, and
/// fills forms the way a person would (hidden fields from the page, the rest from the test).
public final class TestBrowser: @unchecked Sendable {
    public let app: TestApp
    public private(set) var cookies: [String: String] = [:]
    public var remoteAddress = "127.0.0.1"
    /// `Sec-Fetch-Site` sent with every request; nil sends none (an old browser or a script).
    public var fetchSite: String? = "same-origin"
    /// `Origin` sent with POST requests; nil sends none.
    public var origin: String? = "http://localhost:8080"

    public init(_ app: TestApp) { self.app = app }

    @discardableResult
    public func get(_ target: String) -> TestResponse {
        send(.get, target, body: [], contentType: nil)
    }

    /// Posts fields URL-encoded, exactly as given (no token added).
    @discardableResult
    public func post(_ target: String, _ fields: [(String, String)]) -> TestResponse {
        let body = fields.map { Self.encode($0.0) + "=" + Self.encode($0.1) }.joined(separator: "&")
        return send(.post, target, body: Array(body.utf8), contentType: "application/x-www-form-urlencoded")
    }

    /// Posts a multipart body with text fields and files.
    @discardableResult
    public func postMultipart(
        _ target: String, _ fields: [(String, String)],
        files: [(field: String, name: String, type: String, bytes: [UInt8])]
    ) -> TestResponse {
        let boundary = "----testboundary7MA4YWxkTrZu0gW"
        var body: [UInt8] = []
        for (name, value) in fields {
            body += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8)
        }
        for file in files {
            body += Array(
                ("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(file.field)\"; filename=\"\(file.name)\"\r\n"
                    + "Content-Type: \(file.type)\r\n\r\n").utf8)
            body += file.bytes + Array("\r\n".utf8)
        }
        body += Array("--\(boundary)--\r\n".utf8)
        return send(.post, target, body: body, contentType: "multipart/form-data; boundary=\(boundary)")
    }

    /// Opens `page`, takes the hidden fields of the form that posts to `action` (the first form when nil),
    /// and sends it with `fields` added (URL-encoded, or multipart when `files` are given).
    @discardableResult
    public func submit(
        _ page: String, action: String? = nil, _ fields: [(String, String)],
        files: [(field: String, name: String, type: String, bytes: [UInt8])]? = nil
    ) -> TestResponse {
        let response = get(page)
        guard let form = FormScan.form(in: response.body, action: action) else {
            return TestResponse(status: 0, headerFields: [:], body: "no form posting to \(action ?? "?") on \(page)")
        }
        let all = form.hidden + fields
        if let files { return postMultipart(form.action, all, files: files) }
        return post(form.action, all)
    }

    /// Follows a redirect with GET.
    @discardableResult
    public func follow(_ response: TestResponse) -> TestResponse {
        guard let location = response.location else { return response }
        return get(location)
    }

    /// The value of a cookie the browser holds.
    public func cookie(_ name: String) -> String? { cookies[name] }

    public func setCookie(_ name: String, _ value: String) { cookies[name] = value }

    private func send(_ method: HTTPRequest.Method, _ target: String, body: [UInt8], contentType: String?)
        -> TestResponse
    {
        var headers = HTTPFields()
        if !cookies.isEmpty {
            headers[.cookie] = cookies.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(
                separator: "; ")
        }
        if let fetchSite { headers[HTTPField.Name("Sec-Fetch-Site")!] = fetchSite }
        if method == .post, let origin { headers[.origin] = origin }
        if let contentType { headers[.contentType] = contentType }
        let response = app.request(method, target, headers: headers, body: body, remoteAddress: remoteAddress)
        for cookie in response.setCookies { store(cookie) }
        return response
    }

    private func store(_ setCookie: String) {
        let first = setCookie.split(separator: ";", maxSplits: 1).first ?? ""
        guard let equals = first.firstIndex(of: "=") else { return }
        let name = String(first[..<equals])
        let value = String(first[first.index(after: equals)...])
        if setCookie.contains("Max-Age=0") || value.isEmpty {
            cookies.removeValue(forKey: name)
        } else {
            cookies[name] = value
        }
    }

    static func encode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}

/// Finds forms and their hidden fields in a page (our own markup: attributes in double quotes).
public enum FormScan {
    public struct Form {
        public var action: String
        public var hidden: [(String, String)]
    }

    public static func forms(in html: String) -> [Form] {
        var result: [Form] = []
        var rest = html[...]
        while let start = rest.range(of: "<form") {
            rest = rest[start.upperBound...]
            let end = rest.range(of: "</form>")?.lowerBound ?? rest.endIndex
            let body = rest[..<end]
            let tagEnd = body.firstIndex(of: ">") ?? body.endIndex
            let action = attribute("action", in: body[..<tagEnd]) ?? ""
            var hidden: [(String, String)] = []
            var inputs = body[...]
            while let input = inputs.range(of: "<input") {
                inputs = inputs[input.upperBound...]
                let close = inputs.firstIndex(of: ">") ?? inputs.endIndex
                let tag = inputs[..<close]
                if attribute("type", in: tag) == "hidden", let name = attribute("name", in: tag) {
                    hidden.append((name, attribute("value", in: tag) ?? ""))
                }
            }
            result.append(Form(action: action, hidden: hidden))
            rest = rest[end...]
        }
        return result
    }

    public static func form(in html: String, action: String?) -> Form? {
        let all = forms(in: html)
        guard let action else { return all.first { !$0.hidden.isEmpty && $0.action != "/abmelden" } }
        return all.first { $0.action == action }
    }

    static func attribute(_ name: String, in tag: Substring) -> String? {
        guard let start = tag.range(of: " \(name)=\"") else { return nil }
        let rest = tag[start.upperBound...]
        guard let end = rest.firstIndex(of: "\"") else { return nil }
        return String(rest[..<end])
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&amp;", with: "&")
    }
}
