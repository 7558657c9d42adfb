/// Bounds for reading one form body. Each bound that is crossed ends parsing with a `FormError`;
/// docs/FORMS.md lists them with their defaults and status codes.
struct FormLimits: Sendable, Equatable {
    /// Fields in one form: pairs of an urlencoded body, or parts of a multipart body (file parts included).
    var maxFields = 200
    /// Bytes of one field name after decoding.
    var maxNameBytes = 100
    /// Bytes of one text value after decoding, before line endings are normalised.
    var maxValueBytes = 32 * 1024
    /// Files that were actually chosen (empty file parts do not count).
    var maxFiles = 2
    /// Bytes of one uploaded file.
    var maxFileBytes = 2 * 1024 * 1024
    /// Bytes of the header section of one multipart part.
    var maxPartHeaderBytes = 4 * 1024
    /// Bytes of the whole body.
    var maxTotalBytes = 4 * 1024 * 1024
    /// When true, a file over `maxFileBytes` does not end parsing: it is left out and its field name is
    /// listed in `FormData.oversizedFileFields`, so a page keeps the other fields and the CSRF token and can
    /// show its message next to the upload field. When false (the default) the parser throws `.fileTooLarge`.
    var skipsOversizedFiles = false

    static let standard = FormLimits()
    /// For upload paths: the whole body may be as large as the server lets through there (its default
    /// `maxUploadBodyLength`, 8 MiB), so a file that is merely too big reaches the parser and becomes
    /// `.fileTooLarge` for its field instead of `.bodyTooLarge` for the request.
    /// Upload pages check `FormData.oversizedFileFields` and answer next to the field.
    static let upload = FormLimits(maxTotalBytes: 8 * 1024 * 1024, skipsOversizedFiles: true)
}
