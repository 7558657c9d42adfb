import Foundation

/// Every template of `Templates/`, parsed once at start-up and compiled into node trees: one set
/// without interface strings (checked at start-up), and per page language one with `{{t.…}}` resolved
/// to literal bytes, each template compiled the first time it is rendered in that language.
final class TemplateLibrary: @unchecked Sendable {
    // `parsed` and `generic` are immutable after init; `perLanguage` is guarded by `lock`.
    private let parsed: [String: [TemplateToken]]
    private let generic: [String: [RenderNode]]
    private let lock = NSLock()
    private var perLanguage: [String: LanguageSet] = [:]

    private struct LanguageSet {
        /// The number of top-level interface-string groups it was compiled with: a different `t`
        /// under the same language (never in the app) compiles a new set instead of printing stale text.
        let stringsCount: Int
        let compiler: TemplateCompiler
        var templates: [String: [RenderNode]] = [:]
    }

    convenience init(directory: String) throws {
        guard let enumerator = FileManager.default.enumerator(atPath: directory) else {
            throw Views.LoadError.unreadableDirectory(directory)
        }
        var parsed: [String: [TemplateToken]] = [:]
        for case let relativePath as String in enumerator where relativePath.hasSuffix(".mustache") {
            let text = try String(contentsOfFile: directory + "/" + relativePath, encoding: .utf8)
            do {
                parsed[String(relativePath.dropLast(".mustache".count))] = try TemplateParser.parse(text)
            } catch {
                throw Views.LoadError.parse(file: relativePath, message: String(describing: error))
            }
        }
        try self.init(parsed: parsed)
    }

    /// Templates given as text by name (mails, tests).
    convenience init(templates: [String: String]) throws {
        var parsed: [String: [TemplateToken]] = [:]
        for (name, text) in templates {
            do {
                parsed[name] = try TemplateParser.parse(text)
            } catch {
                throw Views.LoadError.parse(file: name, message: String(describing: error))
            }
        }
        try self.init(parsed: parsed)
    }

    private init(parsed: [String: [TemplateToken]]) throws {
        self.parsed = parsed
        self.generic = try Self.compileAll(parsed)
    }

    private static func compileAll(_ parsed: [String: [TemplateToken]]) throws -> [String: [RenderNode]] {
        let compiler = TemplateCompiler(templates: parsed, strings: nil)
        var compiled: [String: [RenderNode]] = [:]
        for name in parsed.keys {
            do {
                compiled[name] = try compiler.compile(name)
            } catch {
                throw Views.LoadError.parse(file: name + ".mustache", message: String(describing: error))
            }
        }
        return compiled
    }

    func contains(_ name: String) -> Bool { generic[name] != nil }

    /// Renders `name` with `context`; nil when there is no such template. `raw` as for `TemplateRenderer`.
    func render(_ name: String, _ context: [String: Any], capacity: Int = 32 * 1024, raw: Bool = false) -> [UInt8]? {
        guard let nodes = template(name, for: context) else { return nil }
        var renderer = TemplateRenderer(context: context, capacity: capacity, raw: raw)
        renderer.render(nodes, indentation: [])
        return renderer.output
    }

    /// `name` compiled for the context's language and strings (`lang` and `t`, set by the layout),
    /// compiled on its first use in that language.
    private func template(_ name: String, for context: [String: Any]) -> [RenderNode]? {
        guard let generic = generic[name] else { return nil }
        guard let language = context["lang"] as? String,
            let strings = context[Views.sharedStringsKey] as? [String: Any]
        else { return generic }
        return lock.withLock {
            if let set = perLanguage[language], set.stringsCount == strings.count {
                if let nodes = set.templates[name] { return nodes }
            } else {
                perLanguage[language] = LanguageSet(
                    stringsCount: strings.count, compiler: TemplateCompiler(templates: parsed, strings: strings))
            }
            // Cannot fail: the same template compiled without strings at start-up.
            let nodes = (try? perLanguage[language]!.compiler.compile(name)) ?? generic
            perLanguage[language]!.templates[name] = nodes
            return nodes
        }
    }
}
