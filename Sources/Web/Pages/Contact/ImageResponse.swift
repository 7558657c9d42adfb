import HTTPServer
import HTTPTypes

/// Uploaded images, served with their recorded type (decided from the bytes at upload, never from the
/// sender's claim), `nosniff` and a long cache life (names are random and never reused, so an image at a
/// name never changes). Names are checked by `SiteRoute` (32 hex digits and our extension), so no path
/// can leave the uploads folder; a name without a stored image is a 404.
enum ImageResponse {
    static func respond(name: String, _ context: RequestContext) throws -> Outcome {
        guard let image = try context.app.images.load(name: name) else { throw HTTPError.notFound }
        var response = ServerResponse(status: .ok, body: image.bytes, isCompressible: false)
        response.headerFields[.contentType] = image.contentType
        // Also set by `SecurityHeaders` for every response; said here too because a browser that sniffed
        // an upload as HTML would run it on our origin.
        response.headerFields[.xContentTypeOptions] = "nosniff"
        response.headerFields[.cacheControl] = "public, max-age=31536000, immutable"
        response.headerFields[.contentDisposition] = "inline"
        return .response(response)
    }
}
