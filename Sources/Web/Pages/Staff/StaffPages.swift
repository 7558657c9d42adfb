import Domain
import Storage

/// Dispatches the staff routes; every one needs staff or admin rights.
enum StaffPages {
    static func respond(_ route: StaffRoute, _ context: RequestContext) throws -> Outcome {
        _ = try route.isAdminOnly ? context.requireAdmin() : context.requireStaff()
        switch route {
        case .team, .teamMember: return try TeamPages.respond(route, context)
        case .topics, .topic: return try TopicPages.respond(route, context)
        case .overview: return .page(try StaffOverviewPage.render(context))
        case .organisations: return .page(try StaffOrganisationsPage.render(context))
        case .organisation(let id): return try StaffOrganisationPage.respond(id: id, context)
        case .outbox: return .page(try StaffOutboxPage.render(context))
        case .outboxMessage(let id): return .page(try StaffOutboxPage.renderMessage(id: id, context))
        }
    }

    /// The link back to the staff overview every staff page shows.
    static func backToOverview(_ context: RequestContext) -> [String: Any] {
        ["href": SiteRoute.staff(.overview).path, "label": context.strings["staff.back_overview"]]
    }
}

extension StaffPages {
    /// The strings the staff pages build keys for (checked at start-up through `RequiredStrings`).
    static var requiredKeys: [String] {
        var keys = ["staff.back_overview", "staff.overview.heading", "staff.overview.outbox_summary"]
        keys += ["one", "other"].flatMap { ["staff.overview.pending_organisations.\($0)", "staff.outbox.count.\($0)"] }
        keys += OrganisationState.allCases.map { "staff.state.\($0.rawValue)" }
        keys += [OutboxMessage.State.pending, .sent, .failed].map { "staff.outbox.state.\($0.rawValue)" }
        let organisation = StaffOrganisationPage.prefix
        keys += [
            "title", "back", "decision_missing", "unconfirmed", "decided", "not_allowed", "reason.label",
            "reason.hint", "reason.missing", "reason.too_long",
        ].map { "\(organisation).\($0)" }
        keys += [
            "state", "legal_form", "municipality", "address", "contact_name", "email", "phone", "website", "topics",
            "registered", "registered_by", "updated", "approved", "rejection_reason",
        ].map { "\(organisation).fact.\($0)" }
        keys += ["staff.organisations.heading", "staff.outbox.heading", "staff.outbox.title_page"]
        keys += ["staff.outbox.message_title", "staff.outbox.back"]
        keys += [
            "recipient", "purpose", "state", "created", "attempts", "sent", "failed", "next_attempt", "last_error",
        ].map { "staff.outbox.fact.\($0)" }
        return keys
    }
}
