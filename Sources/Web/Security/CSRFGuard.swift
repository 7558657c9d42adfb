import Foundation
import HTTPServer
import HTTPTypes

/// Checks an unsafe request (POST) for cross-site forgery, in two independent ways: where the browser
/// says it comes from (`Sec-Fetch-Site`, else `Origin`), and the token every form of ours carries
/// (the session's, or for anonymous visitors the `__Host-csrf` cookie's value: a double submit that
/// other sites cannot read or, thanks to the `__Host-` prefix, plant).
enum CSRFGuard {
    static let fieldName = "csrf"
    static let secFetchSite = HTTPField.Name("Sec-Fetch-Site")!

    /// Whether the browser's own statement of origin allows the request. Requests without either
    /// header (old browsers, scripts) are left to the token check.
    static func originAllows(_ request: ServerRequest, publicBaseURL: String) -> Bool {
        let fields = request.head.headerFields
        if let site = fields[secFetchSite]?.lowercased() {
            return site == "same-origin" || site == "none"
        }
        guard let origin = fields[.origin] else { return true }
        let lowered = origin.lowercased()
        if lowered == Self.origin(of: publicBaseURL) { return true }
        // The origin the browser used to reach us (a development host, a second name of the site).
        guard let authority = request.head.authority?.lowercased() else { return false }
        return lowered == "http://" + authority || lowered == "https://" + authority
    }

    /// Whether the form's token matches the one we issued to this visitor.
    static func tokenMatches(_ sent: String?, expected: String?) -> Bool {
        guard let sent, let expected, !expected.isEmpty else { return false }
        return ConstantTime.equals(sent, expected)
    }

    /// `scheme://host[:port]` of a base URL, lowercased, without path.
    static func origin(of baseURL: String) -> String {
        let lowered = baseURL.lowercased()
        guard let schemeEnd = lowered.range(of: "://") else { return lowered }
        let rest = lowered[schemeEnd.upperBound...]
        let host = rest.prefix { $0 != "/" }
        return String(lowered[..<schemeEnd.upperBound]) + host
    }
}
