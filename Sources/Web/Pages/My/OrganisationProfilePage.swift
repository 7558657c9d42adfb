import Domain
import Foundation
import HTTPTypes
import Storage

/// `/mein-bereich/organisationen/{id}`: the organisation's profile. Its admins edit it (logo included);
/// members see it read-only. Saving never changes the approval state: staff vetted the organisation, and a
/// changed text is visible at once (staff see the current profile and its last change date on their page).
enum OrganisationProfilePage {
    static let prefix = "my.organisation.form"
    static let fields = [
        "name", "legal_form", "municipality", "street", "postal_code", "city", "contact_name", "email", "phone",
        "homepage", "description", "topics",
    ]

    /// Longest accepted values, in characters.
    enum Limit {
        static let name = 150
        static let person = 100
        static let street = 150
        static let city = 100
        static let phone = 30
        static let homepage = 200
        static let description = 5000
    }

    static func respond(organisationID: Int64, role: MembershipStore.Role, _ context: RequestContext) throws -> Outcome
    {
        guard let profile = try context.app.organisationAdmin.profile(id: organisationID) else {
            throw HTTPError.notFound
        }
        guard context.isPost else {
            return .page(render(profile, state: state(of: profile), role: role, context))
        }
        guard role == .admin else { throw HTTPError.forbidden }
        var state = FormState(form: context.form, keeping: fields)
        guard var change = validate(&state, context), !state.hasErrors else {
            return .page(render(profile, state: state, role: role, context, status: .unprocessableContent))
        }
        if let file = context.form.file("logo") {
            change.newLogoImage = try context.app.images.save(file, ownerID: context.user?.id, now: context.now)
        }
        try context.app.organisationAdmin.updateProfile(id: organisationID, change, now: context.now)
        return .redirect(OrganisationAdminPages.path(.organisation(id: organisationID), notice: "saved"))
    }

    /// The stored profile as form values.
    static func state(of profile: OrganisationAdminStore.Profile) -> FormState {
        var state = FormState()
        state.set("name", profile.name)
        state.set("legal_form", profile.legalForm.rawValue)
        state.set("municipality", profile.municipality.slug)
        state.set("street", profile.street)
        state.set("postal_code", profile.postalCode)
        state.set("city", profile.city)
        state.set("contact_name", profile.contactName)
        state.set("email", profile.email)
        state.set("phone", profile.phone)
        state.set("homepage", profile.website)
        state.set("description", profile.description)
        state.set("topics", values: profile.topics.map(\.slug))
        return state
    }

    /// Checks every field; returns the change (without a logo) when all are fine.
    static func validate(_ state: inout FormState, _ context: RequestContext) -> OrganisationAdminStore.ProfileChange? {
        let strings = context.strings
        func message(_ field: String, _ problem: String, _ values: [String: String] = [:]) {
            state.addError(strings.format("\(prefix).\(field).\(problem)", values), to: field)
        }
        func bounded(_ field: String, _ limit: Int, required: Bool = false) -> String {
            let value = state.value(field)
            if required, value.isEmpty { message(field, "missing") }
            if value.count > limit { message(field, "too_long", ["max": String(limit)]) }
            return value
        }
        let name = bounded("name", Limit.name, required: true)
        if HeaderText.hasControlCharacters(name) { message("name", "line_break") }
        let legalForm = LegalForm(rawValue: state.value("legal_form"))
        if legalForm == nil { message("legal_form", "missing") }
        let municipality = context.catalog.municipality(slug: state.value("municipality"))
        if municipality == nil { message("municipality", "missing") }
        let street = bounded("street", Limit.street)
        let postalCode = state.value("postal_code")
        if !postalCode.isEmpty,
            !(postalCode.utf8.count == 5 && postalCode.utf8.allSatisfy { (0x30...0x39).contains($0) })
        {
            message("postal_code", "invalid")
        }
        let city = bounded("city", Limit.city)
        let contactName = bounded("contact_name", Limit.person)
        if HeaderText.hasControlCharacters(contactName) { message("contact_name", "line_break") }
        let email = state.value("email").lowercased()
        if !email.isEmpty, !EmailAddress.isValid(email) { message("email", "invalid") }
        let phone = bounded("phone", Limit.phone)
        if !phone.isEmpty, !phone.allSatisfy({ $0.isASCII && ($0.isNumber || " +-/().".contains($0)) }) {
            message("phone", "invalid")
        }
        let homepage = normalisedHomepage(state.value("homepage"))
        if let homepage, homepage.count > Limit.homepage {
            message("homepage", "too_long", ["max": String(Limit.homepage)])
        }
        if homepage == nil { message("homepage", "invalid") }
        let description = bounded("description", Limit.description)
        let topicSlugs = state.values("topics")
        let topics = topicSlugs.compactMap { slug in
            context.catalog.topic(slug: slug).flatMap { $0.kind == .volunteering ? $0 : nil }
        }
        if topics.isEmpty || topics.count != topicSlugs.count { message("topics", "missing") }
        if context.form.oversizedFileFields.contains("logo") {
            state.addError(strings[ImageStore.messageKey(.tooLarge)], to: "logo")
        } else if let file = context.form.file("logo"), case .failure(let refusal) = ImageStore.check(file) {
            state.addError(strings[ImageStore.messageKey(refusal)], to: "logo")
        }
        guard !state.hasErrors, let legalForm, let municipality, let homepage else { return nil }
        return OrganisationAdminStore.ProfileChange(
            name: name, legalForm: legalForm, description: description, municipalityID: municipality.id,
            street: street, postalCode: postalCode, city: city, contactName: contactName, email: email, phone: phone,
            website: homepage, topicIDs: topics.map(\.id), newLogoImage: nil)
    }

