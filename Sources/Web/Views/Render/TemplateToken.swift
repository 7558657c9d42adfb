/// One template file as parsed: the same tokens, with the same whitespace already applied, that
/// swift-mustache 2.1.1's parser produces for it (`Template.Token`), with text as UTF-8 bytes.
indirect enum TemplateToken: Equatable {
    case text([UInt8])
    /// `{{name}}` (escaped) or `{{{name}}}` / `{{&name}}` (not escaped).
    case variable(TemplateName, escaped: Bool)
    case section(TemplateName, [TemplateToken])
    case inverted(TemplateName, [TemplateToken])
    /// `{{$name}}…{{/name}}` directly inside `{{<parent}}`: an override of the parent's block.
    case blockDefinition(String, [TemplateToken])
    /// `{{$name}}default{{/name}}` anywhere else: replaced by an override when one is inherited.
    case blockExpansion(String, defaults: [TemplateToken], indentation: [UInt8])
    /// `{{>name}}` (overrides nil) or `{{<name}}…{{/name}}` (overrides by block name).
    case partial(String, indentation: [UInt8]?, overrides: [String: [TemplateToken]]?)
    /// `{{% CONTENT_TYPE: TEXT }}` (escapes false) or `HTML`: applies to the rest of the enclosing template.
    case contentType(escapes: Bool)
}

/// A value name as written in a tag: `title`, `t.nav.home`, `.`, and swift-mustache's transforms
/// (`{{^last()}}` is the name "" with the transform "last").
struct TemplateName: Equatable, Hashable {
    var name: String
    var transforms: [String] = []

    /// How the name is looked up, as swift-mustache's `getChild` decides it.
    enum Kind: Equatable {
        /// `.`: the innermost context.
        case current
        /// `""` with transforms: the position in the enclosing list (`first`, `last`, `index`, …).
        case sequenceContext
        /// `.a.b`: only in the innermost context.
        case local
        /// `a.b`: `a` from the innermost context outwards, then down.
        case stack
    }

    var kind: Kind {
        if name == "." { return .current }
        if name.isEmpty, !transforms.isEmpty { return .sequenceContext }
        if name.first == "." { return .local }
        return .stack
    }

    /// The dotted parts; empty parts are dropped as `split(separator:)` drops them.
    var parts: [String] { name.split(separator: ".").map(String.init) }
}
