/// HTML escaping on UTF-8 bytes, with the same five escapes as `HTMLEscaper`.
enum HTMLBytes {
    static func append(_ text: String, escaped: Bool, to output: inout [UInt8]) {
        var text = text
        text.withUTF8 { bytes in
            if escaped { append(escaping: bytes, to: &output) } else { output.append(contentsOf: bytes) }
        }
    }

    /// The escaped form of `text`, for strings resolved when templates are compiled.
    static func escaped(_ text: String) -> [UInt8] {
        var output: [UInt8] = []
        append(text, escaped: true, to: &output)
        return output
    }

    static func append(escaping bytes: UnsafeBufferPointer<UInt8>, to output: inout [UInt8]) {
        var runStart = 0
        for index in 0..<bytes.count {
            let replacement: [UInt8]
            switch bytes[index] {
            case UInt8(ascii: "&"): replacement = ampersand
            case UInt8(ascii: "<"): replacement = lessThan
            case UInt8(ascii: ">"): replacement = greaterThan
            case UInt8(ascii: "\""): replacement = quote
            case UInt8(ascii: "'"): replacement = apostrophe
            default: continue
            }
            if runStart < index { output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index])) }
            output.append(contentsOf: replacement)
            runStart = index + 1
        }
        if runStart < bytes.count { output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart...])) }
    }

    private static let ampersand = Array("&amp;".utf8)
    private static let lessThan = Array("&lt;".utf8)
    private static let greaterThan = Array("&gt;".utf8)
    private static let quote = Array("&quot;".utf8)
    private static let apostrophe = Array("&#39;".utf8)
}
