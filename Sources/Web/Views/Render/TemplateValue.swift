import Foundation
import Mustache

/// A context value, cast once: the common types by their exact dynamic type, everything else as
/// `other`, handled the way swift-mustache handles it (through its public protocols and `Mirror`).
///
/// Classification also applies `Views.normalized` on the fly, so the renderer needs no normalised copy
/// of the context: an empty string and a nil are `nothing`; values under the interface-strings key
/// (`t`) are taken as they are (`raw`), as `normalized` passes them through.
enum TemplateValue {
    case string(String)
    case dictionary([String: Any], raw: Bool)
    case dictionaries([[String: Any]], raw: Bool)
    case list([Any], raw: Bool)
    case bool(Bool)
    case int(Int)
    /// An absent value (`Views.Nothing`, an empty string, nil): prints nothing, is false in sections.
    case nothing
    case other(Any)

    private static let stringType = ObjectIdentifier(String.self)
    private static let dictionaryType = ObjectIdentifier([String: Any].self)
    private static let dictionariesType = ObjectIdentifier([[String: Any]].self)
    private static let listType = ObjectIdentifier([Any].self)
    private static let boolType = ObjectIdentifier(Bool.self)
    private static let intType = ObjectIdentifier(Int.self)
    private static let nothingType = ObjectIdentifier(Views.Nothing.self)

    init(_ value: Any, raw: Bool = false) {
        switch ObjectIdentifier(type(of: value)) {
        case Self.stringType:
            let text = value as! String
            self = text.isEmpty && !raw ? .nothing : .string(text)
        case Self.dictionaryType: self = .dictionary(value as! [String: Any], raw: raw)
        case Self.boolType: self = .bool(value as! Bool)
        case Self.dictionariesType: self = .dictionaries(value as! [[String: Any]], raw: raw)
        case Self.listType: self = .list(value as! [Any], raw: raw)
        case Self.intType: self = .int(value as! Int)
        case Self.nothingType: self = .nothing
        default: self = Self.converted(value, raw: raw)
        }
    }

    /// What `Views.normalized` makes of any other value (optionals, bridged collections), then `other`.
    private static func converted(_ value: Any, raw: Bool) -> TemplateValue {
        if raw { return .other(value) }
        switch value {
        case let text as String: return text.isEmpty ? .nothing : .string(text)
        case let dictionary as [String: Any]: return .dictionary(dictionary, raw: false)
        case let array as [[String: Any]]: return .dictionaries(array, raw: false)
        case let array as [Any]: return .list(array, raw: false)
        case Optional<Any>.none: return .nothing
        default: return .other(value)
        }
    }

    /// The value as swift-mustache sees it (for printing unusual types and for transforms).
    var any: Any {
        switch self {
        case .string(let text): text
        case .dictionary(let dictionary, _): dictionary
        case .dictionaries(let array, _): array
        case .list(let array, _): array
        case .bool(let bool): bool
        case .int(let int): int
        case .nothing: Views.Nothing()
        case .other(let value): value
        }
    }

    /// The child `name` of this value as a context, or nil (swift-mustache's `_getImmediateChild`):
    /// strings, numbers, Bools and arrays have no named children.
    func child(_ name: String) -> TemplateValue? {
        switch self {
        case .dictionary(let dictionary, let raw):
            guard let child = dictionary[name] else { return nil }
            return TemplateValue(child, raw: raw || name == Views.sharedStringsKey)
        case .other(let value):
            // `Views.normalized` does not look inside other types: their values count as they are.
            return Self.genericChild(of: value, named: name).map { TemplateValue($0, raw: true) }
        default:
            return nil
        }
    }

    private static func genericChild(of value: Any, named name: String) -> Any? {
        let object: Any? = (value as? any MustacheCustomRepresentation).map(\.representation) ?? value
        if let parent = object as? any MustacheParent { return parent.child(named: name) }
        guard let object else { return nil }
        guard let match = Mirror(reflecting: object).children.first(where: { $0.label == name }) else { return nil }
        let mirror = Mirror(reflecting: match.value)
        guard mirror.displayStyle == .optional else { return match.value }
        return mirror.children.first?.value
    }

    /// swift-mustache's final step of a lookup: a `MustacheCustomRepresentation` stands for its representation.
    var represented: TemplateValue? {
        guard case .other(let value) = self, let custom = value as? any MustacheCustomRepresentation else {
            return self
        }
        return custom.representation.map { TemplateValue($0, raw: true) }
    }

    /// Appends the value as `{{name}}` prints it.
    func write(to output: inout [UInt8], escaped: Bool) {
        switch self {
        case .string(let text): HTMLBytes.append(text, escaped: escaped, to: &output)
        case .nothing: break
        case .bool(let bool): output.append(contentsOf: bool ? Self.trueBytes : Self.falseBytes)
        case .int(let int): output.append(contentsOf: String(int).utf8)
        case .other(let value):
            let text: String
            if let renderable = value as? any MustacheCustomRenderable {
                text = renderable.renderText
            } else if let optional = value as? any OptionalValue {
                text = String(describing: optional.wrappedAny ?? value)
            } else {
                text = String(describing: value)
            }
            HTMLBytes.append(text, escaped: escaped, to: &output)
        default: HTMLBytes.append(String(describing: any), escaped: escaped, to: &output)
        }
    }

    private static let trueBytes = Array("true".utf8)
    private static let falseBytes = Array("false".utf8)
}

/// swift-mustache prints the value inside an optional, not "Optional(…)".
private protocol OptionalValue {
    var wrappedAny: Any? { get }
}

extension Optional: OptionalValue {
    fileprivate var wrappedAny: Any? { self }
}

/// The position in a list while rendering its section (swift-mustache's `MustacheSequenceContext`),
/// reached with transforms such as `{{^last()}}`.
struct SequencePosition: MustacheTransformable {
    var first: Bool
    var last: Bool
    var index: Int

    func transform(_ name: String) -> Any? {
        switch name {
        case "first": first
        case "last": last
        case "index": index
        case "even": index & 1 == 0
        case "odd": index & 1 == 1
        default: nil
        }
    }
}
