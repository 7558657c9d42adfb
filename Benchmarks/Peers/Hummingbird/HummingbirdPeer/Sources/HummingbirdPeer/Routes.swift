import HTTPTypes
import Hummingbird

/// A page of the peer: registers its routes. Adding a page is one file with a type conforming to this, plus
/// its name in `PeerRoutes.pages`.
protocol PeerPage {
    static func register(on router: Router<BasicRequestContext>, site: Site)
}

enum PeerRoutes {
    static var pages: [any PeerPage.Type] { [ListingsPage.self, ListingDetailPage.self, SearchPage.self] }

    static func build(site: Site) -> Router<BasicRequestContext> {
        let router = Router()
        router.add(middleware: SecurityHeadersMiddleware())
        // Scenario 1, "a tiny fixed response"; the main server answers the same route.
        router.get("/healthz") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/plain; charset=utf-8", .cacheControl: "no-store"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: "ok")))
        }
        for page in pages { page.register(on: router, site: site) }
        return router
    }
}

/// The headers the main server sends with every response (its `SecurityHeaders`), so both send the same bytes.
enum SecurityHeaders {
    static let fields: HTTPFields = [
        .contentSecurityPolicy:
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; "
            + "base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
        .xContentTypeOptions: "nosniff",
        HTTPField.Name("Referrer-Policy")!: "strict-origin-when-cross-origin",
        HTTPField.Name("Permissions-Policy")!: "camera=(), microphone=(), geolocation=(), interest-cohort=()",
        HTTPField.Name("X-Frame-Options")!: "DENY",
    ]
}

struct SecurityHeadersMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        var response = try await next(request, context)
        response.headers.append(contentsOf: SecurityHeaders.fields)
        return response
    }
}
