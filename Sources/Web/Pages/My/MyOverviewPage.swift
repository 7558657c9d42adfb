import Domain
import Foundation
import Storage

/// `/mein-bereich`: a person's own postings and their organisations' postings and events with their state,
/// buttons to post what they may post, and links to their organisations and account settings.
enum MyOverviewPage {
    static func respond(_ context: RequestContext) throws -> Outcome {
        let user = try context.requireUser()
        let strings = context.strings
        let permissions = try PostingPermissions.load(context, userID: user.id)
        let store = MyItemsStore(database: context.app.database)
        let listings = try store.listings(userID: user.id, now: context.now)
        let events = try store.events(userID: user.id, now: context.now)
        let csrf = context.csrfToken

        let newLinks: [[String: Any]] = PostingKind.allCases.filter(permissions.mayPost).map { kind in
            ["label": strings["my.new.\(kind.stringKey)"], "href": SiteRoute.my(.newPosting(kind)).path]
        }
        let listingRows: [[String: Any]] = listings.map { item in
            var row: [String: Any] = [
                "title": item.title,
                "kindLabel": strings["kind.\(item.kind.rawValue)"],
                "owner": owner(item.organisationName, strings),
                "stateText": stateText(
                    item.state, reason: item.rejectionReason, closed: item.closedAt != nil, isPublic: item.isPublic,
                    over: item.expiresAt.map { $0 <= context.now } ?? false, overKey: "my.state.expired", strings),
                "stateClass": stateClass(item.state, closed: item.closedAt != nil, isPublic: item.isPublic),
                "editHref": SiteRoute.my(.editListing(id: item.id)).path,
                "csrf": csrf,
            ]
            if item.isPublic {
                row["viewHref"] = SiteRoute.listing(ListingSection(kind: item.kind), id: item.id).path
            }
            if item.state != .archived {
                if item.closedAt == nil {
                    row["closeAction"] = SiteRoute.my(.closeListing(id: item.id)).path
                } else {
                    row["reopenAction"] = SiteRoute.my(.reopenListing(id: item.id)).path
                }
            }
            return row
        }
        let eventRows: [[String: Any]] = events.map { item in
            var row: [String: Any] = [
                "title": item.title,
                "kindLabel": strings["my.kind.event"],
                "owner": owner(item.organisationName, strings),
                "when": context.dates.dateTime(item.startsAt),
                "whenMachine": context.dates.machineReadable(item.startsAt),
                "stateText": stateText(
                    item.state, reason: item.rejectionReason, closed: item.closedAt != nil, isPublic: item.isPublic,
                    over: (item.endsAt ?? item.startsAt) < context.now, overKey: "my.state.ended", strings),
                "stateClass": stateClass(item.state, closed: item.closedAt != nil, isPublic: item.isPublic),
                "editHref": SiteRoute.my(.editEvent(id: item.id)).path,
                "csrf": csrf,
            ]
            if item.isPublic { row["viewHref"] = SiteRoute.event(id: item.id).path }
            if item.state != .archived {
                if item.closedAt == nil {
                    row["closeAction"] = SiteRoute.my(.closeEvent(id: item.id)).path
                } else {
                    row["reopenAction"] = SiteRoute.my(.reopenEvent(id: item.id)).path
                }
            }
            return row
        }
        let organisations: [[String: Any]] = permissions.memberships.map { membership in
            [
                "name": membership.organisationName,
                "href": SiteRoute.my(.organisation(id: membership.organisationID)).path,
                "role": strings["my.role.\(membership.role.rawValue)"],
                "organisationState": strings["my.organisation_state.\(membership.organisationState.rawValue)"],
            ]
        }
        let isEmpty = listings.isEmpty && events.isEmpty && permissions.memberships.isEmpty
        let values: [String: Any] = [
            "heading": strings["my.title"],
            "greeting": strings.format("my.greeting", ["name": user.displayName]),
            "newLinks": newLinks,
            "hasListings": !listingRows.isEmpty,
            "listings": listingRows,
            "hasEvents": !eventRows.isEmpty,
            "events": eventRows,
            "hasOrganisations": !organisations.isEmpty,
            "organisations": organisations,
            "isEmpty": isEmpty,
            "helpHref": SiteRoute.my(.newPosting(.volunteerOffer)).path,
            "donateHref": SiteRoute.my(.newPosting(.donationOffer)).path,
            "settingsHref": SiteRoute.my(.settings).path,
        ]
        return .page(RenderedPage(template: .myOverview, title: strings["my.title"], context: values))
    }

    static func owner(_ organisationName: String?, _ strings: Localization) -> String {
        organisationName.map { strings.format("my.for_organisation", ["name": $0]) } ?? strings["my.for_person"]
    }

    /// The state in words, as the poster needs to know it: closed first, then what moderation decided.
    static func stateText(
        _ state: PublicationState, reason: String?, closed: Bool, isPublic: Bool, over: Bool, overKey: String,
        _ strings: Localization
    ) -> String {
        if closed { return strings["my.state.closed"] }
        switch state {
        case .rejected:
            guard let reason, !reason.isEmpty else { return strings["my.state.rejected"] }
            return strings.format("my.state.rejected_with_reason", ["reason": reason])
        case .published:
            if over { return strings[overKey] }
            return strings[isPublic ? "my.state.published" : "my.state.not_public"]
        default:
            return strings["my.state.\(state.rawValue)"]
        }
    }

    static func stateClass(_ state: PublicationState, closed: Bool, isPublic: Bool) -> String {
        if closed { return "closed" }
        if state == .published { return isPublic ? "public" : "waiting" }
        return state == .pending || state == .draft ? "waiting" : "stopped"
    }
}
