import Domain
import Foundation
import HTTPTypes
import Storage

/// Registration of an organisation together with the person who manages it. Everything is written in
/// one transaction; the organisation starts pending and staff see it once the address is confirmed.
enum RegisterOrganisationPage {
    static let prefix = "account.register_organisation"

    static let maximumOrganisationNameLength = 150
    static let maximumStreetLength = 150
    static let maximumCityLength = 100
    static let maximumPhoneLength = 40
    static let maximumWebsiteLength = 300
    static let maximumDescriptionLength = 5000

    /// The organisation's website field is not called "website": that name is the form's honeypot.
    static let textFields = [
        "organisation_name", "legal_form", "municipality", "street", "postal_code", "city", "contact_name", "phone",
        "homepage", "description", "topics", "name", "email", "consent",
    ]

    static func respond(_ context: RequestContext) throws -> Outcome {
        guard context.isPost else { return .page(render(FormState(), context)) }
        let clientKey = "register:" + context.clientAddress
        try context.checkRateLimit(context.app.rateLimits.registrationPerClient, key: clientKey)

        var state = FormState(form: context.form, keeping: textFields)
        for field in textFields where field != "description" && field != "topics" {
            state.set(field, AccountFields.singleLine(state.value(field)))
        }
        let password = context.form.first("password") ?? ""
        guard context.passesBotCheck(&state) else {
            return .page(render(state, context, status: .unprocessableContent))
        }
        let organisation = validateOrganisation(&state, context)
        let logo = validateLogo(&state, context)
        AccountFields.checkName(&state, context.strings)
        let email = AccountFields.checkEmail(&state, context.strings)
        AccountFields.checkNewPassword(password, email: email, name: state.value("name"), &state, context)
        AccountFields.checkConsent(&state, context.strings)
        guard var organisation, !state.hasErrors else {
            return .page(render(state, context, status: .unprocessableContent))
        }

        context.app.rateLimits.registrationPerClient.record(clientKey, now: context.now)
        let name = state.value("name")
        let passwordHash = try context.app.passwords.hash(password)
        if let existing = try context.app.users.account(email: email) {
            try AccountLinks.notifyExistingAccount(existing, context)
            return .page(RegisterPersonPage.checkInbox(email: email, organisation: true, context))
        }
        if let logo { organisation.logoImage = try context.app.images.save(logo, ownerID: nil, now: context.now) }
        let link = AccountLinks.newToken()
        do {
            try RegistrationStore(database: context.app.database).registerOrganisation(
                organisation,
                account: NewAccount(
                    email: email, displayName: name, passwordHash: passwordHash, confirmTokenHash: link.hash,
                    confirmValidity: AccountLinks.confirmValidity, language: context.language.rawValue),
                now: context.now)
            try AccountLinks.mailConfirmation(token: link.token, name: name, email: email, context)
        } catch UserStore.CreateError.emailTaken {
            if let existing = try context.app.users.account(email: email) {
                try AccountLinks.notifyExistingAccount(existing, context)
            }
        }
        return .page(RegisterPersonPage.checkInbox(email: email, organisation: true, context))
    }

    /// The organisation's fields, checked; nil when one is wrong (the errors are in `state`).
    static func validateOrganisation(_ state: inout FormState, _ context: RequestContext) -> NewOrganisation? {
        let strings = context.strings
        func required(_ field: String, maximum: Int) -> String {
            let value = state.value(field)
            if value.isEmpty {
                state.addError(strings["\(prefix).\(field).missing"], to: field)
            } else if value.count > maximum {
                state.addError(AccountFields.tooLong(maximum, strings), to: field)
            }
            return value
        }
        let name = required("organisation_name", maximum: maximumOrganisationNameLength)
        let legalForm = LegalForm(rawValue: state.value("legal_form"))
        if legalForm == nil { state.addError(strings["\(prefix).legal_form.missing"], to: "legal_form") }
        let municipality = context.catalog.municipality(slug: state.value("municipality"))
        if municipality == nil { state.addError(strings["\(prefix).municipality.missing"], to: "municipality") }
        let street = required("street", maximum: maximumStreetLength)
        let postalCode = state.value("postal_code")
        if postalCode.utf8.count != 5 || !postalCode.utf8.allSatisfy({ (0x30...0x39).contains($0) }) {
            state.addError(strings["\(prefix).postal_code.invalid"], to: "postal_code")
        }
        let city = required("city", maximum: maximumCityLength)
        let contactName = required("contact_name", maximum: AccountFields.maximumNameLength)
        let phone = state.value("phone")
        if phone.count > maximumPhoneLength {
            state.addError(AccountFields.tooLong(maximumPhoneLength, strings), to: "phone")
        } else if !isPhoneNumber(phone) {
            state.addError(strings["\(prefix).phone.invalid"], to: "phone")
        }
        let website = websiteURL(state.value("homepage"))
        if website == nil { state.addError(strings["\(prefix).homepage.invalid"], to: "homepage") }
        let description = required("description", maximum: maximumDescriptionLength)
        let topics = state.values("topics").compactMap { context.catalog.topic(slug: $0) }
            .filter { $0.kind == .volunteering }
        if topics.isEmpty { state.addError(strings["\(prefix).topics.missing"], to: "topics") }
        guard !state.hasErrors, let legalForm, let municipality, let website else { return nil }
        return NewOrganisation(
            name: name, legalForm: legalForm, municipalityID: municipality.id, street: street, postalCode: postalCode,
            city: city, contactName: contactName, phone: phone, website: website, description: description,
            topicIDs: topics.map(\.id), logoImage: nil)
    }

