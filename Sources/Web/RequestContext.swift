import Foundation
import HTTPServer
import HTTPTypes
import Storage

/// What a page handler gets: the request, its route and query, the time, the visitor, the sent form,
/// and the application's parts.
struct RequestContext {
    let app: Application
    let request: ServerRequest
    let route: SiteRoute
    /// The page's language (from the path prefix).
    let language: Language
    let query: QueryString
    let now: Date
    /// Who is asking (logged in or anonymous).
    let visitor: Visitor
    /// The client's address (the socket's peer, or from a trusted proxy's `X-Forwarded-For`).
    let clientAddress: String
    /// The form of a POST request, already checked for CSRF; empty for GET.
    let form: FormData
    /// Cookies and headers the handler adds to the response.
    let extras: ResponseExtras

    var strings: Localization { app.pack(language).strings }
    /// Municipalities and topics, topic names in the page's language.
    var catalog: Catalog { app.catalog(language) }
    var dates: DateText { app.pack(language).dates }
    var user: SessionUser? { visitor.user }
    var isPost: Bool { request.head.method == .post }

    /// The `seite=` parameter: absent or empty means 1; anything but a positive number is a 404, like a page
    /// past the end.
    func pageNumber() throws -> Int {
        guard let text = query.first("seite"), !text.isEmpty else { return 1 }
        guard let number = Int(text), number >= 1, number <= 100_000 else { throw HTTPError.notFound }
        return number
    }

    /// The logged-in person, or a redirect to the login page (and back here afterwards).
    func requireUser() throws -> SessionUser {
        guard let user else { throw LoginRequired() }
        return user
    }

    /// County staff (or an admin); residents get 403.
    func requireStaff() throws -> SessionUser {
        let user = try requireUser()
        guard user.role == .staff || user.role == .admin else { throw HTTPError.forbidden }
        return user
    }

    /// An admin; staff and residents get 403.
    func requireAdmin() throws -> SessionUser {
        let user = try requireUser()
        guard user.role == .admin else { throw HTTPError.forbidden }
        return user
    }

    /// The token every form of this visitor carries. An anonymous visitor without one gets a new
    /// `__Host-csrf` cookie with this response.
    var csrfToken: String {
        extras.carriesFormToken = true
        if let session = visitor.session { return session.csrfToken }
        if let token = visitor.anonymousToken ?? extras.issuedAnonymousToken { return token }
        let token = SecureRandom.token()
        extras.issuedAnonymousToken = token
        extras.cookies.append(Cookies.hostCookie(SessionManager.csrfCookie, value: token, maxAge: nil))
        return token
    }

    /// The hidden fields every form carries: CSRF token, honeypot and fill-time stamp (`partials/form-guard`).
    var formGuardValues: [String: Any] {
        ["csrf": csrfToken, "stamp": app.formGuard.stamp(now: now)]
    }

    /// The bot check of the sent form.
    func formGuardVerdict() -> FormGuard.Verdict {
        app.formGuard.check(
            honeypot: form.first(FormGuard.honeypotField), stamp: form.first(FormGuard.stampField), now: now)
    }

    /// Answers 429 when `limiter` blocks `key` now.
    func checkRateLimit(_ limiter: RateLimiter, key: String) throws {
        if let seconds = limiter.retryAfter(key, now: now) {
            throw HTTPError.tooManyRequests(retryAfter: seconds)
        }
    }
}

/// What a handler adds to its response besides the page: cookies to set.
final class ResponseExtras {
    var cookies: [String] = []
    var issuedAnonymousToken: String?
    /// The page carries this visitor's form token: it must never be shown to anyone else (`PageCache`).
    var carriesFormToken = false
}

/// How a handler answers: a page, or a redirect after a successful POST (post/redirect/get).
enum Outcome {
    case page(RenderedPage)
    /// 303 See Other to a path of ours (with an optional `hinweis=` notice key).
    case redirect(String)
    /// A finished response that is not a page (an uploaded image).
    case response(ServerResponse)
}

/// A page ready for the layout: which template, its title and its own values.
struct RenderedPage {
    var template: PageTemplate
    var title: String
    var context: [String: Any]
    var status: HTTPResponse.Status = .ok
    /// The main navigation entry to mark as current.
    var navigation: NavigationItem? = nil
    /// A short description for `<meta name="description">`.
    var description: String? = nil
}
