import HTTPTypes

/// Reads request cookies and writes `Set-Cookie` values.
enum Cookies {
    /// The value of cookie `name` in the request's `Cookie` header fields, or nil. When the name occurs
    /// more than once (a sibling domain may plant one), nil: an ambiguous credential is no credential.
    static func value(_ name: String, in fields: HTTPFields) -> String? {
        var found: String?
        for header in fields[values: .cookie] {
            for pair in header.split(separator: ";") {
                let trimmed = pair.drop(while: { $0 == " " || $0 == "\t" })
                guard let equals = trimmed.firstIndex(of: "="), trimmed[..<equals] == name else { continue }
                if found != nil { return nil }
                found = String(trimmed[trimmed.index(after: equals)...])
            }
        }
        return found
    }

    /// A `Set-Cookie` value for a `__Host-` cookie: `Secure` (browsers require it for the prefix and treat
    /// http://localhost as secure), `HttpOnly`, `SameSite=Lax`, `Path=/`, no `Domain`.
    static func hostCookie(_ name: String, value: String, maxAge: Int?) -> String {
        var text = "\(name)=\(value); Path=/; Secure; HttpOnly; SameSite=Lax"
        if let maxAge { text += "; Max-Age=\(maxAge)" }
        return text
    }

    /// A `Set-Cookie` value that makes the browser forget the cookie.
    static func expired(_ name: String) -> String {
        "\(name)=; Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age=0"
    }
}
