import HTTPTypes

/// The status line and header fields of a response in wire form, made once by ``ReusableResponse``:
/// every field the server's rules give the response (`Content-Length`, `Vary`, `Content-Encoding`)
/// except the three that differ per request, `Date`, `X-Request-Id` and `Connection`, which
/// `ResponseEncoder.serializeHead` appends.
public struct SerializedHead: Sendable {
    /// `HTTP/1.1 200 OK\r\n` and one `Name: value\r\n` line per field; no empty line.
    let bytes: [UInt8]
    /// Bytes of the representation (a HEAD request gets this length and no body).
    let contentLength: Int
}

/// A response the server sends many times unchanged (a kept listing page, a file held in memory, the
/// health answer), prepared once in each form the server's rules allow: as it is and, when the rules
/// would compress it for a client that accepts gzip, gzip-encoded. Each form carries its head in wire
/// form, so answering a request with it costs the choice of form and copying bytes: no field is
/// validated, compressed or formatted again.
public struct ReusableResponse: Sendable {
    /// The identity form (also what clients without gzip get).
    public let plain: ServerResponse
    /// The gzip form, when the response may be compressed and compression makes it smaller.
    public let gzipped: ServerResponse?

    /// Prepares `response` as the server would for a GET (`Content-Length`, `Vary: Accept-Encoding`,
    /// gzip at `gzipLevel` for bodies of at least `gzipMinimumLength` bytes). A response that already
    /// has a serialised head is taken as it is.
    public init(
        _ response: ServerResponse, gzipLevel: Int32 = Configuration.defaultGzipLevel,
        gzipMinimumLength: Int = Configuration.defaultGzipMinimumLength
    ) {
        if response.serializedHead != nil {
            plain = response
            gzipped = nil
            return
        }
        let rules = ResponseEncoder.Rules(gzipLevel: gzipLevel, gzipMinimumLength: gzipMinimumLength)
        plain = Self.finished(ResponseEncoder.applyRules(response, isHead: false, acceptsGzip: false, rules: rules))
        let compressed = ResponseEncoder.applyRules(response, isHead: false, acceptsGzip: true, rules: rules)
        gzipped = compressed.headerFields[.contentEncoding] != nil ? Self.finished(compressed) : nil
    }

    /// The form for this request: gzip when the client accepts it and there is such a form.
    public func response(for request: ServerRequest) -> ServerResponse {
        if let gzipped, Gzip.acceptsGzip(request.head.headerFields[values: .acceptEncoding]) { return gzipped }
        return plain
    }

    /// Body bytes of both forms (for caches that bound their size).
    public var byteCount: Int { plain.body.count + (gzipped?.body.count ?? 0) }

    private static func finished(_ prepared: PreparedResponse) -> ServerResponse {
        var head: [UInt8] = []
        head.reserveCapacity(64 + prepared.headerFields.count * 48)
        ResponseEncoder.appendStatusLine(prepared.status, to: &head)
        ResponseEncoder.appendFields(prepared.headerFields, to: &head)
        var response = ServerResponse(
            status: prepared.status, headerFields: prepared.headerFields, body: prepared.body, isCompressible: false)
        response.serializedHead = SerializedHead(bytes: head, contentLength: prepared.contentLength)
        return response
    }
}
