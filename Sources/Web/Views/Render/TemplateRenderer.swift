import Mustache

/// Renders `RenderNode`s into one byte buffer with a stack of contexts, with swift-mustache's
/// semantics (Template+Render.swift, Context.swift, Sequence.swift):
/// - a name is looked up from the innermost context outwards; for `a.b.c` the first context that has
///   `a` decides, and the rest is looked up below it only;
/// - `{{#x}}` renders for `true`, once with the value pushed for anything else present, once per
///   element for a list, and not at all for false, an empty list, nil or nothing; `{{^x}}` the reverse;
/// - in an indented partial, a token that prints something at the start of a line is indented,
///   where "start of a line" is judged within the template or section body being rendered.
struct TemplateRenderer {
    private(set) var output: [UInt8] = []
    private var stack: [TemplateValue]
    private var position: SequencePosition?

    /// `raw`: the context's values count exactly as swift-mustache counts them (an empty string is a
    /// string), for contexts that `Views.normalized` never applied to (mails).
    init(context: [String: Any], capacity: Int, raw: Bool = false) {
        stack = [.dictionary(context, raw: raw)]
        stack.reserveCapacity(8)
        output.reserveCapacity(capacity)
    }

    mutating func render(_ nodes: [RenderNode], indentation: [UInt8]) {
        guard !indentation.isEmpty else {
            for node in nodes { render(node, indentation: indentation) }
            return
        }
        let start = output.count
        for node in nodes {
            let end = output.count
            let atLineStart =
                end > start && output[end - 1] == 0x0A && !(end - 2 >= start && output[end - 2] == 0x0D)
            guard atLineStart else {
                render(node, indentation: indentation)
                continue
            }
            output.append(contentsOf: indentation)
            let mark = output.count
            render(node, indentation: indentation)
            if output.count == mark { output.removeLast(indentation.count) }
        }
    }

    private mutating func render(_ node: RenderNode, indentation: [UInt8]) {
        switch node {
        case .literal(let bytes):
            output.append(contentsOf: bytes)
        case .variable(let path, let escaped):
            lookup(path)?.write(to: &output, escaped: escaped)
        case .section(let path, let body):
            guard let value = lookup(path) else { return }
            section(value, body, indentation: indentation)
        case .inverted(let path, let body):
            inverted(lookup(path), body, indentation: indentation)
        case .scope(let nodes, let scopeIndentation):
            let saved = position
            position = nil
            render(nodes, indentation: scopeIndentation)
            position = saved
        }
    }

    private mutating func section(_ value: TemplateValue, _ body: [RenderNode], indentation: [UInt8]) {
        switch value {
        case .bool(let bool):
            if bool { render(body, indentation: indentation) }
        case .nothing:
            return
        case .dictionaries(let items, let raw):
            each(items.count, body, indentation: indentation) { .dictionary(items[$0], raw: raw) }
        case .list(let items, let raw):
            each(items.count, body, indentation: indentation) { TemplateValue(items[$0], raw: raw) }
        case .other(let value):
            if let sequence = value as? any MustacheSequence {
                let items = Self.elements(of: sequence)
                each(items.count, body, indentation: indentation) { TemplateValue(items[$0], raw: true) }
            } else if let bool = value as? Bool {
                if bool { render(body, indentation: indentation) }
            } else if let renderable = value as? any MustacheCustomRenderable, renderable.isNull {
                return
            } else {
                pushed(value: .other(value), body, indentation: indentation)
            }
        case .string, .int, .dictionary:
            pushed(value: value, body, indentation: indentation)
        }
    }

    private mutating func inverted(_ value: TemplateValue?, _ body: [RenderNode], indentation: [UInt8]) {
        switch value {
        case nil, .nothing:
            render(body, indentation: indentation)
        case .bool(let bool):
            if !bool { render(body, indentation: indentation) }
        case .dictionaries(let items, _):
            if items.isEmpty { pushed(value: value!, body, indentation: indentation) }
        case .list(let items, _):
            if items.isEmpty { pushed(value: value!, body, indentation: indentation) }
        case .other(let value):
            if let sequence = value as? any MustacheSequence {
                if Self.elements(of: sequence).isEmpty { pushed(value: .other(value), body, indentation: indentation) }
            } else if let bool = value as? Bool {
                if !bool { render(body, indentation: indentation) }
            } else if let renderable = value as? any MustacheCustomRenderable, renderable.isNull {
                render(body, indentation: indentation)
            }
        case .string, .int, .dictionary:
            return
        }
    }

    private mutating func pushed(value: TemplateValue, _ body: [RenderNode], indentation: [UInt8]) {
        let saved = position
        position = nil
        stack.append(value)
        render(body, indentation: indentation)
        stack.removeLast()
        position = saved
    }

    private mutating func each(
        _ count: Int, _ body: [RenderNode], indentation: [UInt8], element: (Int) -> TemplateValue
    ) {
        guard count > 0 else { return }
        let saved = position
        for index in 0..<count {
            position = SequencePosition(first: index == 0, last: index == count - 1, index: index)
            stack.append(element(index))
            render(body, indentation: indentation)
            stack.removeLast()
        }
        position = saved
    }

    private func lookup(_ path: ValuePath) -> TemplateValue? {
        var value: TemplateValue?
        switch path.kind {
        case .current:
            value = stack[stack.count - 1]
        case .sequenceContext:
            value = position.map { .other($0) }
        case .local:
            value = descend(path.parts[...], from: stack[stack.count - 1])
        case .stack:
            guard let first = path.parts.first else {
                value = stack[stack.count - 1]
                break
            }
            for frame in stack.reversed() {
                if let child = frame.child(first) {
                    value = descend(path.parts.dropFirst(), from: child)
                    break
                }
            }
        }
        guard var result = value?.represented else { return nil }
        for transform in path.transforms.reversed() {
            guard let transformable = result.any as? any MustacheTransformable,
                let transformed = transformable.transform(transform)
            else { return nil }
            result = TemplateValue(transformed, raw: true)
        }
        return result
    }

    private static func elements(of sequence: some Sequence) -> [Any] {
        sequence.map { $0 as Any }
    }

    private func descend(_ parts: ArraySlice<String>, from value: TemplateValue) -> TemplateValue? {
        var value = value
        for part in parts {
            guard let child = value.child(part) else { return nil }
            value = child
        }
        return value
    }
}
