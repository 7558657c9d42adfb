import Testing

@testable import Web

/// The first bytes of real files of each kind, small enough to write out here.
enum SampleImages {
    /// A complete 1×1 grey PNG.
    static let png: [UInt8] = [
        0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00,
        0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x00, 0x00, 0x00, 0x00, 0x3A, 0x7E, 0x9B, 0x55, 0x00, 0x00, 0x00,
        0x0A, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0x60, 0x00, 0x00, 0x00, 0x02, 0x00, 0x01, 0x48, 0xAF, 0xA4,
        0x71, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
    ]
    /// Start of image and the JFIF APP0 segment.
    static let jpeg: [UInt8] = [
        0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 0x4A, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01,
        0x00, 0x00,
    ]
    /// Start of image and an Exif APP1 segment, as cameras and phones write it.
    static let jpegExif: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE1, 0x00, 0x18, 0x45, 0x78, 0x69, 0x66, 0x00, 0x00]
    /// RIFF header, "WEBP" and the start of a lossy VP8 chunk.
    static let webp: [UInt8] =
        Array("RIFF".utf8) + [0x24, 0x00, 0x00, 0x00] + Array("WEBPVP8 ".utf8) + [0x18, 0x00, 0x00, 0x00, 0x30, 0x01]
    static let webpLossless: [UInt8] = Array("RIFF".utf8) + [0x1A, 0, 0, 0] + Array("WEBPVP8L".utf8) + [0x0D, 0, 0, 0]
    static let gif: [UInt8] = Array("GIF89a".utf8) + [0x01, 0x00, 0x01, 0x00, 0x80, 0x00, 0x00]
    static let svg: [UInt8] = Array(
        #"<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>"#.utf8)
}

@Suite("Image kind detection")
struct ImageKindTests {
    @Test("JPEG, PNG and WebP are recognised by their first bytes")
    func recognisesAcceptedKinds() {
        #expect(ImageKind.detect(SampleImages.jpeg) == .jpeg)
        #expect(ImageKind.detect(SampleImages.jpegExif) == .jpeg)
        #expect(ImageKind.detect(SampleImages.png) == .png)
        #expect(ImageKind.detect(SampleImages.webp) == .webp)
        #expect(ImageKind.detect(SampleImages.webpLossless) == .webp)
    }

    @Test("each kind names its content type and file extension")
    func contentTypesAndExtensions() {
        #expect(ImageKind.jpeg.contentType == "image/jpeg")
        #expect(ImageKind.png.contentType == "image/png")
        #expect(ImageKind.webp.contentType == "image/webp")
        #expect(ImageKind.allCases.map(\.fileExtension) == ["jpg", "png", "webp"])
    }

    @Test("GIF, SVG and other RIFF files are refused")
    func refusesOtherFormats() {
        #expect(ImageKind.detect(SampleImages.gif) == nil)
        #expect(ImageKind.detect(SampleImages.svg) == nil)
        #expect(ImageKind.detect(Array("<svg xmlns=\"http://www.w3.org/2000/svg\"/>".utf8)) == nil)
        let wave = Array("RIFF".utf8) + [0x24, 0, 0, 0] + Array("WAVEfmt ".utf8) + [0x10, 0, 0, 0]
        #expect(ImageKind.detect(wave) == nil)
        let webpWithoutChunk = Array(SampleImages.webp.prefix(12)) + Array("ABCD".utf8)
        #expect(ImageKind.detect(webpWithoutChunk) == nil)
    }

    @Test("too short input is never an image")
    func shortInput() {
        #expect(ImageKind.detect([UInt8]()) == nil)
        #expect(ImageKind.detect([0xFF, 0xD8, 0xFF]) == nil)
        #expect(ImageKind.detect(SampleImages.png.prefix(7)) == nil)
        #expect(ImageKind.detect(SampleImages.webp.prefix(15)) == nil)
    }

    @Test("only the bytes count, wherever the collection comes from")
    func anyCollection() {
        let padded = [0x00] + SampleImages.png
        #expect(ImageKind.detect(padded) == nil)
        #expect(ImageKind.detect(padded.dropFirst()) == .png)
    }
}
