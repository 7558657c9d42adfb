/// `/verwaltung`: what waits for staff, with links to the organisation list and the outbox; admins also
/// get links to the team and the taxonomy.
enum StaffOverviewPage {
    static func render(_ context: RequestContext) throws -> RenderedPage {
        let strings = context.strings
        let pending = try context.app.organisationAdmin.pendingCount()
        let outbox = context.app.outboxMessages
        var values: [String: Any] = [
            "heading": strings["staff.overview.heading"],
            "pendingText": strings.plural("staff.overview.pending_organisations", count: pending),
            "organisationsHref": SiteRoute.staff(.organisations).path,
            "outboxHref": SiteRoute.staff(.outbox).path,
            "outboxText": strings.format(
                "staff.overview.outbox_summary",
                [
                    "pending": String(try outbox.count(state: .pending)),
                    "failed": String(try outbox.count(state: .failed)),
                    "sent": String(try outbox.count(state: .sent)),
                ]),
        ]
        if context.user?.role == .admin {
            values["admin"] = ["teamHref": SiteRoute.staff(.team).path, "topicsHref": SiteRoute.staff(.topics).path]
        }
        return RenderedPage(template: .staffOverview, title: strings["staff.overview.heading"], context: values)
    }
}
