import Domain
import Foundation
import Storage

/// `/ehrenamt/{id}`, `/mithelfen/{id}`, `/spenden/{id}`: everything about one listing and how to get in touch.
enum ListingDetailPage {
    static func render(_ section: ListingSection, id: Int64, _ context: RequestContext) throws -> RenderedPage {
        guard let detail = try context.app.listings.detail(id: id, kinds: section.kinds, now: context.now) else {
            throw HTTPError.notFound
        }
        let strings = context.strings
        let listing = detail.listing
        var facts: [[String: Any]] = [
            [
                "label": strings["listing.fact.municipality"], "value": detail.municipality.name,
                "href": SiteRoute.municipality(slug: detail.municipality.slug).path,
            ]
        ]
        func addFact(_ key: String, _ value: String) {
            if !value.isEmpty { facts.append(["label": strings[key], "value": value]) }
        }
        addFact("listing.fact.location", listing.locationText)
        if listing.kind.isDonation {
            addFact("listing.fact.quantity", listing.quantity)
            if let condition = listing.itemCondition {
                addFact("listing.fact.condition", strings["condition.\(condition.rawValue)"])
            }
            addFact("listing.fact.pickup", listing.pickupText)
        } else {
            addFact("listing.fact.commitment", strings["commitment.\(listing.timeCommitment.rawValue)"])
            if let hours = listing.hoursPerMonth {
                addFact("listing.fact.hours", strings.plural("listing.hours_per_month", count: hours))
            }
            addFact("listing.fact.schedule", listing.scheduleText)
            addFact("listing.fact.requirements", listing.requirements)
            addFact("listing.fact.german", strings["german.\(listing.germanLevel.rawValue)"])
        }
        let languages = listing.contactLanguages.map { strings["language.\($0)"] }.joined(separator: ", ")
        addFact("listing.fact.languages", languages)
        if let published = listing.publishedAt { addFact("listing.fact.published", context.dates.date(published)) }
        if let expires = listing.expiresAt { addFact("listing.fact.expires", context.dates.date(expires)) }

        var values: [String: Any] = [
            "title": listing.title,
            "kindLabel": strings["kind.\(listing.kind.rawValue)"],
            "kindClass": listing.kind.rawValue.replacingOccurrences(of: "_", with: "-"),
            "summary": listing.summary,
            "paragraphs": paragraphs(listing.description),
            "facts": facts,
            "topics": detail.topics.map { Cards.topicLink($0, section: section) },
            "contactName": listing.contactName.isEmpty ? listing.posterName : listing.contactName,
            "contactEmail": listing.contactEmail,
            "contactEmailHref": "mailto:" + listing.contactEmail,
            "contactPhone": listing.contactPhone,
            "contactPhoneHref": "tel:" + listing.contactPhone.filter { $0.isNumber || $0 == "+" },
            "hasEmail": !listing.contactEmail.isEmpty,
            "hasPhone": !listing.contactPhone.isEmpty,
            "backHref": SiteRoute.listings(section).path,
            "backLabel": strings["listing.back.\(section.rawValue)"],
        ]
        if let organisationID = listing.organisationID, let name = detail.organisationName {
            values["organisation"] = ["name": name, "href": SiteRoute.organisation(id: organisationID).path]
        }
        return RenderedPage(
            template: .listingDetail, title: listing.title, context: values,
            navigation: ListingsPage.navigation(section), description: listing.summary)
    }

    /// Splits stored plain text into paragraphs; the template escapes each one.
    static func paragraphs(_ text: String) -> [String] {
        text.split(separator: "\n", omittingEmptySubsequences: true)
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
    }
}
