import Foundation
import HTTPTypes

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Serves the files of one directory (the app mounts it under `/static/`) with validators, caching
/// headers and gzip.
///
/// - Paths are percent-decoded exactly once and may never leave the root: `.` and `..` segments,
///   encoded slashes (`%2F`, `%5C`), backslashes, NUL and other control characters and invalid
///   percent escapes answer 400; hidden names (a segment starting with `.`), directories and missing
///   files answer nil, so the app can render its own 404. The resolved path (symlinks followed) must
///   still lie inside the root.
/// - `ETag` (strong, from size and modification time), `Last-Modified`, 304 for a matching
///   `If-None-Match` (a list or `*`, weak comparison) or, only without `If-None-Match`, for
///   `If-Modified-Since`.
/// - `Cache-Control: public, max-age=31536000, immutable` for fingerprinted names such as
///   `site.3f9a1c2b.css` (a dot and at least 8 hex digits before the extension), otherwise
///   `public, max-age=3600`.
/// - Text-like files go out gzip-encoded when the client accepts gzip: from a precompressed
///   `name.gz` sibling when there is one, otherwise compressed once and kept in memory. Either way
///   with `Vary: Accept-Encoding` and an ETag of their own.
/// - File contents up to 1 MiB are cached in memory. Every request checks the file's size,
///   modification time and inode with one `stat`, so a changed file is served fresh.
/// - A requested path is resolved (`realpath`, a `readlink` per segment) once and remembered while the
///   file it led to exists and is unchanged; the answers of a file version (200 and 304, plain and gzip,
///   with each set of common fields) are made once, heads in wire form (``ReusableResponse``).
public struct StaticFiles: Sendable {
    /// The directory being served.
    public let root: String
    /// Field sets the caller may add to every 200 and 304 answer (security headers), chosen per request
    /// by index; an answer that carries them is final (`hasSerializedHead`).
    public let commonFields: [HTTPFields]
    private let cache = StaticFileCache()

    /// Files at most this large are kept in memory.
    static let cacheableSize = 1024 * 1024
    /// Smaller text files are not worth compressing.
    static let gzipMinimumLength = 1024

    /// Serves the files below `root`, e.g. `<root>/Public`.
    public init(root: String, commonFields: [HTTPFields] = [HTTPFields()]) {
        self.root = root
        self.commonFields = commonFields.isEmpty ? [HTTPFields()] : commonFields
    }

    /// The response for `relativePath` (the request path after the mount prefix, still
    /// percent-encoded, e.g. `css/site.css`; leading slashes are ignored): 200 with the file, 304 when
    /// the client's copy is current, 405 for methods other than GET and HEAD, 400 for malformed or
    /// hostile paths, and nil when there is no such file (the caller renders its 404).
    ///
    /// `commonFieldSet` picks one of ``commonFields`` for 200 and 304 answers.
    public func response(
        forPath relativePath: Substring, request: ServerRequest, commonFieldSet: Int = 0
    ) -> ServerResponse? {
        let segments: [String]
        switch Self.decodeSegments(relativePath) {
        case .badRequest:
            return Self.plainResponse(.badRequest)
        case .notFound:
            return nil
        case .segments(let decoded):
            segments = decoded
        }
        guard let rootPath = cache.resolvedRoot(root) else { return nil }
        let requested = rootPath + "/" + segments.joined(separator: "/")
        guard let (file, entry) = cache.current(requested, under: rootPath) else { return nil }
        let method = request.head.method
        guard method == .get || method == .head else {
            var fields = HTTPFields()
            fields[.allow] = "GET, HEAD"
            return ServerResponse(status: .methodNotAllowed, headerFields: fields, body: [], isCompressible: false)
        }

        let name = segments.last ?? ""
        let compressible =
            Gzip.isCompressible(contentType: Self.contentType(forName: name))
            && !name.lowercased().hasSuffix(".gz")
        var form = StaticFileCache.Form.plain
        var eTag = entry.eTag
        if compressible, Gzip.acceptsGzip(request.head.headerFields[values: .acceptEncoding]) {
            if let sibling = cache.gzipSibling(of: requested, entry: entry, under: rootPath) {
                form = .sibling(sibling)
                eTag = Self.variantTag(sibling.eTag)
            } else if entry.bytes.count >= Self.gzipMinimumLength, let gzipped = cache.gzipped(file, entry) {
                form = .compressed(gzipped)
                eTag = Self.variantTag(entry.eTag)
            }
        }
        let notModified = Self.isNotModified(
            request.head.headerFields, eTag: eTag, modifiedSeconds: entry.modifiedSeconds)
        let fieldSet = commonFieldSet >= 0 && commonFieldSet < commonFields.count ? commonFieldSet : 0
        let key = StaticFileCache.AnswerKey(
            eTag: eTag, form: form.kind, notModified: notModified, fieldSet: fieldSet)
        return cache.answer(file: file, entry: entry, key: key) {
            makeAnswer(
                name: name, entry: entry, form: form, eTag: eTag, compressible: compressible, notModified: notModified,
                commonFields: commonFields[fieldSet])
        }
    }

