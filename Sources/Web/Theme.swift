import Foundation

/// A county's look: its logo and two brand colours, from `Config/<region>.json` ("theme", optional).
///
/// The colours reach the page as a tiny stylesheet (`/static-theme.css`) that overrides the CSS
/// variables of `site.css`: the CSP allows no inline styles, and a generated file keeps `site.css`
/// the same for every county. Colours are checked at start-up for WCAG contrast (4.5:1 for text on
/// white, and white text on the dark colour), so a county cannot configure an inaccessible site.
struct Theme: Sendable, Decodable, Equatable {
    /// Links, buttons, the header bar: must reach 4.5:1 against white.
    var primaryColor: String?
    /// Navigation background: white text on it must reach 4.5:1.
    var primaryDarkColor: String?
    /// The logo, a path below `Public/` (default `img/logo.svg`).
    var logo: String?

    static let standard = Theme(primaryColor: nil, primaryDarkColor: nil, logo: nil)

    enum ThemeError: Error, CustomStringConvertible {
        case notAColour(field: String)
        case tooLittleContrast(field: String, ratio: Double)
        case notAPublicFile(field: String)

        var description: String {
            switch self {
            case .notAColour(let field): "theme.\(field) must be a colour like #0b5c99."
            case .tooLittleContrast(let field, let ratio):
                "theme.\(field) has a contrast of \(String(format: "%.1f", ratio)):1 with white; at least 4.5:1 is needed (WCAG 2.1 AA)."
            case .notAPublicFile(let field): "theme.\(field) must be a file path below Public/, such as img/logo.svg."
            }
        }
    }

    func validate() throws {
        for (field, value) in [("primaryColor", primaryColor), ("primaryDarkColor", primaryDarkColor)] {
            guard let value else { continue }
            guard let luminance = Self.luminance(value) else { throw ThemeError.notAColour(field: field) }
            let ratio = (1.0 + 0.05) / (luminance + 0.05)
            if ratio < 4.5 { throw ThemeError.tooLittleContrast(field: field, ratio: ratio) }
        }
        if let logo, SiteSettings.publicFilePath(logo) == nil { throw ThemeError.notAPublicFile(field: "logo") }
    }

    /// The logo's path after `/static/`.
    var logoPath: String { logo.flatMap(SiteSettings.publicFilePath) ?? "img/logo.svg" }

    /// The overriding stylesheet; empty when the county keeps the standard colours.
    var stylesheet: String {
        var rules: [String] = []
        if let primaryColor { rules.append("--color-primary: \(primaryColor.lowercased());") }
        if let primaryDarkColor {
            rules.append("--color-primary-dark: \(primaryDarkColor.lowercased());")
            rules.append("--kind-event: \(primaryDarkColor.lowercased());")
        }
        return rules.isEmpty ? "" : ":root {\n  " + rules.joined(separator: "\n  ") + "\n}\n"
    }

    /// Relative luminance (WCAG 2.1) of `#rrggbb`, or nil for anything else.
    static func luminance(_ hex: String) -> Double? {
        let digits = hex.hasPrefix("#") ? hex.dropFirst() : ""
        guard digits.count == 6, let value = UInt32(digits, radix: 16) else { return nil }
        func channel(_ shift: UInt32) -> Double {
            let c = Double((value >> shift) & 0xFF) / 255
            return c <= 0.03928 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4)
        }
        return 0.2126 * channel(16) + 0.7152 * channel(8) + 0.0722 * channel(0)
    }
}
