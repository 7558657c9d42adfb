import CZlib

/// gzip through the system zlib, and the rules for when to use it.
enum Gzip {
    /// Compresses `bytes` into a gzip member (RFC 1952). Returns nil if zlib fails.
    static func compress(_ bytes: [UInt8], level: Int32) -> [UInt8]? {
        var stream = z_stream()
        // windowBits 15 + 16 selects the gzip wrapper instead of the zlib one.
        let initResult = deflateInit2_(
            &stream, max(1, min(9, level)), Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY,
            zlibVersion(), Int32(MemoryLayout<z_stream>.size)
        )
        guard initResult == Z_OK else { return nil }
        defer { deflateEnd(&stream) }

        let bound = Int(deflateBound(&stream, uLong(bytes.count))) + 32
        var output = [UInt8](repeating: 0, count: bound)
        var produced = 0
        let result: Int32 = bytes.withUnsafeBufferPointer { input in
            output.withUnsafeMutableBufferPointer { out in
                stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress)
                stream.avail_in = uInt(input.count)
                stream.next_out = out.baseAddress
                stream.avail_out = uInt(out.count)
                let status = deflate(&stream, Z_FINISH)
                produced = out.count - Int(stream.avail_out)
                return status
            }
        }
        guard result == Z_STREAM_END else { return nil }
        output.removeSubrange(produced...)
        return output
    }

    /// Whether a client's `Accept-Encoding` values allow gzip (RFC 9110 §12.5.3).
    ///
    /// An explicit `gzip` (or `x-gzip`) entry decides by its q-value; otherwise `*` decides; without
    /// either, gzip is not acceptable. A missing header means "no preference", which we read as "no
    /// gzip" like every mainstream server. Tokens and parameter names are case-insensitive; a q-value
    /// that does not parse makes its entry unacceptable.
    static func acceptsGzip(_ values: [String]) -> Bool {
        var gzipQuality: Double?
        var wildcardQuality: Double?
        for value in values {
            for entry in value.split(separator: ",") {
                let parts = entry.split(separator: ";")
                guard let first = parts.first else { continue }
                let coding = first.trimmingWhitespace().lowercased()
                var quality = 1.0
                for parameter in parts.dropFirst() {
                    let pair = parameter.split(separator: "=", maxSplits: 1)
                    guard pair.count == 2, pair[0].trimmingWhitespace().lowercased() == "q" else { continue }
                    quality = parseQuality(pair[1].trimmingWhitespace()) ?? 0
                }
                switch coding {
                case "gzip", "x-gzip": gzipQuality = max(gzipQuality ?? 0, quality)
                case "*": wildcardQuality = max(wildcardQuality ?? 0, quality)
                default: break
                }
            }
        }
        if let gzipQuality { return gzipQuality > 0 }
        if let wildcardQuality { return wildcardQuality > 0 }
        return false
    }

    /// qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] )
    static func parseQuality(_ text: Substring) -> Double? {
        let bytes = Array(text.utf8)
        guard let first = bytes.first, first == UInt8(ascii: "0") || first == UInt8(ascii: "1") else { return nil }
        if bytes.count == 1 { return Double(first - 48) }
        guard bytes[1] == UInt8(ascii: "."), bytes.count <= 5, bytes[2...].allSatisfy(HTTPSyntax.isDigit) else {
            return nil
        }
        if first == UInt8(ascii: "1") { return bytes[2...].allSatisfy { $0 == UInt8(ascii: "0") } ? 1 : nil }
        return Double(String(decoding: bytes, as: UTF8.self))
    }

    /// Whether a media type is text-like and worth compressing (images other than SVG, fonts in
    /// woff2 and archives are compressed already).
    static func isCompressible(contentType: String) -> Bool {
        let mediaType = contentType.split(separator: ";", maxSplits: 1).first.map { $0.trimmingWhitespace() } ?? ""
        let lower = mediaType.lowercased()
        if lower.hasPrefix("text/") { return true }
        if lower.hasSuffix("+json") || lower.hasSuffix("+xml") { return true }
        switch lower {
        case "application/json", "application/javascript", "application/xml", "application/x-javascript",
            "application/ecmascript", "application/wasm", "image/svg+xml", "image/x-icon",
            "application/vnd.ms-fontobject", "font/ttf", "font/otf":
            return true
        default:
            return false
        }
    }
}