    /// One answer of a file version, made once (see ``response(forPath:request:commonFieldSet:)``).
    private func makeAnswer(
        name: String, entry: StaticFileEntry, form: StaticFileCache.Form, eTag: String, compressible: Bool,
        notModified: Bool, commonFields: HTTPFields
    ) -> ServerResponse {
        var fields = HTTPFields()
        fields[.eTag] = eTag
        fields[.lastModified] = HTTPDate.format(epochSeconds: entry.modifiedSeconds)
        fields[.cacheControl] =
            Self.isFingerprinted(name) ? "public, max-age=31536000, immutable" : "public, max-age=3600"
        if compressible { fields[.vary] = "Accept-Encoding" }
        var status = HTTPResponse.Status.notModified
        var body: [UInt8] = []
        if !notModified {
            status = .ok
            fields[.contentType] = Self.contentType(forName: name)
            switch form {
            case .plain: body = entry.bytes
            case .sibling(let sibling): body = sibling.bytes
            case .compressed(let bytes): body = bytes
            }
            if form.kind != .plain { fields[.contentEncoding] = "gzip" }
            fields[.xContentTypeOptions] = "nosniff"
        }
        for field in commonFields {
            fields[field.name] = field.value
        }
        return ReusableResponse(ServerResponse(status: status, headerFields: fields, body: body, isCompressible: false))
            .plain
    }

    // MARK: - Paths

    enum DecodedPath: Equatable {
        case segments([String])
        case badRequest
        case notFound
    }

    /// Splits on `/`, percent-decodes each segment once and applies the safety rules (see the type).
    static func decodeSegments(_ raw: Substring) -> DecodedPath {
        var path = raw
        while path.first == "/" { path = path.dropFirst() }
        for byte in path.utf8 where byte < 0x20 || byte == 0x7F || byte == UInt8(ascii: "\\") {
            return .badRequest
        }
        var segments: [String] = []
        var hidden = false
        var empty = path.isEmpty
        for rawSegment in path.split(separator: "/", omittingEmptySubsequences: false) {
            if rawSegment.isEmpty {
                empty = true
                continue
            }
            guard let bytes = percentDecode(rawSegment) else { return .badRequest }
            for byte in bytes
            where byte < 0x20 || byte == 0x7F || byte == UInt8(ascii: "/") || byte == UInt8(ascii: "\\") {
                return .badRequest
            }
            guard let segment = String(validating: bytes, as: UTF8.self) else { return .badRequest }
            if segment == "." || segment == ".." { return .badRequest }
            if segment.hasPrefix(".") { hidden = true }
            segments.append(segment)
        }
        if hidden || empty { return .notFound }
        return .segments(segments)
    }

