import Foundation

/// The values a person entered into a form and what is wrong with them.
///
/// Pages build it from the sent `FormData` (never copying passwords back), validate into it, and
/// render it again with `FormView` when something is wrong, so nothing typed is lost.
struct FormState {
    struct FieldError {
        let field: String
        let message: String
    }

    private var values: [String: [String]] = [:]
    private(set) var errors: [FieldError] = []

    init() {}

    /// The sent values of `names` (trimmed of surrounding whitespace).
    init(form: FormData, keeping names: [String]) {
        for name in names {
            values[name] = form.all(name).map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        }
    }

    func value(_ name: String) -> String { values[name]?.first ?? "" }
    func values(_ name: String) -> [String] { values[name] ?? [] }
    func isChecked(_ name: String) -> Bool { !(values[name]?.first ?? "").isEmpty }

    mutating func set(_ name: String, _ value: String) { values[name] = [value] }
    mutating func set(_ name: String, values list: [String]) { values[name] = list }

    /// Records a message (already in the page's language) for a field; the first one per field wins.
    mutating func addError(_ message: String, to field: String) {
        guard error(for: field) == nil else { return }
        errors.append(FieldError(field: field, message: message))
    }

    func error(for field: String) -> String? { errors.first { $0.field == field }?.message }
    var hasErrors: Bool { !errors.isEmpty }
}

/// Turns a `FormState` into the values of `partials/field` and `partials/form-errors`: labels, hints and
/// errors from Localization (`<prefix>.<field>.label`, `.hint`), ids, `aria-describedby`, `aria-invalid`.
struct FormView {
    let state: FormState
    let strings: Localization
    /// Where the field strings live, e.g. "account.register".
    let prefix: String

    struct Option {
        var value: String
        var label: String
    }

    static func fieldID(_ name: String) -> String { "f-" + name }

    /// A one-line input (`text`, `email`, `password`, `tel`, `url`, `number`, `date`, `time`).
    func input(
        _ name: String, type: String = "text", required: Bool = false, autocomplete: String? = nil,
        hint: Bool = false, maxLength: Int? = nil, inputMode: String? = nil, keepValue: Bool = true
    ) -> [String: Any] {
        var field = base(name, required: required, hint: hint)
        field["isInput"] = true
        field["type"] = type
        field["value"] = keepValue && type != "password" ? state.value(name) : ""
        if let autocomplete { field["autocomplete"] = autocomplete }
        if let maxLength { field["maxLength"] = maxLength }
        if let inputMode { field["inputMode"] = inputMode }
        return field
    }

    func textarea(_ name: String, required: Bool = false, hint: Bool = false, rows: Int = 6, maxLength: Int? = nil)
        -> [String: Any]
    {
        var field = base(name, required: required, hint: hint)
        field["isTextarea"] = true
        field["rows"] = rows
        field["value"] = state.value(name)
        if let maxLength { field["maxLength"] = maxLength }
        return field
    }

    /// A drop-down; `emptyLabel` adds a first "please choose" entry with an empty value.
    func select(
        _ name: String, options: [Option], required: Bool = false, hint: Bool = false, emptyLabel: String? = nil
    )
        -> [String: Any]
    {
        var field = base(name, required: required, hint: hint)
        field["isSelect"] = true
        let current = state.value(name)
        var list: [[String: Any]] = []
        if let emptyLabel { list.append(["value": "", "label": emptyLabel, "selected": current.isEmpty]) }
        list += options.map { ["value": $0.value, "label": $0.label, "selected": $0.value == current] }
        field["options"] = list
        return field
    }

    /// A group of checkboxes (several answers) in a fieldset with a legend.
    func checkboxes(_ name: String, options: [Option], required: Bool = false, hint: Bool = false) -> [String: Any] {
        group(name, inputType: "checkbox", options: options, checked: Set(state.values(name)), required, hint)
    }

    /// A group of radio buttons (one answer) in a fieldset with a legend.
    func radios(_ name: String, options: [Option], required: Bool = false, hint: Bool = false) -> [String: Any] {
        group(name, inputType: "radio", options: options, checked: [state.value(name)], required, hint)
    }

    /// A single yes/no checkbox, e.g. consent to the privacy notice.
    func checkbox(_ name: String, required: Bool = false, hint: Bool = false) -> [String: Any] {
        var field = base(name, required: required, hint: hint)
        field["isCheckbox"] = true
        field["checked"] = state.isChecked(name)
        return field
    }

    /// A file upload for an image (JPEG, PNG or WebP).
    func imageFile(_ name: String, hint: Bool = true) -> [String: Any] {
        var field = base(name, required: false, hint: hint)
        field["isFile"] = true
        field["accept"] = "image/jpeg,image/png,image/webp"
        return field
    }

    /// The error summary at the top of the form, linking to each field; nil without errors.
    var errorSummary: [String: Any]? {
        guard state.hasErrors else { return nil }
        return [
            "title": strings.plural("forms.summary_title", count: state.errors.count),
            "items": state.errors.map { ["href": "#" + Self.fieldID($0.field), "message": $0.message] },
        ]
    }

    /// The document title, with "Fehler:" in front when the form has errors (screen readers hear it first).
    func title(_ text: String) -> String {
        state.hasErrors ? strings.format("forms.title_with_errors", ["title": text]) : text
    }

    private func base(_ name: String, required: Bool, hint: Bool) -> [String: Any] {
        let id = Self.fieldID(name)
        var field: [String: Any] = [
            "name": name, "id": id, "label": strings["\(prefix).\(name).label"], "required": required,
        ]
        var describedBy: [String] = []
        if hint {
            field["hint"] = strings["\(prefix).\(name).hint"]
            field["hintID"] = id + "-hint"
            describedBy.append(id + "-hint")
        }
        if let error = state.error(for: name) {
            field["error"] = error
            field["errorID"] = id + "-error"
            field["invalid"] = true
            describedBy.append(id + "-error")
        }
        if !describedBy.isEmpty { field["describedBy"] = describedBy.joined(separator: " ") }
        return field
    }

    private func group(
        _ name: String, inputType: String, options: [Option], checked: Set<String>, _ required: Bool, _ hint: Bool
    ) -> [String: Any] {
        var field = base(name, required: required, hint: hint)
        field["isGroup"] = true
        let id = Self.fieldID(name)
        // The first option carries the field's id, so the error summary's link lands on it.
        field["options"] = options.enumerated().map { index, option in
            [
                "inputType": inputType, "optionID": index == 0 ? id : "\(id)-\(index + 1)", "value": option.value,
                "label": option.label, "checked": checked.contains(option.value),
            ] as [String: Any]
        }
        return field
    }
}

extension RequestContext {
    /// Adds the bot check's finding to the form, if any; true when the form may be processed.
    func passesBotCheck(_ state: inout FormState) -> Bool {
        let key: String
        switch formGuardVerdict() {
        case .passed: return true
        case .honeypotFilled: key = "forms.bot.honeypot"
        case .tooFast: key = "forms.bot.too_fast"
        case .staleForm: key = "forms.bot.stale"
        }
        state.addError(strings[key], to: "form")
        return false
    }
}
