import HTTPTypes

/// A response produced by a handler. The server adds `Date`, `Content-Length`, `X-Request-Id`,
/// `Connection` and, where allowed, gzip encoding with `Vary: Accept-Encoding`.
public struct ServerResponse: Sendable {
    /// The status code and reason phrase.
    public var status: HTTPResponse.Status {
        didSet { serializedHead = nil }
    }
    /// Fields set by the handler. `Content-Length`, `Connection`, `Date`, `Transfer-Encoding`,
    /// `Keep-Alive` and `X-Request-Id` belong to the server and are replaced.
    public var headerFields: HTTPFields {
        didSet { serializedHead = nil }
    }
    /// The complete body. For HEAD the server sends only its length.
    public var body: [UInt8] {
        didSet { serializedHead = nil }
    }
    /// Whether the server may gzip this body when the client accepts it. Handlers that already
    /// encoded the body (a precompressed file) set `Content-Encoding` themselves and leave this false.
    public var isCompressible: Bool {
        didSet { serializedHead = nil }
    }
    /// The head of this response as the server sends it, serialised once (``ReusableResponse``); any
    /// change to the response drops it, so it can never disagree with the fields and body.
    public internal(set) var serializedHead: SerializedHead?

    /// Whether this response is sent with a head serialised once (a kept page or file): its fields are
    /// final, including everything an application adds to every response.
    public var hasSerializedHead: Bool { serializedHead != nil }

    /// Creates a response; without a `Content-Type` a non-empty body is sent as `application/octet-stream`.
    public init(
        status: HTTPResponse.Status = .ok,
        headerFields: HTTPFields = [:],
        body: [UInt8] = [],
        isCompressible: Bool = true
    ) {
        self.status = status
        self.headerFields = headerFields
        self.body = body
        self.isCompressible = isCompressible
    }

    /// A response with a UTF-8 text body of the given media type (`text/html`, `text/plain`, …).
    public static func text(
        _ text: String, status: HTTPResponse.Status = .ok, contentType: String = "text/plain"
    ) -> ServerResponse {
        var fields = HTTPFields()
        fields[.contentType] = "\(contentType); charset=utf-8"
        return ServerResponse(status: status, headerFields: fields, body: Array(text.utf8))
    }
}
