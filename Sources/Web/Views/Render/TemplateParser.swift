/// Parses Mustache text into `TemplateToken`s on UTF-8 bytes, step for step as swift-mustache 2.1.1's
/// `MustacheTemplate.parse` does on `Character`s (Template+Parser.swift), including its standalone-line
/// rules and their quirks: a line holding only a section, partial, block, comment or delimiter tag
/// disappears; whether the line after a section's closing tag starts "on a new line" follows the
/// *opening* tag; a standalone partial keeps its indentation both as text and as the partial's indent.
///
/// Differences only outside the template syntax we use: whitespace inside tags is ASCII whitespace,
/// and a tag character followed by a combining mark is not special (swift-mustache sees one
/// `Character` there). Dynamic partials (`{{>*name}}`) are rejected.
struct TemplateParser {
    struct Error: Swift.Error, CustomStringConvertible {
        let line: Int
        let message: String
        var description: String { "line \(line): \(message)" }
    }

    static func parse(_ text: String) throws -> [TemplateToken] {
        var parser = TemplateParser(bytes: Array(text.utf8))
        return try parser.parseTokens(State())
    }

    private let bytes: [UInt8]
    private var position = 0

    private init(bytes: [UInt8]) { self.bytes = bytes }

    private struct State {
        var sectionName: String?
        var sectionTransforms: [String] = []
        var newLine = true
        var isPartialDefinition = false
        var isPartialDefinitionTopLevel = false
        var start: [UInt8] = Array("{{".utf8)
        var end: [UInt8] = Array("}}".utf8)
        /// The indentation (spaces and tabs, one byte each) of the first line of a block override.
        var partialDefinitionIndent: Int?

        func withSectionName(_ name: String, newLine: Bool, transforms: [String] = []) -> State {
            var state = self
            state.sectionName = name
            state.sectionTransforms = transforms
            state.isPartialDefinitionTopLevel = false
            if !newLine { state.newLine = false }
            return state
        }

        func withInheritancePartial(_ name: String) -> State {
            var state = self
            state.sectionName = name
            state.sectionTransforms = []
            state.newLine = true
            state.isPartialDefinition = true
            state.isPartialDefinitionTopLevel = true
            return state
        }
    }

    private var atEnd: Bool { position == bytes.count }
    private var current: UInt8 { atEnd ? 0 : bytes[position] }

    private func fail(_ message: String) -> Error {
        Error(line: bytes[..<min(position, bytes.count)].reduce(1) { $1 == 0x0A ? $0 + 1 : $0 }, message: message)
    }

