/// Posting and editing listings and events, and closing or re-opening them (see `ListingFormPage`,
/// `EventFormPage`, `PostingActions`).
enum PostingPages {
    static func respond(_ route: MyRoute, _ context: RequestContext) throws -> Outcome {
        let user = try context.requireUser()
        switch route {
        case .newPosting(.event): return try EventFormPage.new(context, user)
        case .newPosting(let kind): return try ListingFormPage.new(kind, context, user)
        case .editListing(let id): return try ListingFormPage.edit(id: id, context, user)
        case .editEvent(let id): return try EventFormPage.edit(id: id, context, user)
        case .closeListing, .reopenListing, .closeEvent, .reopenEvent:
            return try PostingActions.respond(route, context, user)
        default: throw HTTPError.notFound
        }
    }
}
