import Foundation

/// What makes a password unacceptable, in the order they are checked.
enum PasswordProblem: String, Sendable, CaseIterable {
    case tooShort, tooLong, common, containsPersonalData

    var messageKey: String {
        switch self {
        case .tooShort: "security.password.too_short"
        case .tooLong: "security.password.too_long"
        case .common: "security.password.common"
        case .containsPersonalData: "security.password.contains_personal_data"
        }
    }

    /// The German message with the length limits filled in.
    func message(_ strings: Localization) -> String {
        strings.format(
            messageKey,
            ["minimum": String(PasswordPolicy.minimumLength), "maximum": String(PasswordPolicy.maximumLength)])
    }
}

/// The rules a new password must meet (NIST SP 800-63B style): a minimum length, no composition rules,
/// not on a list of commonly used passwords, and not built from the person's own name or address.
struct PasswordPolicy: Sendable {
    static let minimumLength = 10
    static let maximumLength = 256
    /// A form hint explaining the rules, with `{minimum}` to fill in.
    static let hintKey = "security.password.hint"
    /// A bound on bytes as well as characters: one character can hold any number of combining marks.
    static let maximumUTF8Bytes = 4 * maximumLength
    /// Name and address parts shorter than this are not looked for (too many false alarms).
    static let minimumPersonalPartLength = 4

    struct LoadError: Error, CustomStringConvertible {
        let path: String
        var description: String { "The common-password list \(path) is missing or empty." }
    }

    private let commonPasswords: Set<String>

    /// Reads the list (one lowercased password per line) once; the set is shared by every copy.
    init(commonPasswordsFile path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else { throw LoadError(path: path) }
        let words = String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces).lowercased() }.filter { !$0.isEmpty }
        guard !words.isEmpty else { throw LoadError(path: path) }
        commonPasswords = Set(words)
    }

    /// The first rule `password` breaks, or nil when it is acceptable. Lengths count characters as people see them.
    func problem(with password: String, email: String, name: String) -> PasswordProblem? {
        if password.utf8.count > Self.maximumUTF8Bytes { return .tooLong }
        let length = password.count
        if length < Self.minimumLength { return .tooShort }
        if length > Self.maximumLength { return .tooLong }
        if isCommon(password) { return .common }
        if containsPersonalData(password, email: email, name: name) { return .containsPersonalData }
        return nil
    }

    /// Common means: on the list ignoring case, or on the list once trailing digits, punctuation and
    /// symbols are removed ("Passwort2024!" is "passwort" with a suffix, which guessers try first).
    func isCommon(_ password: String) -> Bool {
        let lowered = password.lowercased()
        if commonPasswords.contains(lowered) { return true }
        var stem = Substring(lowered)
        while let last = stem.last, last.isNumber || last.isPunctuation || last.isSymbol {
            stem = stem.dropLast()
        }
        return !stem.isEmpty && stem.count < lowered.count && commonPasswords.contains(String(stem))
    }

    /// Whether the password contains, ignoring case, the e-mail's local part or the name, or one of their
    /// words (split at anything but letters and digits), each only if at least four characters long.
    func containsPersonalData(_ password: String, email: String, name: String) -> Bool {
        let lowered = password.lowercased()
        let localPart = email.split(separator: "@", omittingEmptySubsequences: false).dropLast().joined(separator: "@")
        let candidates = Self.parts(of: localPart.isEmpty ? email : localPart) + Self.parts(of: name)
        return candidates.contains { lowered.contains($0) }
    }

    private static func parts(of text: String) -> [String] {
        let whole = text.trimmingCharacters(in: .whitespaces).lowercased()
        let words = whole.split { !($0.isLetter || $0.isNumber) }.map(String.init)
        return ([whole] + words).filter { $0.count >= minimumPersonalPartLength }
    }
}