    /// The chosen logo if it is an image we keep; a refusal is recorded next to the field.
    static func validateLogo(_ state: inout FormState, _ context: RequestContext) -> UploadedFile? {
        if context.form.oversizedFileFields.contains("logo") {
            state.addError(context.strings[ImageStore.messageKey(.tooLarge)], to: "logo")
            return nil
        }
        guard let file = context.form.file("logo") else { return nil }
        switch ImageStore.check(file) {
        case .success: return file
        case .failure(let refusal):
            state.addError(context.strings[ImageStore.messageKey(refusal)], to: "logo")
            return nil
        }
    }

    /// Empty (no phone) or digits with spaces and `+ - / ( ) .`, with at least four digits.
    static func isPhoneNumber(_ text: String) -> Bool {
        guard !text.isEmpty else { return true }
        let allowed = text.unicodeScalars.allSatisfy { scalar in
            ("0"..."9").contains(scalar) || " +-/().".unicodeScalars.contains(scalar)
        }
        return allowed && text.filter(\.isASCII).filter(\.isNumber).count >= 4
    }

    /// The website as stored: empty, or an http(s) URL with a host. "www.verein.de" gets "https://" in
    /// front; any other scheme (javascript:, data:, ftp:) is refused. Nil when it is not acceptable.
    static func websiteURL(_ text: String) -> String? {
        guard !text.isEmpty else { return "" }
        guard text.count <= maximumWebsiteLength, !text.contains(" ") else { return nil }
        let lowered = text.lowercased()
        let candidate =
            lowered.hasPrefix("http://") || lowered.hasPrefix("https://")
            ? text : (text.contains(":") ? nil : "https://" + text)
        guard let candidate, let url = URL(string: candidate), let scheme = url.scheme?.lowercased(),
            scheme == "http" || scheme == "https", let host = url.host, host.contains("."), !host.hasPrefix("."),
            !host.hasSuffix("."), url.user == nil, url.password == nil,
            candidate.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F })
        else { return nil }
        return candidate
    }

    private static func render(_ state: FormState, _ context: RequestContext, status: HTTPResponse.Status = .ok)
        -> RenderedPage
    {
        let strings = context.strings
        let view = FormView(state: state, strings: strings, prefix: prefix)
        let heading = strings["\(prefix).heading"]
        let legalForms = LegalForm.allCases.map {
            FormView.Option(value: $0.rawValue, label: strings["legal_form.\($0.rawValue)"])
        }
        let municipalities = context.catalog.municipalities.map { FormView.Option(value: $0.slug, label: $0.name) }
        let topics = context.catalog.choosableTopics(of: .volunteering, keeping: state.values("topics")).map {
            FormView.Option(value: $0.slug, label: $0.name)
        }
        var values: [String: Any] = [
            "heading": heading,
            "action": SiteRoute.account(.registerOrganisation).path,
            "guard": context.formGuardValues,
            "organisationName": view.input(
                "organisation_name", required: true, autocomplete: "organization",
                maxLength: maximumOrganisationNameLength),
            "legalForm": view.select(
                "legal_form", options: legalForms, required: true, emptyLabel: strings["\(prefix).choose"]),
            "municipality": view.select(
                "municipality", options: municipalities, required: true, hint: true,
                emptyLabel: strings["\(prefix).choose"]),
            "street": view.input(
                "street", required: true, autocomplete: "address-line1", maxLength: maximumStreetLength),
            "postalCode": view.input(
                "postal_code", required: true, autocomplete: "postal-code", maxLength: 5, inputMode: "numeric"),
            "city": view.input("city", required: true, autocomplete: "address-level2", maxLength: maximumCityLength),
            "contactName": view.input(
                "contact_name", required: true, hint: true, maxLength: AccountFields.maximumNameLength),
            "phone": view.input("phone", type: "tel", autocomplete: "tel", hint: true, maxLength: maximumPhoneLength),
            "homepage": view.input(
                "homepage", type: "url", autocomplete: "url", hint: true, maxLength: maximumWebsiteLength),
            "description": view.textarea(
                "description", required: true, hint: true, rows: 8, maxLength: maximumDescriptionLength),
            "topics": view.checkboxes("topics", options: topics, required: true, hint: true),
            "logo": view.imageFile("logo"),
            "name": view.input(
                "name", required: true, autocomplete: "name", maxLength: AccountFields.maximumNameLength),
            "email": view.input("email", type: "email", required: true, autocomplete: "email", hint: true),
            "password": AccountFields.passwordInput(view, strings),
            "consent": view.checkbox("consent", required: true),
            "privacyHref": SiteRoute.privacy.path,
            "loginHref": SiteRoute.account(.login).path,
        ]
        // Only when there are errors: a nil inside `Any` would still count as present.
        values["errorSummary"] = view.errorSummary
        return RenderedPage(
            template: .registerOrganisation, title: view.title(heading), context: values, status: status)
    }
}
