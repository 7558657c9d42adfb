import HTTPTypes

/// An error that ends a request with a status and a page that says what went wrong, in German.
/// Anything else thrown by a page is a fault: logged with the request id and shown as the 500 page.
struct HTTPError: Error, Equatable {
    var status: HTTPResponse.Status
    /// Localization key of the message shown on the error page.
    var messageKey: String
    /// For 429: seconds until the action may be tried again (sent as `Retry-After`).
    var retryAfter: Int? = nil

    static let notFound = HTTPError(status: .notFound, messageKey: "error.not_found.text")
    static let badRequest = HTTPError(status: .badRequest, messageKey: "error.bad_request.text")
    static let methodNotAllowed = HTTPError(status: .methodNotAllowed, messageKey: "error.method_not_allowed.text")
    /// Logged in, but not allowed (another organisation's listing, a staff page for a resident).
    static let forbidden = HTTPError(status: .forbidden, messageKey: "error.forbidden.text")
    /// A failed CSRF or origin check: nothing was changed.
    static let csrfFailed = HTTPError(status: .forbidden, messageKey: "error.csrf.text")

    static func tooManyRequests(retryAfter: Int) -> HTTPError {
        HTTPError(status: .tooManyRequests, messageKey: "error.too_many_requests.text", retryAfter: retryAfter)
    }
}

/// The page needs a logged-in person: the visitor is sent to the login page, and back afterwards.
struct LoginRequired: Error {}
