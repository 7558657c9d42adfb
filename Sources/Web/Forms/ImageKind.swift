/// The image formats an upload may have, recognised by their first bytes only — never by the declared
/// content type or the file name. Anything else (GIF, SVG, HEIC, …) is refused by returning nil.
enum ImageKind: String, Sendable, CaseIterable {
    case jpeg
    case png
    case webp

    var contentType: String {
        switch self {
        case .jpeg: "image/jpeg"
        case .png: "image/png"
        case .webp: "image/webp"
        }
    }

    var fileExtension: String {
        switch self {
        case .jpeg: "jpg"
        case .png: "png"
        case .webp: "webp"
        }
    }

    static func detect(_ bytes: some Collection<UInt8>) -> ImageKind? {
        let head = Array(bytes.prefix(16))
        // JPEG: start-of-image FF D8, then the next marker (FF and a marker code C0…FE).
        if head.count >= 4, head[0...2].elementsEqual([0xFF, 0xD8, 0xFF]), (0xC0...0xFE).contains(head[3]) {
            return .jpeg
        }
        if head.count >= 8, head[0..<8].elementsEqual([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) {
            return .png
        }
        // WebP: "RIFF", a 32-bit size, "WEBP", then the first chunk: "VP8 ", "VP8L" or "VP8X".
        if head.count >= 16, head[0..<4].elementsEqual("RIFF".utf8), head[8..<12].elementsEqual("WEBP".utf8),
            head[12..<15].elementsEqual("VP8".utf8),
            [UInt8(ascii: " "), UInt8(ascii: "L"), UInt8(ascii: "X")]
                .contains(head[15])
        {
            return .webp
        }
        return nil
    }
}
