import HTTPTypes

/// An error that ends a request with a status and a page that says what went wrong, in German.
/// Anything else thrown by a page is a fault: logged with the request id and shown as the 500 page.
struct HTTPError: Error, Equatable {
    var status: HTTPResponse.Status
    /// Localization key of the message shown on the error page.
    var messageKey: String

    static let notFound = HTTPError(status: .notFound, messageKey: "error.not_found.text")
    static let badRequest = HTTPError(status: .badRequest, messageKey: "error.bad_request.text")
    static let methodNotAllowed = HTTPError(status: .methodNotAllowed, messageKey: "error.method_not_allowed.text")
}
