/// A file from a multipart form, as the browser sent it.
///
/// `fileName` is for showing only (last path component, no control or bidi characters, at most 255 bytes):
/// it is never used to name anything that is stored. `declaredContentType` is the sender's claim; what the
/// bytes are is decided by `ImageKind.detect`.
struct UploadedFile: Sendable, Equatable {
    let fieldName: String
    let fileName: String
    let declaredContentType: String
    let bytes: [UInt8]
}

/// The decoded fields and files of a form body, in the order they were sent.
struct FormData: Sendable {
    var fields: [(name: String, value: String)]
    /// Files that were chosen; a file input left empty sends an empty part, which is not kept here.
    var files: [UploadedFile]
    /// Field names of files left out for being over `maxFileBytes`; only with `FormLimits.skipsOversizedFiles`.
    var oversizedFileFields: [String] = []

    init(fields: [(name: String, value: String)] = [], files: [UploadedFile] = []) {
        self.fields = fields
        self.files = files
    }

    /// The first value sent under `name`.
    func first(_ name: String) -> String? {
        fields.first { $0.name == name }?.value
    }

    /// Every value sent under `name`, in order, empty values and repeats included.
    func all(_ name: String) -> [String] {
        fields.compactMap { $0.name == name ? $0.value : nil }
    }

    /// The first non-empty file sent under `name`.
    func file(_ name: String) -> UploadedFile? {
        files.first { $0.fieldName == name }
    }
}

extension FormData: Equatable {
    static func == (lhs: FormData, rhs: FormData) -> Bool {
        lhs.files == rhs.files && lhs.oversizedFileFields == rhs.oversizedFileFields
            && lhs.fields.elementsEqual(rhs.fields) { $0.name == $1.name && $0.value == $1.value }
    }
}

/// The rules both form encodings share for decoded names and text values.
enum FormText {
    /// A field name: valid UTF-8 without any control character.
    static func name(_ bytes: some Collection<UInt8>, limits: FormLimits) throws(FormError) -> String {
        guard bytes.count <= limits.maxNameBytes else { throw .fieldTooLarge }
        guard let text = string(validating: bytes) else { throw .malformed("field name is not UTF-8") }
        guard controlCharacter(in: bytes, allowingLineBreaksAndTab: false) == false else {
            throw .malformed("control character in field name")
        }
        return text
    }

    /// A text value: valid UTF-8, no control characters but tab and line breaks; CRLF and lone CR become LF.
    static func value(_ bytes: some Collection<UInt8>, limits: FormLimits) throws(FormError) -> String {
        guard bytes.count <= limits.maxValueBytes else { throw .fieldTooLarge }
        guard let text = string(validating: bytes) else { throw .malformed("field value is not UTF-8") }
        guard controlCharacter(in: bytes, allowingLineBreaksAndTab: true) == false else {
            throw .malformed("control character in field value")
        }
        guard bytes.contains(UInt8(ascii: "\r")) else { return text }
        var normalised: [UInt8] = []
        normalised.reserveCapacity(bytes.count)
        var afterCR = false
        for byte in bytes {
            if byte == UInt8(ascii: "\r") {
                normalised.append(UInt8(ascii: "\n"))
                afterCR = true
                continue
            }
            if !(afterCR && byte == UInt8(ascii: "\n")) { normalised.append(byte) }
            afterCR = false
        }
        return String(decoding: normalised, as: UTF8.self)
    }

    /// The text of `bytes` if they are well-formed UTF-8 (no overlong forms, surrogates or values above
    /// U+10FFFF; the standard library's validation, which is much faster than a byte-wise generic check).
    static func string(validating bytes: some Collection<UInt8>) -> String? {
        String(validating: bytes, as: UTF8.self)
    }

    /// Whether valid UTF-8 `bytes` contain a control character (Unicode category Cc: C0, DEL, C1).
    static func controlCharacter(in bytes: some Collection<UInt8>, allowingLineBreaksAndTab: Bool) -> Bool {
        if let found = bytes.withContiguousStorageIfAvailable({
            controlCharacter(in: $0, allowingLineBreaksAndTab: allowingLineBreaksAndTab)
        }) {
            return found
        }
        return controlCharacter(in: Array(bytes), allowingLineBreaksAndTab: allowingLineBreaksAndTab)
    }

    private static func controlCharacter(in bytes: UnsafeBufferPointer<UInt8>, allowingLineBreaksAndTab: Bool) -> Bool {
        for (index, byte) in bytes.enumerated() {
            if byte < 0x20 || byte == 0x7F {
                let lineBreakOrTab = byte == 0x09 || byte == 0x0A || byte == 0x0D
                if !(allowingLineBreaksAndTab && lineBreakOrTab) { return true }
            } else if byte == 0xC2, index + 1 < bytes.count, bytes[index + 1] <= 0x9F {
                return true  // U+0080…U+009F are encoded as C2 80…C2 9F
            }
        }
        return false
    }
}
