import HTTPTypes

/// A response produced by a handler. The server adds `Date`, `Content-Length`, `X-Request-Id`,
/// `Connection` and, where allowed, gzip encoding with `Vary: Accept-Encoding`.
public struct ServerResponse: Sendable {
    public var status: HTTPResponse.Status
    public var headerFields: HTTPFields
    public var body: [UInt8]
    /// Whether the server may gzip this body when the client accepts it. Handlers that already
    /// encoded the body (a precompressed file) set `Content-Encoding` themselves and leave this false.
    public var isCompressible: Bool

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
