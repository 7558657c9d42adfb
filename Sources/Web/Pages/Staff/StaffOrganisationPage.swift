import Domain
import Foundation
import HTTPTypes
import Storage

/// `/verwaltung/organisationen/{id}`: everything an organisation entered, and the decision: approve, or reject
/// with a reason that is mailed to its admins. The decision follows the organisation lifecycle; a decision the
/// current state does not allow changes nothing and says why.
enum StaffOrganisationPage {
    static let prefix = "staff.organisation"
    static let maximumReasonLength = 1000

    static func respond(id: Int64, _ context: RequestContext) throws -> Outcome {
        let store = context.app.organisationAdmin
        guard let profile = try store.profile(id: id) else { throw HTTPError.notFound }
        guard context.isPost else { return .page(render(profile, state: FormState(), context)) }

        var state = FormState(form: context.form, keeping: ["reason"])
        let action: OrganisationState.Action
        switch context.form.first("decision") {
        case "approve": action = .approve
        case "reject": action = .reject
        default:
            state.addError(context.strings["\(prefix).decision_missing"], to: "reason")
            return .page(render(profile, state: state, context, status: .unprocessableContent))
        }
        guard profile.registrationConfirmed else {
            return .page(
                render(
                    profile, state: state, context, status: .conflict,
                    problem: context.strings["\(prefix).unconfirmed"]))
        }
        let reason = state.value("reason")
        if action == .reject {
            if reason.isEmpty {
                state.addError(context.strings["\(prefix).reason.missing"], to: "reason")
            } else if reason.count > maximumReasonLength {
                state.addError(
                    context.strings.format("\(prefix).reason.too_long", ["max": String(maximumReasonLength)]),
                    to: "reason")
            }
            if state.hasErrors { return .page(render(profile, state: state, context, status: .unprocessableContent)) }
        }
        switch try store.decide(
            organisationID: id, action: action, reason: action == .reject ? reason : nil, now: context.now)
        {
        case .notFound:
            throw HTTPError.notFound
        case .notAllowed(let current):
            let problem = context.strings.format(
                "\(prefix).not_allowed", ["state": context.strings["staff.state.\(current.rawValue)"]])
            let current = try store.profile(id: id) ?? profile
            return .page(render(current, state: state, context, status: .conflict, problem: problem))
        case .changed(_, let next):
            try notify(profile, approved: next == .approved, reason: reason, context)
            let notice = next == .approved ? "staff.approved" : "staff.rejected"
            return .redirect(SiteRoute.staff(.organisations).path + "?hinweis=" + notice)
        }
    }

    /// Mails the decision to the organisation's admins, each in their account's language (or, when it has
    /// none, to its own address, which belongs to no account: in German).
    private static func notify(
        _ profile: OrganisationAdminStore.Profile, approved: Bool, reason: String, _ context: RequestContext
    ) throws {
        let mailer = context.app.mailer
        var recipients = try context.app.membershipStore.admins(organisationID: profile.id).map {
            (Mailbox(name: HeaderText.clean($0.displayName), address: $0.email), mailer.language(stored: $0.language))
        }
        if recipients.isEmpty, !profile.email.isEmpty {
            let name = profile.contactName.isEmpty ? profile.name : profile.contactName
            recipients = [(Mailbox(name: HeaderText.clean(name), address: profile.email), mailer.language(stored: nil))]
        }
        let organisationName = HeaderText.clean(profile.name)
        for (recipient, language) in recipients {
            if approved {
                try mailer.send(
                    .organisationApproved, to: recipient, language: language,
                    values: [
                        "name": recipient.name, "organisationName": organisationName,
                        "link": mailer.absoluteURL(.my(.organisation(id: profile.id)), in: language),
                    ], now: context.now)
            } else {
                try mailer.send(
                    .organisationRejected, to: recipient, language: language,
                    values: ["name": recipient.name, "organisationName": organisationName, "reason": reason],
                    now: context.now)
            }
        }
    }

    static func render(
        _ profile: OrganisationAdminStore.Profile, state: FormState, _ context: RequestContext,
        status: HTTPResponse.Status = .ok, problem: String? = nil
    ) -> RenderedPage {
        let strings = context.strings
        let view = FormView(state: state, strings: strings, prefix: prefix)
        let dates = context.dates
        let address = [
            profile.street, [profile.postalCode, profile.city].filter { !$0.isEmpty }.joined(separator: " "),
        ]
        .filter { !$0.isEmpty }.joined(separator: ", ")
        var facts: [(String, String)] = [
            ("state", strings["staff.state.\(profile.state.rawValue)"]),
            ("legal_form", strings["legal_form.\(profile.legalForm.rawValue)"]),
            ("municipality", profile.municipality.name),
            ("address", address),
            ("contact_name", profile.contactName),
            ("email", profile.email),
            ("phone", profile.phone),
            ("website", profile.website),
            ("topics", profile.topics.map(context.catalog.topicName).joined(separator: ", ")),
            ("registered", dates.dateTime(profile.createdAt)),
            ("registered_by", profile.registeredBy ?? ""),
            ("updated", dates.dateTime(profile.updatedAt)),
        ]
        if let approvedAt = profile.approvedAt { facts.append(("approved", dates.dateTime(approvedAt))) }
        if profile.state == .rejected, let reason = profile.rejectionReason {
            facts.append(("rejection_reason", reason))
        }
        let decidable = profile.state == .pending && profile.registrationConfirmed
        var values: [String: Any] = [
            "name": profile.name,
            "back": ["href": SiteRoute.staff(.organisations).path, "label": strings["\(prefix).back"]],
            "facts": facts.filter { !$0.1.isEmpty }.map {
                ["label": strings["\(prefix).fact.\($0.0)"], "value": $0.1]
            },
            "paragraphs": ListingDetailPage.paragraphs(profile.description),
            "hasDescription": !profile.description.isEmpty,
        ]
        if !decidable {
            values["stateNote"] = strings[profile.registrationConfirmed ? "\(prefix).decided" : "\(prefix).unconfirmed"]
        }
        if let logo = profile.logoImage {
            values["logo"] = [
                "src": SiteRoute.image(name: logo).path,
                "alt": strings.format("my.organisation.logo_alt", ["name": profile.name]),
            ]
        }
        if let problem { values["problem"] = problem }
        if decidable {
            var decision: [String: Any] = [
                "action": SiteRoute.staff(.organisation(id: profile.id)).path,
                "guard": context.formGuardValues,
                "reason": view.textarea("reason", hint: true, rows: 5, maxLength: maximumReasonLength),
            ]
            if let summary = view.errorSummary { decision["errorSummary"] = summary }
            values["decision"] = decision
        }
        return RenderedPage(
            template: .staffOrganisation,
            title: view.title(strings.format("\(prefix).title", ["name": profile.name])), context: values,
            status: status)
    }
}
