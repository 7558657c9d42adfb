import HTTPTypes

/// A complete, parsed request as application code sees it: the head, the whole body and who sent it.
///
/// A request reaches a handler only after the parser accepted all of it under the configured limits.
public struct ServerRequest: Sendable {
    /// Method, target (`path` includes the query), authority and header fields.
    public var head: HTTPRequest
    /// The request body; empty when the request had none.
    public var body: [UInt8]
    /// The peer's address as text (`127.0.0.1`, `::1`), from the socket.
    public var remoteAddress: String
    /// A short random id, logged with every line about this request and sent back as `X-Request-Id`.
    public var id: String

    /// Creates a request; the server fills in the peer address and a fresh id, tests may leave defaults.
    public init(head: HTTPRequest, body: [UInt8] = [], remoteAddress: String = "127.0.0.1", id: String = "test") {
        self.head = head
        self.body = body
        self.remoteAddress = remoteAddress
        self.id = id
    }

    /// The path part of the request target, without the query (still percent-encoded).
    public var path: Substring {
        let target = head.path ?? "/"
        // On bytes: a `Character` search walks grapheme clusters, and this runs several times a request.
        if let question = target.utf8.firstIndex(of: UInt8(ascii: "?")) { return target[..<question] }
        return target[...]
    }

    /// The query part of the request target after `?`, or an empty string (still percent-encoded).
    public var query: Substring {
        let target = head.path ?? "/"
        if let question = target.utf8.firstIndex(of: UInt8(ascii: "?")) {
            return target[target.utf8.index(after: question)...]
        }
        return ""
    }
}