    /// Decodes `%XX` escapes once; nil for a malformed escape.
    static func percentDecode(_ text: Substring) -> [UInt8]? {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        var iterator = text.utf8.makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else {
                out.append(byte)
                continue
            }
            guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else {
                return nil
            }
            out.append(high << 4 | low)
        }
        return out
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    /// The real path of a regular file that lies inside `rootPath`, or nil.
    static func resolveFile(_ path: String, under rootPath: String) -> String? {
        guard let resolved = realPath(path), resolved.hasPrefix(rootPath + "/") else { return nil }
        var info = stat()
        guard stat(resolved, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        return resolved
    }

    static func realPath(_ path: String) -> String? {
        guard let pointer = realpath(path, nil) else { return nil }
        defer { free(pointer) }
        return String(cString: pointer)
    }

    // MARK: - Headers

    /// Whether the last name has a content fingerprint: `.` + at least 8 hex digits before the extension.
    static func isFingerprinted(_ name: String) -> Bool {
        guard let extensionDot = name.lastIndex(of: ".") else { return false }
        let stem = name[..<extensionDot]
        guard let fingerprintDot = stem.lastIndex(of: ".") else { return false }
        let fingerprint = stem[stem.index(after: fingerprintDot)...]
        return fingerprint.count >= 8 && fingerprint.allSatisfy(\.isHexDigit)
    }

    /// Media types by file extension; `application/octet-stream` for unknown ones.
    static func contentType(forName name: String) -> String {
        let fileExtension = name.lastIndex(of: ".").map { name[name.index(after: $0)...].lowercased() } ?? ""
        switch fileExtension {
        case "css": return "text/css; charset=utf-8"
        case "js", "mjs": return "text/javascript; charset=utf-8"
        case "html", "htm": return "text/html; charset=utf-8"
        case "txt": return "text/plain; charset=utf-8"
        case "csv": return "text/csv; charset=utf-8"
        case "ics": return "text/calendar; charset=utf-8"
        case "json", "map": return "application/json"
        case "webmanifest": return "application/manifest+json"
        case "xml": return "application/xml"
        case "svg": return "image/svg+xml"
        case "png": return "image/png"
        case "jpg", "jpeg": return "image/jpeg"
        case "gif": return "image/gif"
        case "webp": return "image/webp"
        case "avif": return "image/avif"
        case "ico": return "image/x-icon"
        case "woff2": return "font/woff2"
        case "woff": return "font/woff"
        case "ttf": return "font/ttf"
        case "otf": return "font/otf"
        case "pdf": return "application/pdf"
        case "gz": return "application/gzip"
        case "zip": return "application/zip"
        case "wasm": return "application/wasm"
        case "mp4": return "video/mp4"
        case "webm": return "video/webm"
        case "mp3": return "audio/mpeg"
        default: return "application/octet-stream"
        }
    }

    private static func variantTag(_ eTag: String) -> String {
        String(eTag.dropLast()) + "-gz\""
    }

    /// RFC 9110 §13.1.2 and §13.1.3: `If-None-Match` (weak comparison, `*`), else `If-Modified-Since`.
    static func isNotModified(_ fields: HTTPFields, eTag: String, modifiedSeconds: Int) -> Bool {
        let noneMatch = fields[values: .ifNoneMatch]
        if !noneMatch.isEmpty {
            let opaque = eTag.hasPrefix("W/") ? String(eTag.dropFirst(2)) : eTag
            for value in noneMatch {
                for item in value.split(separator: ",") {
                    let candidate = item.trimmingWhitespace()
                    if candidate == "*" { return true }
                    let candidateOpaque = candidate.hasPrefix("W/") ? candidate.dropFirst(2) : candidate
                    if candidateOpaque == opaque { return true }
                }
            }
            return false
        }
        if let since = fields[.ifModifiedSince], let sinceSeconds = HTTPDate.parse(since) {
            return modifiedSeconds <= sinceSeconds
        }
        return false
    }

    static func plainResponse(_ status: HTTPResponse.Status) -> ServerResponse {
        .text("\(status.code) \(status.reasonPhrase)\n", status: status)
    }
}

/// A file's bytes and validators as last read from disk.
struct StaticFileEntry: Sendable {
    var size: Int
    var modifiedSeconds: Int
    var modifiedNanoseconds: Int
    var inode: UInt64
    var bytes: [UInt8]
    var eTag: String

    func isCurrent(_ info: stat) -> Bool {
        let (seconds, nanoseconds) = StaticFileCache.modificationTime(info)
        return size == Int(info.st_size) && modifiedSeconds == seconds && modifiedNanoseconds == nanoseconds
            && inode == UInt64(info.st_ino)
    }
}

/// In-memory cache of small static files and their gzip variants, validated by `stat` on each use.
///
/// `@unchecked Sendable`: `lock` guards all three dictionaries and the root; file reads and
/// compression happen outside it.
final class StaticFileCache: @unchecked Sendable {
    private let lock = NSLock()
    private var entries: [String: StaticFileEntry] = [:]
    private var gzipVariants: [String: (eTag: String, bytes: [UInt8]?)] = [:]
    private var root: (configured: String, resolved: String)?
    /// Requested path → the real path it resolved to (only paths that led to a readable file).
    private var resolvedPaths: [String: String] = [:]
    /// Requested path → its resolved `.gz` sibling, or nil for none, judged for one version of the file.
    private var siblings: [String: (fileETag: String, sibling: String?)] = [:]
    /// Real path → the answers made for its current version.
    private var answers: [String: (fileETag: String, byKey: [AnswerKey: ServerResponse])] = [:]

    /// Remembered paths at most (each one is a file that exists under the root; past this, start afresh).
    static let maximumRememberedPaths = 4096
    /// Answers kept per file version at most (forms × 200/304 × field sets; a changing sibling adds more).
    static let maximumAnswersPerFile = 32

    /// Which bytes a file's answer carries.
    enum Form {
        case plain
        /// The precompressed `name.gz` next to the file.
        case sibling(StaticFileEntry)
        /// Compressed here, once per version.
        case compressed([UInt8])

        enum Kind: Hashable {
            case plain, sibling, compressed
        }

        var kind: Kind {
            switch self {
            case .plain: .plain
            case .sibling: .sibling
            case .compressed: .compressed
            }
        }
    }

    /// What distinguishes the answers of one file version.
    struct AnswerKey: Hashable {
        var eTag: String
        var form: Form.Kind
        var notModified: Bool
        var fieldSet: Int
    }

