/// `/verwaltung/organisationen`: organisations waiting for a decision whose registration is confirmed,
/// oldest first.
enum StaffOrganisationsPage {
    static func render(_ context: RequestContext) throws -> RenderedPage {
        let strings = context.strings
        let pending = try context.app.organisationAdmin.pending()
        let rows: [[String: Any]] = pending.map { organisation in
            [
                "name": organisation.name,
                "href": SiteRoute.staff(.organisation(id: organisation.id)).path,
                "municipality": organisation.municipalityName,
                "legalForm": strings["legal_form.\(organisation.legalForm.rawValue)"],
                "registered": context.dates.date(organisation.registeredAt),
                "registeredMachine": context.dates.machineReadable(organisation.registeredAt),
                "contact": [organisation.contactName, organisation.email, organisation.phone].filter { !$0.isEmpty },
            ]
        }
        let values: [String: Any] = [
            "back": StaffPages.backToOverview(context),
            "count": strings.plural("staff.overview.pending_organisations", count: pending.count),
            "organisations": rows,
            "isEmpty": rows.isEmpty,
        ]
        return RenderedPage(
            template: .staffOrganisations, title: strings["staff.organisations.heading"], context: values)
    }
}
