import Foundation

/// Every limit and timing of the HTTP server, with defaults taken from nginx and SwiftNIO.
///
/// Each limit maps to one status code: request line → 414, one header field, the whole head or the
/// field count → 431, body → 413 (answered before the body is read). All of them close the connection.
public struct Configuration: Sendable {
    /// Address to bind: an IPv4 or IPv6 literal, `localhost`, `0.0.0.0` or `::`.
    public var host: String
    /// TCP port; `0` lets the kernel choose (tests).
    public var port: Int
    /// Longest accepted request line in bytes, CRLF excluded (→ 414).
    public var maxRequestLineLength: Int
    /// Longest accepted single header field line in bytes (→ 431).
    public var maxHeaderFieldLength: Int
    /// Longest accepted header block in bytes, request line included (→ 431).
    public var maxHeaderBlockLength: Int
    /// Most header fields accepted in one request (→ 431).
    public var maxHeaderCount: Int
    /// Largest accepted request body in bytes for ordinary routes such as forms (→ 413).
    public var maxBodyLength: Int
    /// Largest accepted request body for upload routes (→ 413).
    public var maxUploadBodyLength: Int
    /// Request paths starting with one of these prefixes are upload routes and get `maxUploadBodyLength`.
    public var uploadPathPrefixes: [String]
    /// Longest chunk extension (`;name=value` after a chunk size) in a chunked body (→ 400).
    public var maxChunkExtensionLength: Int
    /// Longest trailer section after the last chunk of a chunked body (→ 431).
    public var maxTrailerLength: Int
    /// Size of the per-connection read buffer.
    public var readBufferSize: Int
    /// Threads that run request handlers; the I/O path never runs a handler. Handlers block on SQLite and
    /// (for logins) on a password-hashing gate, so there are more threads than cores (default 4 per core,
    /// at least 8): a few threads waiting for password checks leave the others serving pages.
    public var workerCount: Int
    /// Text bodies shorter than this are sent uncompressed: gzip would not pay off.
    public var gzipMinimumLength: Int
    /// zlib compression level (1 fastest … 9 smallest) for dynamic responses.
    public var gzipLevel: Int32
    /// An idle keep-alive connection is closed after this many seconds.
    public var keepAliveIdleTimeout: TimeInterval
    /// The whole request head must arrive within this many seconds of its first byte (slowloris → 408).
    public var headDeadline: TimeInterval
    /// The whole body must arrive within this many seconds after the head (slow body → 408).
    public var bodyDeadline: TimeInterval
    /// A response must be taken by the client within this many seconds, or the connection is dropped.
    public var sendDeadline: TimeInterval
    /// Requests served on one connection; the last is answered with `Connection: close`.
    public var maxRequestsPerConnection: Int
    /// Open client connections at most; past it new connections get 503 and are closed, and past a
    /// further eighth of 503s accepting pauses until a connection closes (see docs/HTTP.md).
    public var maxConnections: Int
    /// On shutdown, requests in flight get this long to finish before the process gives up on them.
    public var shutdownGracePeriod: TimeInterval

    /// The default `gzipMinimumLength` (also for responses prepared once, `ReusableResponse`).
    public static let defaultGzipMinimumLength = 1024
    /// The default `gzipLevel`.
    public static let defaultGzipLevel: Int32 = 5

    /// Creates a configuration; every parameter has the documented default (see `docs/HTTP.md`).
    public init(
        host: String = "127.0.0.1",
        port: Int = 8080,
        maxRequestLineLength: Int = 8 * 1024,
        maxHeaderFieldLength: Int = 8 * 1024,
        maxHeaderBlockLength: Int = 32 * 1024,
        maxHeaderCount: Int = 100,
        maxBodyLength: Int = 1024 * 1024,
        maxUploadBodyLength: Int = 8 * 1024 * 1024,
        uploadPathPrefixes: [String] = [],
        maxChunkExtensionLength: Int = 256,
        maxTrailerLength: Int = 8 * 1024,
        readBufferSize: Int = 16 * 1024,
        workerCount: Int = max(8, ProcessInfo.processInfo.activeProcessorCount * 4),
        gzipMinimumLength: Int = Configuration.defaultGzipMinimumLength,
        gzipLevel: Int32 = Configuration.defaultGzipLevel,
        keepAliveIdleTimeout: TimeInterval = 60,
        headDeadline: TimeInterval = 10,
        bodyDeadline: TimeInterval = 30,
        sendDeadline: TimeInterval = 30,
        maxRequestsPerConnection: Int = 1000,
        maxConnections: Int = 4096,
        shutdownGracePeriod: TimeInterval = 8
    ) {
        self.host = host
        self.port = port
        self.maxRequestLineLength = maxRequestLineLength
        self.maxHeaderFieldLength = maxHeaderFieldLength
        self.maxHeaderBlockLength = maxHeaderBlockLength
        self.maxHeaderCount = maxHeaderCount
        self.maxBodyLength = maxBodyLength
        self.maxUploadBodyLength = maxUploadBodyLength
        self.uploadPathPrefixes = uploadPathPrefixes
        self.maxChunkExtensionLength = maxChunkExtensionLength
        self.maxTrailerLength = maxTrailerLength
        self.readBufferSize = readBufferSize
        self.workerCount = workerCount
        self.gzipMinimumLength = gzipMinimumLength
        self.gzipLevel = gzipLevel
        self.keepAliveIdleTimeout = keepAliveIdleTimeout
        self.headDeadline = headDeadline
        self.bodyDeadline = bodyDeadline
        self.sendDeadline = sendDeadline
        self.maxRequestsPerConnection = maxRequestsPerConnection
        self.maxConnections = maxConnections
        self.shutdownGracePeriod = shutdownGracePeriod
    }
}
