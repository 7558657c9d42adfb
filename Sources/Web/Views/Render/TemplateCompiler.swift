/// A template ready to render: partials and inheritance resolved into one node tree, literal text as
/// byte runs, and (per language) the interface strings `{{t.…}}` as literal, already escaped bytes.
indirect enum RenderNode {
    case literal([UInt8])
    case variable(ValuePath, escaped: Bool)
    case section(ValuePath, [RenderNode])
    case inverted(ValuePath, [RenderNode])
    /// A partial or block that swift-mustache renders as a template of its own and that matters here:
    /// it indents its lines, or it hides the enclosing list position from `{{first()}}` and the like.
    case scope([RenderNode], indentation: [UInt8])
}

/// A value name prepared for lookup.
struct ValuePath {
    let kind: TemplateName.Kind
    let parts: [String]
    let transforms: [String]

    init(_ name: TemplateName) {
        kind = name.kind
        parts = name.parts
        transforms = name.transforms
    }
}

/// Turns parsed templates into `RenderNode` trees the way swift-mustache would render them.
///
/// What swift-mustache decides while rendering is fixed by the template structure, so it is decided
/// here: which partial and which block override a tag means, the indentation of each line (a
/// standalone partial or block indents by its whitespace plus the enclosing indentation), and whether
/// `{{x}}` escapes (HTML unless `{{% CONTENT_TYPE: TEXT }}` came earlier in the same template or an
/// enclosing section; a partial starts again with HTML, a block keeps the setting where it is expanded).
struct TemplateCompiler {
    struct RecursionError: Error, CustomStringConvertible {
        let chain: [String]
        var description: String { "partials include each other: \(chain.joined(separator: " → "))" }
    }

    let templates: [String: [TemplateToken]]
    /// The page language's interface strings by dotted key (`nav.home`), from the nested dictionary
    /// the layout puts under `Views.sharedStringsKey`; nil compiles without them.
    let strings: [String: String]?

    init(templates: [String: [TemplateToken]], strings: [String: Any]?) {
        self.templates = templates
        self.strings = strings.map { nested in
            var flat: [String: String] = [:]
            Self.flatten(nested, prefix: "", into: &flat)
            return flat
        }
    }

    private static func flatten(_ nested: [String: Any], prefix: String, into flat: inout [String: String]) {
        // A key with a dot in it could not be reached by `{{t.a.b}}`, which splits at every dot.
        for (key, value) in nested where !key.contains(".") {
            if let text = value as? String {
                flat[prefix + key] = text
            } else if let child = value as? [String: Any] {
                flatten(child, prefix: prefix + key + ".", into: &flat)
            }
        }
    }

    func compile(_ name: String) throws -> [RenderNode]? {
        guard let tokens = templates[name] else { return nil }
        return try nodes(tokens, Environment(partials: [name]))
    }

    private struct Environment {
        var indentation: [UInt8] = []
        var escapes = true
        var inherited: [String: [TemplateToken]]?
        var partials: [String]
    }

    private func nodes(_ tokens: [TemplateToken], _ environment: Environment) throws -> [RenderNode] {
        var result: [RenderNode] = []
        var environment = environment
        for token in tokens {
            switch token {
            case .text(let bytes):
                result.append(.literal(bytes))
            case .variable(let name, let escaped):
                result.append(variable(name, escaped: escaped && environment.escapes))
            case .section(let name, let body):
                result.append(.section(ValuePath(name), try nodes(body, environment)))
            case .inverted(let name, let body):
                result.append(.inverted(ValuePath(name), try nodes(body, environment)))
            case .contentType(let escapes):
                environment.escapes = escapes
            case .blockDefinition:
                break  // only inside `{{<parent}}`, where the parser collects them as overrides
            case .blockExpansion(let name, let defaults, let indentation):
                var inner = environment
                inner.indentation += indentation
                let body = environment.inherited?[name] ?? defaults
                result += scope(try nodes(body, inner), indentation: inner.indentation)
            case .partial(let name, let indentation, let overrides):
                guard let partial = templates[name] else { continue }  // a missing partial renders nothing
                guard !environment.partials.contains(name) else {
                    throw RecursionError(chain: environment.partials + [name])
                }
                var inner = environment
                inner.indentation += indentation ?? []
                inner.escapes = true
                inner.partials.append(name)
                if let overrides {
                    // Overrides from further out win (swift-mustache's `withPartial`).
                    inner.inherited = (environment.inherited ?? [:]).merging(overrides) { outer, _ in outer }
                }
                result += scope(try nodes(partial, inner), indentation: inner.indentation)
            }
        }
        return environment.indentation.isEmpty ? Self.merged(result) : result
    }

    /// `{{t.a.b}}` with a known string becomes its bytes; anything else is looked up when rendering.
    private func variable(_ name: TemplateName, escaped: Bool) -> RenderNode {
        let path = ValuePath(name)
        if let strings, path.kind == .stack, path.transforms.isEmpty, path.parts.count > 1,
            path.parts[0] == Views.sharedStringsKey,
            let text = strings[path.parts.dropFirst().joined(separator: ".")]
        {
            return .literal(escaped ? HTMLBytes.escaped(text) : Array(text.utf8))
        }
        return .variable(path, escaped: escaped)
    }

    /// Inlines a partial or block unless it indents or must hide the list position.
    private func scope(_ nodes: [RenderNode], indentation: [UInt8]) -> [RenderNode] {
        if indentation.isEmpty, !Self.usesListPosition(nodes) { return nodes }
        return [.scope(nodes, indentation: indentation)]
    }

    private static func usesListPosition(_ nodes: [RenderNode]) -> Bool {
        nodes.contains { node in
            switch node {
            case .literal, .scope: false
            case .variable(let path, _): path.kind == .sequenceContext
            case .section(let path, let body), .inverted(let path, let body):
                path.kind == .sequenceContext || usesListPosition(body)
            }
        }
    }

    /// Joins neighbouring literals and drops empty ones (only where no indentation counts tokens).
    private static func merged(_ nodes: [RenderNode]) -> [RenderNode] {
        var result: [RenderNode] = []
        result.reserveCapacity(nodes.count)
        var pending: [UInt8] = []
        for node in nodes {
            if case .literal(let bytes) = node {
                pending += bytes
                continue
            }
            if !pending.isEmpty {
                result.append(.literal(pending))
                pending = []
            }
            result.append(node)
        }
        if !pending.isEmpty { result.append(.literal(pending)) }
        return result
    }
}
