import Domain
import Foundation
import Storage

/// Template values for the cards and rows that several pages show.
enum Cards {
    static func listing(_ item: ListingSummary, _ context: RequestContext) -> [String: Any] {
        let strings = context.strings
        let section = ListingSection(kind: item.kind)
        var card: [String: Any] = [
            "id": item.id,
            "href": SiteRoute.listing(section, id: item.id).path,
            "title": item.title,
            "summary": item.summary,
            "kindLabel": strings["kind.\(item.kind.rawValue)"],
            "kindClass": cssClass(item.kind),
            "municipality": municipalityLink(item.municipality),
            "topics": item.topics.map { topicLink($0, section: section, context) },
            "hasTopics": !item.topics.isEmpty,
            "published": context.dates.date(item.publishedAt),
            "publishedMachine": context.dates.machineReadable(item.publishedAt),
            "poster": item.organisationName ?? item.posterName,
        ]
        if item.kind.isDonation {
            if let condition = item.itemCondition { card["condition"] = strings["condition.\(condition.rawValue)"] }
        } else {
            card["commitment"] = strings["commitment.\(item.timeCommitment.rawValue)"]
        }
        if item.germanLevel == .any, !item.kind.isDonation { card["littleGerman"] = strings["german.any_badge"] }
        return card
    }

    static func event(_ item: EventSummary, _ context: RequestContext) -> [String: Any] {
        [
            "id": item.id,
            "href": SiteRoute.event(id: item.id).path,
            "title": item.title,
            "summary": item.summary,
            "typeLabel": context.strings["event_type.\(item.eventType.rawValue)"],
            "municipality": municipalityLink(item.municipality),
            "venue": item.venue,
            "organiser": item.organiserName,
            "start": context.dates.dateTime(item.startsAt),
            "startMachine": context.dates.machineReadable(item.startsAt),
            "day": context.dates.calendar.component(.day, from: item.startsAt),
            "month": context.strings[
                "date.month_short.\(context.dates.calendar.component(.month, from: item.startsAt))"],
            "topics": item.topics.map { ["name": context.catalog.topicName($0)] },
        ]
    }

    static func organisation(_ item: OrganisationSummary, _ context: RequestContext) -> [String: Any] {
        [
            "id": item.id,
            "href": SiteRoute.organisation(id: item.id).path,
            "name": item.name,
            "legalForm": context.strings["legal_form.\(item.legalForm.rawValue)"],
            "description": item.description,
            "municipality": municipalityLink(item.municipality),
            "topics": item.topics.map { ["name": context.catalog.topicName($0)] },
            "hasTopics": !item.topics.isEmpty,
            "openListings": item.openListingCount == 0
                ? context.strings["organisations.no_open_listings"]
                : context.strings.plural("organisations.open_listings", count: item.openListingCount),
        ]
    }

    /// `volunteer-need` for `volunteer_need`, made once per kind.
    private static let cssClasses = Dictionary(
        uniqueKeysWithValues: ListingKind.allCases.map { ($0, $0.rawValue.replacingOccurrences(of: "_", with: "-")) })

    static func cssClass(_ kind: ListingKind) -> String { cssClasses[kind] ?? kind.rawValue }

    static func municipalityLink(_ label: Label) -> [String: Any] {
        ["name": label.name, "href": SiteRoute.municipality(slug: label.slug).path]
    }

    static func topicLink(_ label: Label, section: ListingSection, _ context: RequestContext) -> [String: Any] {
        var query = QueryBuilder()
        query.add("thema", label.slug)
        return ["name": context.catalog.topicName(label), "href": SiteRoute.listings(section).path + query.string]
    }
}