    /// The real path and current contents behind `requested`, resolving the path only the first time.
    func current(_ requested: String, under rootPath: String) -> (file: String, entry: StaticFileEntry)? {
        lock.lock()
        let known = resolvedPaths[requested]
        lock.unlock()
        if let known {
            if let entry = entry(for: known) { return (known, entry) }
            lock.lock()
            resolvedPaths[requested] = nil
            lock.unlock()
        }
        guard let file = StaticFiles.resolveFile(requested, under: rootPath), let entry = entry(for: file) else {
            return nil
        }
        lock.lock()
        if resolvedPaths.count >= Self.maximumRememberedPaths { resolvedPaths.removeAll() }
        resolvedPaths[requested] = file
        lock.unlock()
        return (file, entry)
    }

    /// The current `.gz` sibling of `requested`, looked for once per version of the file itself.
    func gzipSibling(of requested: String, entry: StaticFileEntry, under rootPath: String) -> StaticFileEntry? {
        lock.lock()
        let known = siblings[requested]
        lock.unlock()
        let path: String?
        if let known, known.fileETag == entry.eTag {
            path = known.sibling
        } else {
            path = StaticFiles.resolveFile(requested + ".gz", under: rootPath)
            lock.lock()
            if siblings.count >= Self.maximumRememberedPaths { siblings.removeAll() }
            siblings[requested] = (entry.eTag, path)
            lock.unlock()
        }
        guard let path else { return nil }
        if let sibling = self.entry(for: path) { return sibling }
        lock.lock()
        siblings[requested] = nil
        lock.unlock()
        return nil
    }

    /// The answer for `key` of this file version, made by `make` the first time.
    func answer(file: String, entry: StaticFileEntry, key: AnswerKey, make: () -> ServerResponse) -> ServerResponse {
        guard entry.size <= StaticFiles.cacheableSize else { return make() }
        lock.lock()
        if let kept = answers[file], kept.fileETag == entry.eTag, let answer = kept.byKey[key] {
            lock.unlock()
            return answer
        }
        lock.unlock()
        let answer = make()
        lock.lock()
        var kept = answers[file] ?? (entry.eTag, [:])
        if kept.fileETag != entry.eTag || kept.byKey.count >= Self.maximumAnswersPerFile {
            kept = (entry.eTag, [:])
        }
        kept.byKey[key] = answer
        if answers.count >= Self.maximumRememberedPaths, answers[file] == nil { answers.removeAll() }
        answers[file] = kept
        lock.unlock()
        return answer
    }

    func resolvedRoot(_ configured: String) -> String? {
        lock.lock()
        if let root, root.configured == configured {
            lock.unlock()
            return root.resolved
        }
        lock.unlock()
        guard let resolved = StaticFiles.realPath(configured) else { return nil }
        lock.lock()
        root = (configured, resolved)
        lock.unlock()
        return resolved
    }

    static func modificationTime(_ info: stat) -> (Int, Int) {
        #if canImport(Darwin)
            return (Int(info.st_mtimespec.tv_sec), Int(info.st_mtimespec.tv_nsec))
        #else
            return (Int(info.st_mtim.tv_sec), Int(info.st_mtim.tv_nsec))
        #endif
    }

    /// The current contents of a regular file, from memory when unchanged on disk.
    func entry(for path: String) -> StaticFileEntry? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        lock.lock()
        let cached = entries[path]
        lock.unlock()
        if let cached, cached.isCurrent(info) { return cached }

        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        let (seconds, nanoseconds) = Self.modificationTime(info)
        let size = data.count
        let modifiedNanos = UInt64(max(0, seconds)) &* 1_000_000_000 &+ UInt64(max(0, nanoseconds))
        let entry = StaticFileEntry(
            size: size, modifiedSeconds: seconds, modifiedNanoseconds: nanoseconds, inode: UInt64(info.st_ino),
            bytes: [UInt8](data),
            eTag: "\"\(String(size, radix: 16))-\(String(modifiedNanos, radix: 16))\""
        )
        // A file that changed while being read gets a fresh look next time.
        var after = stat()
        if size <= StaticFiles.cacheableSize, stat(path, &after) == 0, entry.isCurrent(after) {
            lock.lock()
            entries[path] = entry
            lock.unlock()
        }
        return entry
    }

    /// The gzip form of an entry, computed once per file version; nil when it would not be smaller.
    func gzipped(_ path: String, _ entry: StaticFileEntry) -> [UInt8]? {
        lock.lock()
        let cached = gzipVariants[path]
        lock.unlock()
        if let cached, cached.eTag == entry.eTag { return cached.bytes }
        var compressed = Gzip.compress(entry.bytes, level: 9)
        if let result = compressed, result.count >= entry.bytes.count { compressed = nil }
        if entry.size <= StaticFiles.cacheableSize {
            lock.lock()
            gzipVariants[path] = (entry.eTag, compressed)
            lock.unlock()
        }
        return compressed
    }
}
