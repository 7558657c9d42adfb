import HTTPTypes

/// Why a form body was refused. Reasons are for logs: they never contain a field's value.
///
/// A page that accepts uploads catches `.fileTooLarge` and shows a message next to that field;
/// everything else ends the request with `status`.
enum FormError: Error, Equatable, CustomStringConvertible {
    /// The body does not follow its format (bad escape, invalid UTF-8, control character, broken multipart).
    case malformed(String)
    case tooManyFields
    /// A field's name or text value is longer than the limits allow.
    case fieldTooLarge
    case fileTooLarge(fieldName: String)
    case tooManyFiles
    /// No Content-Type, or one that is not a form encoding (or a charset other than UTF-8).
    case unsupportedMediaType
    case bodyTooLarge

    var status: HTTPResponse.Status {
        switch self {
        case .malformed: .badRequest
        case .tooManyFields, .fieldTooLarge, .fileTooLarge, .tooManyFiles, .bodyTooLarge: .contentTooLarge
        case .unsupportedMediaType: .unsupportedMediaType
        }
    }

    var description: String {
        switch self {
        case .malformed(let reason): "malformed form body: \(reason)"
        case .tooManyFields: "too many form fields"
        case .fieldTooLarge: "form field name or value too large"
        case .fileTooLarge: "uploaded file too large"
        case .tooManyFiles: "too many uploaded files"
        case .unsupportedMediaType: "unsupported form media type"
        case .bodyTooLarge: "form body too large"
        }
    }
}