    /// An http(s) address ("www.verein.de" gets `https://`), empty for none, nil when it is not a web address.
    static func normalisedHomepage(_ text: String) -> String? {
        if text.isEmpty { return "" }
        let lowered = text.lowercased()
        let candidate =
            lowered.hasPrefix("http://") || lowered.hasPrefix("https://")
            ? text : (lowered.contains("://") ? "" : "https://" + text)
        guard !candidate.isEmpty, candidate.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F }),
            let url = URL(string: candidate), let host = url.host, host.contains("."),
            let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https"
        else { return nil }
        return candidate
    }

    static func render(
        _ profile: OrganisationAdminStore.Profile, state: FormState, role: MembershipStore.Role,
        _ context: RequestContext, status: HTTPResponse.Status = .ok
    ) -> RenderedPage {
        let strings = context.strings
        let view = FormView(state: state, strings: strings, prefix: prefix)
        let isAdmin = role == .admin
        var values: [String: Any] = [
            "name": profile.name,
            "overviewHref": SiteRoute.my(.overview).path,
            "tabs": OrganisationAdminPages.tabs(
                organisationID: profile.id, current: .organisation(id: profile.id), context),
            "stateNote": stateNote(profile, context),
            "isAdmin": isAdmin,
        ]
        if let logo = profile.logoImage {
            values["logo"] = [
                "src": SiteRoute.image(name: logo).path,
                "alt": strings.format("my.organisation.logo_alt", ["name": profile.name]),
            ]
        }
        if profile.state == .approved {
            values["publicHref"] = SiteRoute.organisation(id: profile.id).path
        }
        if let notice = OrganisationAdminPages.notice(context) { values["notice"] = notice }
        if isAdmin {
            values["form"] = formValues(view, context)
            values["action"] = SiteRoute.my(.organisation(id: profile.id)).path
            values["guard"] = context.formGuardValues
            if let summary = view.errorSummary { values["errorSummary"] = summary }
        } else {
            values["facts"] = facts(profile, context)
        }
        let title = strings.format("my.organisation.profile_title", ["name": profile.name])
        return RenderedPage(template: .organisationForm, title: view.title(title), context: values, status: status)
    }

    private static func formValues(_ view: FormView, _ context: RequestContext) -> [String: Any] {
        let strings = context.strings
        return [
            "name": view.input("name", required: true, autocomplete: "organization", maxLength: Limit.name),
            "legalForm": view.select(
                "legal_form",
                options: LegalForm.allCases.map {
                    .init(value: $0.rawValue, label: strings["legal_form.\($0.rawValue)"])
                },
                required: true),
            "municipality": view.select(
                "municipality", options: context.catalog.municipalities.map { .init(value: $0.slug, label: $0.name) },
                required: true, hint: true, emptyLabel: strings["my.organisation.choose"]),
            "street": view.input("street", autocomplete: "address-line1", maxLength: Limit.street),
            "postalCode": view.input(
                "postal_code", autocomplete: "postal-code", maxLength: 5, inputMode: "numeric"),
            "city": view.input("city", autocomplete: "address-level2", maxLength: Limit.city),
            "contactName": view.input("contact_name", autocomplete: "name", maxLength: Limit.person),
            "email": view.input("email", type: "email", autocomplete: "email", hint: true),
            "phone": view.input("phone", type: "tel", autocomplete: "tel", maxLength: Limit.phone),
            "homepage": view.input("homepage", type: "url", autocomplete: "url", hint: true, maxLength: Limit.homepage),
            "description": view.textarea("description", hint: true, rows: 8, maxLength: Limit.description),
            "topics": view.checkboxes(
                "topics",
                options: context.catalog.choosableTopics(of: .volunteering, keeping: view.state.values("topics")).map {
                    .init(value: $0.slug, label: $0.name)
                },
                required: true),
            "logo": view.imageFile("logo"),
        ]
    }

    /// The profile as a list, for members who may not edit it.
    private static func facts(_ profile: OrganisationAdminStore.Profile, _ context: RequestContext) -> [[String: Any]] {
        let strings = context.strings
        let address = [
            profile.street, [profile.postalCode, profile.city].filter { !$0.isEmpty }.joined(separator: " "),
        ]
        .filter { !$0.isEmpty }.joined(separator: ", ")
        let rows: [(String, String)] = [
            ("\(prefix).legal_form.label", strings["legal_form.\(profile.legalForm.rawValue)"]),
            ("\(prefix).municipality.label", profile.municipality.name),
            ("my.organisation.address", address),
            ("\(prefix).contact_name.label", profile.contactName),
            ("\(prefix).email.label", profile.email),
            ("\(prefix).phone.label", profile.phone),
            ("\(prefix).homepage.label", profile.website),
            ("\(prefix).topics.label", profile.topics.map(context.catalog.topicName).joined(separator: ", ")),
            ("\(prefix).description.label", profile.description),
        ]
        return rows.filter { !$0.1.isEmpty }.map { key, value in ["label": strings[key], "value": value] }
    }

    /// What the approval state means for the organisation, in one sentence.
    static func stateNote(_ profile: OrganisationAdminStore.Profile, _ context: RequestContext) -> String {
        context.strings.format(
            "my.organisation.state.\(profile.state.rawValue)", ["reason": profile.rejectionReason ?? ""])
    }
}