    private mutating func parseTokens(_ initial: State) throws -> [TemplateToken] {
        var tokens: [TemplateToken] = []
        var state = initial
        var whiteSpaceBefore: [UInt8] = []
        while !atEnd {
            if state.newLine {
                let whiteSpace = readSpacesAndTabs()
                if state.isPartialDefinition, !state.isPartialDefinitionTopLevel {
                    if let indent = state.partialDefinitionIndent {
                        whiteSpaceBefore = Array(whiteSpace.dropFirst(indent))
                    } else {
                        state.partialDefinitionIndent = whiteSpace.count
                    }
                } else {
                    whiteSpaceBefore = whiteSpace
                }
            }
            let text = try readUntilDelimiterOrNewline(state)
            let newline = Self.newlineLength(bytes, at: position)
            if newline > 0 {
                tokens.append(.text(whiteSpaceBefore + text + bytes[position..<position + newline]))
                state.newLine = true
                position += newline
                continue
            }
            if !text.isEmpty {
                tokens.append(.text(whiteSpaceBefore + text))
                whiteSpaceBefore = []
                state.newLine = false
            }
            if atEnd { break }
            var setNewLine = false
            switch current {
            case UInt8(ascii: "#"), UInt8(ascii: "^"):
                let inverted = current == UInt8(ascii: "^")
                position += 1
                let name = try parseName(state)
                if isStandalone(state) {
                    setNewLine = true
                } else if !whiteSpaceBefore.isEmpty {
                    tokens.append(.text(whiteSpaceBefore))
                    whiteSpaceBefore = []
                }
                let body = try parseTokens(
                    state.withSectionName(name.name, newLine: setNewLine, transforms: name.transforms))
                tokens.append(inverted ? .inverted(name, body) : .section(name, body))

            case UInt8(ascii: "/"):
                position += 1
                let name = try parseName(state)
                guard name.name == state.sectionName, name.transforms == state.sectionTransforms else {
                    throw fail("{{/\(name.name)}} closes \(state.sectionName.map { "{{#\($0)}}" } ?? "nothing")")
                }
                if !isStandalone(state), !whiteSpaceBefore.isEmpty {
                    tokens.append(.text(whiteSpaceBefore))
                }
                return tokens

            case UInt8(ascii: "!"):
                position += 1
                try skipComment(state)
                setNewLine = isStandalone(state)

            case UInt8(ascii: "{"), UInt8(ascii: "&"):
                let triple = current == UInt8(ascii: "{")
                if !whiteSpaceBefore.isEmpty {
                    tokens.append(.text(whiteSpaceBefore))
                    whiteSpaceBefore = []
                }
                position += 1
                let name = try parseName(state)
                if triple {
                    guard !atEnd else { throw fail("unexpected end in {{{…}}}") }
                    guard current == UInt8(ascii: "}") else { throw fail("{{{\(name.name)}} lacks its third brace") }
                    position += 1
                }
                tokens.append(.variable(name, escaped: false))

            case UInt8(ascii: ">"):
                position += 1
                skipWhitespace()
                if current == UInt8(ascii: "*") { throw fail("dynamic partials are not supported") }
                let name = try parsePartialName(state)
                if !whiteSpaceBefore.isEmpty { tokens.append(.text(whiteSpaceBefore)) }
                if isStandalone(state) {
                    setNewLine = true
                    tokens.append(.partial(name, indentation: whiteSpaceBefore, overrides: nil))
                } else {
                    tokens.append(.partial(name, indentation: nil, overrides: nil))
                }
                whiteSpaceBefore = []

            case UInt8(ascii: "<"):
                position += 1
                skipWhitespace()
                let name = try parsePartialName(state)
                if name.first == "*" { throw fail("dynamic partials are not supported") }
                if !whiteSpaceBefore.isEmpty { tokens.append(.text(whiteSpaceBefore)) }
                if isStandalone(state) { setNewLine = true }
                let body = try parseTokens(state.withInheritancePartial(name))
                var overrides: [String: [TemplateToken]] = [:]
                for token in body {
                    switch token {
                    case .blockDefinition(let block, let tokens): overrides[block] = tokens
                    case .text: break
                    default: throw fail("only {{$block}} overrides may stand inside {{<\(name)}}")
                    }
                }
                tokens.append(.partial(name, indentation: whiteSpaceBefore, overrides: overrides))
                whiteSpaceBefore = []

            case UInt8(ascii: "$"):
                position += 1
                let name = try parseName(state)
                guard name.transforms.isEmpty else { throw fail("a block cannot have a transform") }
                if state.isPartialDefinitionTopLevel {
                    if isStandalone(state) { setNewLine = true }
                    let body = try parseTokens(state.withSectionName(name.name, newLine: setNewLine))
                    tokens.append(.blockDefinition(name.name, body))
                } else {
                    if !whiteSpaceBefore.isEmpty { tokens.append(.text(whiteSpaceBefore)) }
                    if isStandalone(state) { setNewLine = true }
                    let body = try parseTokens(state.withSectionName(name.name, newLine: setNewLine))
                    tokens.append(.blockExpansion(name.name, defaults: body, indentation: whiteSpaceBefore))
                    whiteSpaceBefore = []
                }

            case UInt8(ascii: "="):
                position += 1
                try setDelimiters(&state)
                setNewLine = isStandalone(state)

            case UInt8(ascii: "%"):
                position += 1
                tokens.append(try readConfigVariable(state))
                setNewLine = isStandalone(state)

            default:
                if !whiteSpaceBefore.isEmpty {
                    tokens.append(.text(whiteSpaceBefore))
                    whiteSpaceBefore = []
                }
                tokens.append(.variable(try parseName(state), escaped: true))
            }
            state.newLine = setNewLine
        }
        if let open = state.sectionName { throw fail("{{\(open)}} is not closed") }
        return tokens
    }

    /// The length of the line break at `index` as one `Character` for which `isNewline` holds
    /// (`\n`, `\r\n`, `\r`, VT, FF, NEL, LS, PS), or 0.
    static func newlineLength(_ bytes: [UInt8], at index: Int) -> Int {
        guard index < bytes.count else { return 0 }
        switch bytes[index] {
        case 0x0A, 0x0B, 0x0C: return 1
        case 0x0D: return index + 1 < bytes.count && bytes[index + 1] == 0x0A ? 2 : 1
        case 0xC2: return index + 1 < bytes.count && bytes[index + 1] == 0x85 ? 2 : 0
        case 0xE2:
            guard index + 2 < bytes.count, bytes[index + 1] == 0x80 else { return 0 }
            return bytes[index + 2] == 0xA8 || bytes[index + 2] == 0xA9 ? 3 : 0
        default: return 0
        }
    }

    private mutating func readSpacesAndTabs() -> [UInt8] {
        let start = position
        while !atEnd, bytes[position] == 0x20 || bytes[position] == 0x09 { position += 1 }
        return Array(bytes[start..<position])
    }

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || (0x09...0x0D).contains(byte)
    }

    private mutating func skipWhitespace() {
        while !atEnd, Self.isWhitespace(bytes[position]) { position += 1 }
    }

    /// Reads text up to a line break (`\n` or `\r\n`, left unread) or through the next start delimiter.
    private mutating func readUntilDelimiterOrNewline(_ state: State) throws -> [UInt8] {
        var text: [UInt8] = []
        let first = state.start[0]
        while !atEnd {
            let byte = bytes[position]
            if byte == 0x0A || (byte == 0x0D && position + 1 < bytes.count && bytes[position + 1] == 0x0A) {
                break
            }
            if byte == first {
                if try readString(state.start) { break }
                text.append(byte)
                position += 1
                continue
            }
            text.append(byte)
            position += 1
        }
        return text
    }

    /// Reads `string` if it comes next; like swift-mustache, fails when fewer bytes remain than it has.
    private mutating func readString(_ string: [UInt8]) throws -> Bool {
        guard bytes.count - position >= string.count else { throw fail("unexpected end of template") }
        guard bytes[position..<position + string.count].elementsEqual(string) else { return false }
        position += string.count
        return true
    }

    private mutating func isStandalone(_ state: State) -> Bool {
        state.newLine && hasLineFinished()
    }

    /// True at the end, or when only spaces and tabs remain on the line (then read through the line break).
    private mutating func hasLineFinished() -> Bool {
        if atEnd { return true }
        var index = position
        while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x09 { index += 1 }
        let newline = Self.newlineLength(bytes, at: index)
        guard newline > 0 else { return false }
        position = index + newline
        return true
    }

    private static let nameBytes: Set<UInt8> = Set(
        "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-_?*".utf8)
    private static let nameBytesWithBrackets = nameBytes.union("()".utf8)
    private static let partialNameBytes = nameBytesWithBrackets.union("/".utf8)

    private mutating func read(while set: Set<UInt8>) -> String {
        let start = position
        while !atEnd, set.contains(bytes[position]) { position += 1 }
        return String(decoding: bytes[start..<position], as: UTF8.self)
    }

    private mutating func parseName(_ state: State) throws -> TemplateName {
        skipWhitespace()
        let text = read(while: Self.nameBytesWithBrackets)
        skipWhitespace()
        guard try readString(state.end) else { throw fail("tag {{\(text) is not closed") }
        return try splitTransforms(text)
    }

    /// `last()` → name "", transform "last"; `a(b(c))` → name "c", transforms ["a", "b"].
    private func splitTransforms(_ text: String) throws -> TemplateName {
        let name = Array(text.utf8)
        var index = 0
        func readName() -> String {
            let start = index
            while index < name.count, Self.nameBytes.contains(name[index]) { index += 1 }
            return String(decoding: name[start..<index], as: UTF8.self)
        }
        let first = readName()
        if index == name.count { return TemplateName(name: text) }
        guard name[index] == UInt8(ascii: "(") else { throw fail("bad name \(text)") }
        index += 1
        var transforms = [first]
        while true {
            let parameter = readName()
            if index < name.count, name[index] == UInt8(ascii: ")") {
                index += 1
                var closing = 0
                while index < name.count, name[index] == UInt8(ascii: ")") {
                    index += 1
                    closing += 1
                }
                guard closing + 1 == transforms.count, index == name.count else { throw fail("bad name \(text)") }
                return TemplateName(name: parameter, transforms: transforms)
            } else if index < name.count, name[index] == UInt8(ascii: "(") {
                index += 1
                transforms.append(parameter)
            } else {
                throw fail("bad name \(text)")
            }
        }
    }

    private mutating func parsePartialName(_ state: State) throws -> String {
        skipWhitespace()
        let text = read(while: Self.partialNameBytes)
        skipWhitespace()
        guard try readString(state.end) else { throw fail("partial tag {{>\(text) is not closed") }
        return text
    }

    /// Skips through the end delimiter with swift-mustache's matching (`Parser.read(untilString:)`).
    private mutating func skipComment(_ state: State) throws {
        var matched = 0
        while !atEnd {
            if bytes[position] == state.end[matched] {
                matched += 1
                if matched == state.end.count {
                    position += 1
                    return
                }
            } else {
                matched = 0
            }
            position += 1
        }
        throw fail("comment is not closed")
    }

    private mutating func setDelimiters(_ state: inout State) throws {
        let invalid = fail("invalid delimiter tag")
        skipWhitespace()
        var start = position
        while !atEnd, !Self.isWhitespace(bytes[position]) { position += 1 }
        guard !atEnd else { throw invalid }
        let startDelimiter = Array(bytes[start..<position])
        skipWhitespace()
        start = position
        while !atEnd, bytes[position] != UInt8(ascii: "="), !Self.isWhitespace(bytes[position]) { position += 1 }
        guard !atEnd else { throw invalid }
        let endDelimiter = Array(bytes[start..<position])
        skipWhitespace()
        guard !atEnd, bytes[position] == UInt8(ascii: "=") else { throw invalid }
        position += 1
        guard (try? readString(state.end)) == true, !startDelimiter.isEmpty, !endDelimiter.isEmpty else {
            throw invalid
        }
        state.start = startDelimiter
        state.end = endDelimiter
        state.isPartialDefinitionTopLevel = false
    }

    private mutating func readConfigVariable(_ state: State) throws -> TemplateToken {
        let invalid = fail("invalid {{% NAME: VALUE }} tag")
        skipWhitespace()
        let variable = read(while: Self.nameBytes)
        skipWhitespace()
        guard !atEnd, bytes[position] == UInt8(ascii: ":") else { throw invalid }
        position += 1
        skipWhitespace()
        let value = read(while: Self.nameBytes)
        skipWhitespace()
        guard (try? readString(state.end)) == true, !variable.isEmpty, !value.isEmpty else { throw invalid }
        switch (variable, value) {
        case ("CONTENT_TYPE", "HTML"): return .contentType(escapes: true)
        case ("CONTENT_TYPE", "TEXT"): return .contentType(escapes: false)
        default: throw fail("unknown setting \(variable): \(value)")
        }
    }
}
