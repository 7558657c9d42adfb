/// Dispatches the routes of "Mein Bereich" to their pages; every one needs a logged-in person.
enum MyPages {
    static func respond(_ route: MyRoute, _ context: RequestContext) throws -> Outcome {
        _ = try context.requireUser()
        switch route {
        case .overview: return try MyOverviewPage.respond(context)
        case .settings, .changePassword, .changeEmail, .logoutEverywhere:
            return try AccountSettingsPages.respond(route, context)
        case .newPosting, .editListing, .closeListing, .reopenListing, .editEvent, .closeEvent, .reopenEvent:
            return try PostingPages.respond(route, context)
        case .organisation, .members, .removeMember:
            return try OrganisationAdminPages.respond(route, context)
        }
    }
}
