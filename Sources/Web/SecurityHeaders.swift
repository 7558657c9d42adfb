import HTTPTypes

/// Headers every response carries. The policy allows nothing from another origin and no inline script,
/// and no page may be framed (no route is meant for embedding yet). HSTS only over HTTPS: sent over
/// plain HTTP it would be ignored, and on localhost it would break development.
enum SecurityHeaders {
    static let contentSecurityPolicy =
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; "
        + "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"

    static func apply(to fields: inout HTTPFields, https: Bool) {
        if https { fields[.strictTransportSecurity] = "max-age=31536000; includeSubDomains" }
        fields[.contentSecurityPolicy] = contentSecurityPolicy
        fields[.xContentTypeOptions] = "nosniff"
        fields[HTTPField.Name("Referrer-Policy")!] = "strict-origin-when-cross-origin"
        fields[HTTPField.Name("Permissions-Policy")!] = "camera=(), microphone=(), geolocation=(), interest-cohort=()"
        fields[HTTPField.Name("X-Frame-Options")!] = "DENY"
    }
}
