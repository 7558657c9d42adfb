import HTTPTypes

/// The chunked transfer coding of request bodies (RFC 9112 §7.1):
///
/// ```
/// chunked-body = *chunk last-chunk trailer-section CRLF
/// chunk        = chunk-size [ chunk-ext ] CRLF chunk-data CRLF
/// last-chunk   = 1*("0") [ chunk-ext ] CRLF
/// ```
///
/// Chunk sizes have at most 16 hex digits and must fit in `Int` (400); a chunk-size line may carry at
/// most `maxChunkExtensionLength` bytes after the size, which must be well-formed extensions (400);
/// the decoded body may not exceed the route's body limit, checked on every chunk-size line before
/// the chunk's data is read (413); the trailer section may not exceed `maxTrailerLength` (431). Trailer
/// fields are validated like header fields and then dropped: they never reach the request.
extension RequestParser {
    /// What one step of the chunked decoder achieved.
    enum ChunkedStep {
        /// A line or a slice of data was consumed; the phase may have changed.
        case progress
        /// The buffered bytes are used up (or `phase` is `.failed`).
        case needMoreData
        /// The trailer section ended: the body is complete.
        case complete
    }

    /// The longest chunk size, in hex digits (leading zeros included): 16 digits are 64 bits.
    static let maxChunkSizeDigits = 16

    /// Performs one step in one of the chunked phases.
    mutating func nextChunkedStep() -> ChunkedStep {
        switch phase {
        case .chunkSize:
            let lineLimit = Self.maxChunkSizeDigits + limits.maxChunkExtensionLength
            guard let line = nextLine(limit: lineLimit, tooLong: ParseError(.badRequest, "chunk-size line too long"))
            else { return .needMoreData }
            switch parseChunkSizeLine(line) {
            case .failure(let error):
                _ = fail(error)
                return .needMoreData
            case .success(let size):
                if size > bodyLimit - body.count {
                    _ = fail(ParseError(.contentTooLarge, "chunked body exceeds \(bodyLimit) bytes"))
                    return .needMoreData
                }
                phase = size == 0 ? .trailers : .chunkData(remaining: size)
                return .progress
            }
        case .chunkData(let remaining):
            let available = min(remaining, buffer.count - start)
            if available == 0 { return .needMoreData }
            body.append(contentsOf: buffer[start..<(start + available)])
            start += available
            scanned = start
            phase = remaining == available ? .chunkDataEnd : .chunkData(remaining: remaining - available)
            return .progress
        case .chunkDataEnd:
            // Exactly CRLF; anything else (a bare LF included) means the chunk size lied.
            let available = buffer.count - start
            if available >= 1, buffer[start] != HTTPSyntax.cr || (available >= 2 && buffer[start + 1] != HTTPSyntax.lf)
            {
                _ = fail(ParseError(.badRequest, "chunk data not followed by CRLF"))
                return .needMoreData
            }
            guard available >= 2 else { return .needMoreData }
            start += 2
            scanned = start
            phase = .chunkSize
            return .progress
        case .trailers:
            // Each line must fit into what is left of the trailer budget; the final empty line is free.
            let budget = max(0, limits.maxTrailerLength - trailerLength - 2)
            let tooLong = ParseError(
                .requestHeaderFieldsTooLarge, "trailer section longer than \(limits.maxTrailerLength) bytes")
            guard let line = nextLine(limit: budget, tooLong: tooLong) else { return .needMoreData }
            if line.isEmpty { return .complete }
            trailerLength += line.count + 2
            if case .failure(let error) = HTTPSyntax.parseFieldLine(line) {
                _ = fail(error)
                return .needMoreData
            }
            return .progress
        case .requestLine, .headerFields, .body, .failed:
            return .needMoreData
        }
    }

    /// `chunk-size [ chunk-ext ]` without the CRLF: the size, or a 400.
    func parseChunkSizeLine(_ line: ArraySlice<UInt8>) -> Result<Int, ParseError> {
        var index = line.startIndex
        var size = 0
        while index < line.endIndex, let digit = HTTPSyntax.hexValue(line[index]) {
            if index - line.startIndex == Self.maxChunkSizeDigits {
                return .failure(ParseError(.badRequest, "chunk size has too many digits"))
            }
            let (shifted, overflow) = size.multipliedReportingOverflow(by: 16)
            if overflow { return .failure(ParseError(.badRequest, "chunk size overflows")) }
            size = shifted | Int(digit)
            index += 1
        }
        guard index > line.startIndex else { return .failure(ParseError(.badRequest, "missing chunk size")) }
        let extensions = line[index...]
        if extensions.count > limits.maxChunkExtensionLength {
            return .failure(ParseError(.badRequest, "chunk extension too long"))
        }
        guard HTTPSyntax.isValidChunkExtension(extensions) else {
            return .failure(ParseError(.badRequest, "malformed chunk extension"))
        }
        return .success(size)
    }
}
