import Storage

/// The close and re-open buttons of "Mein Bereich" (POST only): the poster or a member of the posting's
/// organisation takes a listing or event off the public pages, or puts it back.
enum PostingActions {
    static func respond(_ route: MyRoute, _ context: RequestContext, _ user: SessionUser) throws -> Outcome {
        guard context.isPost else { throw HTTPError.methodNotAllowed }
        let listings = ListingWriteStore(database: context.app.database)
        let events = EventWriteStore(database: context.app.database)
        let notice: String
        switch route {
        case .closeListing(let id):
            try PostingForm.checked { try listings.close(id: id, userID: user.id, now: context.now) }
            notice = "my.closed"
        case .reopenListing(let id):
            try PostingForm.checked { try listings.reopen(id: id, userID: user.id, now: context.now) }
            notice = "my.reopened"
        case .closeEvent(let id):
            try PostingForm.checked { try events.close(id: id, userID: user.id, now: context.now) }
            notice = "my.closed"
        case .reopenEvent(let id):
            try PostingForm.checked { try events.reopen(id: id, userID: user.id, now: context.now) }
            notice = "my.reopened"
        default:
            throw HTTPError.notFound
        }
        return .redirect(SiteRoute.my(.overview).path + "?hinweis=" + notice)
    }
}
