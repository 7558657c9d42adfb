import Foundation
import Mustache

/// The templates of `Templates/`, parsed once at start-up.
///
/// A template is named by its path below `Templates/` without `.mustache`
/// (`pages/home/index`, `partials/listing-card`, `layout`).
struct Views: Sendable {
    enum LoadError: Error, CustomStringConvertible {
        case unreadableDirectory(String)
        case parse(file: String, message: String)
        case missing(String)

        var description: String {
            switch self {
            case .unreadableDirectory(let path): "Template folder \(path) could not be read."
            case .parse(let file, let message): "Template \(file) could not be parsed: \(message)"
            case .missing(let name): "Template \(name) is missing."
            }
        }
    }

    /// Which renderer draws the pages. Both read the same `Templates/` with the same Mustache
    /// semantics; `own` (Render/) compiles them into byte runs and resolves `{{t.…}}` per language,
    /// `swiftMustache` is the library it replaced, kept for the equivalence test.
    enum Engine: Sendable {
        case own, swiftMustache
    }

    /// Set around building an application, every page is rendered by both engines and compared
    /// (Tests/WebTests/Render/EngineEquivalenceTests.swift).
    @TaskLocal static var comparison: EngineComparison?

    private let library: MustacheLibrary?
    private let own: TemplateLibrary?
    private let comparison: EngineComparison?

    init(directory: String, engine: Engine = .own) throws {
        let comparison = Self.comparison
        self.comparison = comparison
        self.library = engine == .swiftMustache || comparison != nil ? try Self.mustacheLibrary(directory) : nil
        self.own = engine == .own || comparison != nil ? try TemplateLibrary(directory: directory) : nil
    }

    private static func mustacheLibrary(_ directory: String) throws -> MustacheLibrary {
        MustacheContentTypes.register(HTMLEscaper(), named: "HTML")
        guard let enumerator = FileManager.default.enumerator(atPath: directory) else {
            throw LoadError.unreadableDirectory(directory)
        }
        var library = MustacheLibrary()
        for case let relativePath as String in enumerator where relativePath.hasSuffix(".mustache") {
            let name = String(relativePath.dropLast(".mustache".count))
            let text = try String(contentsOfFile: directory + "/" + relativePath, encoding: .utf8)
            do {
                library.register(try MustacheTemplate(string: text), named: name)
            } catch {
                throw LoadError.parse(file: relativePath, message: String(describing: error))
            }
        }
        return library
    }

    /// Fails unless every named template exists, so a typo stops the start instead of a request.
    func require(_ names: [String]) throws {
        for name in names {
            if let library, library.getTemplate(named: name) == nil { throw LoadError.missing(name) }
            if let own, !own.contains(name) { throw LoadError.missing(name) }
        }
    }

    /// Renders `template` as UTF-8 bytes, ready to be a response body; templates are checked at start-up,
    /// so a nil here is a programming error.
    func render(_ template: String, _ context: [String: Any]) -> [UInt8] {
        if let own, comparison == nil { return own.render(template, context) ?? [] }
        let bytes = Array((library?.render(Self.normalized(context), withTemplate: template) ?? "").utf8)
        if let own, let comparison {
            comparison.compare(
                template: template, language: context["lang"] as? String ?? "", swiftMustache: bytes,
                own: own.render(template, context) ?? [])
        }
        return bytes
    }

    /// swift-mustache opens a section for any string, even an empty one, and prints "nil" for a nil
    /// wrapped in `Any`. Pages mean "nothing" by both, so both become `Nothing`: it prints as empty and
    /// counts as false in `{{#x}}`, while still shadowing a key of the same name further out.
    ///
    /// The interface strings under `t` are passed through as loaded: they never hold empty values
    /// (`make i18n-check`), and walking all of them (over 1,300) on every render cost more than
    /// rendering a list page's cards (callgrind, Benchmarks/NOTES.md).
    static func normalized(_ value: [String: Any]) -> [String: Any] {
        var result: [String: Any] = [:]
        result.reserveCapacity(value.count)
        for (key, item) in value {
            result[key] = key == sharedStringsKey ? item : normalized(item)
        }
        return result
    }

    /// The layout's key for the page language's interface strings (`Localization.templateStrings`).
    static let sharedStringsKey = "t"

    private static func normalized(_ value: Any) -> Any {
        switch value {
        case let text as String: return text.isEmpty ? Nothing() : text
        case let dictionary as [String: Any]: return normalized(dictionary)
        case let array as [[String: Any]]: return array.map(normalized)
        case let array as [Any]: return array.map(normalized)
        case Optional<Any>.none: return Nothing()
        default: return value
        }
    }

    /// An absent value: renders as nothing, and a section over it is skipped.
    struct Nothing: MustacheCustomRenderable {
        var renderText: String { "" }
        var isNull: Bool { true }
    }
}
