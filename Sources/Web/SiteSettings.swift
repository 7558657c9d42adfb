import Foundation

/// What a county configures about its exchange: names, contacts and the legal pages' facts.
///
/// Read from `Config/<region>.json`. An empty field is shown on the page as clearly marked
/// "still to be filled in by the county", never silently left out.
struct SiteSettings: Sendable, Decodable {
    struct Contact: Sendable, Decodable {
        var organisation: String
        var department: String
        var street: String
        var postalCode: String
        var city: String
        var phone: String
        var email: String
    }

    struct Imprint: Sendable, Decodable {
        var representedBy: String
        var legalForm: String
        var supervisoryAuthority: String
        var vatID: String
        var editorialResponsibility: String
    }

    struct Privacy: Sendable, Decodable {
        var dataProtectionOfficer: String
        var dataProtectionOfficerEmail: String
        var supervisoryAuthority: String
        var hosting: String
        var retention: String
    }

    struct Accessibility: Sendable, Decodable {
        var statementDate: String
        var conformance: String
        var knownIssues: String
        var feedbackEmail: String
        var feedbackPhone: String
        var enforcementBody: String
        var enforcementURL: String
    }

    /// "Kreis Lippe"
    var countyName: String
    /// "im Kreis Lippe": German needs the preposition and article to agree with the county's name.
    var countyLocative: String
    /// Radius in km within which another municipality counts as nearby.
    var neighbourRadiusKilometres: Double
    var contact: Contact
    var imprint: Imprint
    var privacy: Privacy
    var accessibility: Accessibility

    /// The values for `{county}` and `{in_county}` in localized strings.
    var placeholders: [String: String] { ["county": countyName, "in_county": countyLocative] }

    static func load(path: String) throws -> SiteSettings {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CocoaError(.fileReadNoSuchFile, userInfo: [NSFilePathErrorKey: path])
        }
        return try JSONDecoder().decode(SiteSettings.self, from: data)
    }
}
