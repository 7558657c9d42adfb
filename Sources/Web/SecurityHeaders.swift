import HTTPTypes

/// Headers every response carries. The policy allows nothing from another origin and no inline script,
/// and no page may be framed (no route is meant for embedding yet). HSTS only over HTTPS: sent over
/// plain HTTP it would be ignored, and on localhost it would break development.
enum SecurityHeaders {
    static let contentSecurityPolicy =
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; "
        + "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"

    /// The fields for plain HTTP (index 0) and HTTPS (index 1), validated once: see ``fieldSet(https:)``.
    static let fieldSets: [HTTPFields] = [fields(https: false), fields(https: true)]

    /// The index into ``fieldSets`` (and `StaticFiles.commonFields`) for a response.
    static func fieldSet(https: Bool) -> Int { https ? 1 : 0 }

    private static func fields(https: Bool) -> HTTPFields {
        var fields = HTTPFields()
        if https { fields[.strictTransportSecurity] = "max-age=31536000; includeSubDomains" }
        fields[.contentSecurityPolicy] = contentSecurityPolicy
        fields[.xContentTypeOptions] = "nosniff"
        fields[HTTPField.Name("Referrer-Policy")!] = "strict-origin-when-cross-origin"
        fields[HTTPField.Name("Permissions-Policy")!] = "camera=(), microphone=(), geolocation=(), interest-cohort=()"
        fields[HTTPField.Name("X-Frame-Options")!] = "DENY"
        return fields
    }

    /// Sets every security field on `fields`, replacing a value a page set for the same name.
    static func apply(to fields: inout HTTPFields, https: Bool) {
        for field in fieldSets[fieldSet(https: https)] {
            // Appending a field made once skips validating its value again.
            if fields.contains(field.name) {
                fields[field.name] = field.value
            } else {
                fields.append(field)
            }
        }
    }
}
