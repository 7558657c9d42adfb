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
        /// The county's video in German Sign Language (DGS) for the Leichte Sprache page: a path below
        /// `Public/` (`video/boerse-dgs.mp4`), or empty while there is none. Optional in the file.
        var signLanguageVideo: String?
        /// A transcript or captions file for that video, a path below `Public/`; optional.
        var signLanguageTranscript: String?
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
    /// Logo and brand colours; optional in the file.
    var theme: Theme?

    var effectiveTheme: Theme { theme ?? .standard }

    /// The values for `{county}` and `{in_county}` in localized strings.
    var placeholders: [String: String] { ["county": countyName, "in_county": countyLocative] }

    static func load(path: String) throws -> SiteSettings {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CocoaError(.fileReadNoSuchFile, userInfo: [NSFilePathErrorKey: path])
        }
        let settings = try JSONDecoder().decode(SiteSettings.self, from: data)
        try settings.effectiveTheme.validate()
        for (field, value) in [
            ("signLanguageVideo", settings.accessibility.signLanguageVideo),
            ("signLanguageTranscript", settings.accessibility.signLanguageTranscript),
        ] where !(value ?? "").trimmingCharacters(in: .whitespaces).isEmpty && publicFilePath(value) == nil {
            throw SettingsError.notAPublicFile(field: "accessibility.\(field)")
        }
        return settings
    }

    enum SettingsError: Error, CustomStringConvertible {
        case notAPublicFile(field: String)

        var description: String {
            switch self {
            case .notAPublicFile(let field):
                "\(field) must be a file path below Public/, such as video/boerse-dgs.mp4 (no \"..\", no URL)."
            }
        }
    }

    /// A configured file below `Public/` as the path after `/static/` (a leading `/` or `static/` is dropped), or
    /// nil when empty or not such a path: ASCII letters, digits, `-`, `_`, `.` and `/` only, no segment
    /// starting with a dot (so no `..`), no URL.
    static func publicFilePath(_ value: String?) -> String? {
        var path = Substring((value ?? "").trimmingCharacters(in: .whitespaces))
        while path.hasPrefix("/") { path = path.dropFirst() }
        if path.hasPrefix("static/") { path = path.dropFirst("static/".count) }
        let segments = path.split(separator: "/", omittingEmptySubsequences: false)
        guard !path.isEmpty, path.utf8.count <= 200,
            segments.allSatisfy({ !$0.isEmpty && !$0.hasPrefix(".") }),
            path.utf8.allSatisfy({
                (0x30...0x39).contains($0) || (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0)
                    || "-_./".utf8.contains($0)
            })
        else { return nil }
        return String(path)
    }
}
