import Domain
import Foundation
import Hummingbird
import Storage

/// `GET /ehrenamt/{id}`: everything about one volunteer need and how to get in touch.
enum ListingDetailPage: PeerPage {
    static let template = "pages/listings/detail"

    static func register(on router: Router<BasicRequestContext>, site: Site) {
        router.get("/ehrenamt/{id}") { request, context in
            guard let id = Paths.identifier(context.parameters.get("id")?[...] ?? "") else {
                throw HTTPError(.notFound)
            }
            return try render(id: id, request, site)
        }
    }

    static func render(id: Int64, _ request: Request, _ site: Site) throws -> HTML {
        guard let detail = try site.listings.detail(id: id, kinds: [.volunteerNeed], now: Date()) else {
            throw HTTPError(.notFound)
        }
        let strings = site.strings
        let dates = site.dates
        let listing = detail.listing
        let posting = detail.posting
        var facts: [[String: Any]] = [
            [
                "label": strings["listing.fact.municipality"], "value": detail.municipality.name,
                "href": Paths.municipality(detail.municipality.slug),
            ]
        ]
        func addFact(_ key: String, _ value: String) {
            if !value.isEmpty { facts.append(["label": strings[key], "value": value]) }
        }
        addFact("listing.fact.location", listing.locationText)
        addFact("listing.fact.address", posting.addressText)
        if listing.kind.isDonation {
            addFact("listing.fact.quantity", listing.quantity)
            if let condition = listing.itemCondition {
                addFact("listing.fact.condition", strings["condition.\(condition.rawValue)"])
            }
            if let delivery = posting.delivery {
                addFact("listing.fact.delivery", strings["listing.delivery.\(delivery.rawValue)"])
            }
            addFact("listing.fact.pickup", listing.pickupText)
            addFact("listing.fact.dropoff", posting.dropoffText)
        } else {
            addFact("listing.fact.commitment", strings["commitment.\(listing.timeCommitment.rawValue)"])
            if let day = posting.oneOffAt { addFact("listing.fact.one_off", dates.date(day)) }
            if let hours = posting.hoursPerWeek {
                addFact("listing.fact.hours_per_week", strings.plural("listing.hours_per_week", count: hours))
            }
            if let hours = listing.hoursPerMonth {
                addFact("listing.fact.hours", strings.plural("listing.hours_per_month", count: hours))
            }
            addFact("listing.fact.schedule", listing.scheduleText)
        }
        addFact("listing.fact.period", period(posting.startsAt, posting.endsAt, site))
        if !listing.kind.isDonation {
            addFact("listing.fact.requirements", listing.requirements)
            if let age = posting.minimumAge {
                addFact("listing.fact.minimum_age", strings.format("listing.minimum_age", ["age": String(age)]))
            }
            if posting.policeClearance {
                addFact("listing.fact.police_clearance", strings["listing.police_clearance"])
            }
            addFact("listing.fact.german", strings["german.\(listing.germanLevel.rawValue)"])
            if posting.barrierFree { addFact("listing.fact.barrier_free", strings["listing.barrier_free"]) }
            addFact("listing.fact.insurance", posting.insuranceText)
            addFact("listing.fact.expense_allowance", posting.expenseAllowanceText)
        }
        let languages = listing.contactLanguages.map { strings["language.\($0)"] }.joined(separator: ", ")
        addFact("listing.fact.languages", languages)
        if let published = listing.publishedAt { addFact("listing.fact.published", dates.date(published)) }
        if let expires = listing.expiresAt { addFact("listing.fact.expires", dates.date(expires)) }

        let showPhone = posting.showPhone && !listing.contactPhone.isEmpty
        var values: [String: Any] = [
            "title": listing.title,
            "kindLabel": strings["kind.\(listing.kind.rawValue)"],
            "kindClass": listing.kind.rawValue.replacingOccurrences(of: "_", with: "-"),
            "paragraphs": paragraphs(listing.description),
            "facts": facts,
            "items": posting.items.map { ["itemName": $0.name, "quantity": $0.quantity] },
            "hasItems": !posting.items.isEmpty,
            "topics": detail.topics.map { Cards.topicLink($0, listPath: Paths.volunteerNeeds, site) },
            "contactName": listing.contactName.isEmpty ? listing.posterName : listing.contactName,
            "contactPhone": showPhone ? listing.contactPhone : "",
            "contactPhoneHref": "tel:" + listing.contactPhone.filter { $0.isNumber || $0 == "+" },
            "hasPhone": showPhone,
            "contactHref": Paths.contact(listing.id),
            "contactLabel": strings["listing.cta.help"],
            "backHref": Paths.volunteerNeeds,
            "backLabel": strings["listing.back.ehrenamt"],
        ]
        // A lead made from the description would only repeat its beginning.
        if !PostingSummary.isDerived(listing.summary, from: listing.description) {
            values["summary"] = listing.summary
        }
        if let image = posting.imageName {
            values["picture"] = [
                "src": Paths.image(image),
                "alt": strings.format("listing.image_alt", ["title": listing.title]),
            ]
        }
        if let organisationID = listing.organisationID, let name = detail.organisationName {
            values["organisation"] = ["name": name, "href": Paths.organisation(organisationID)]
        }
        return site.render(
            RenderedPage(
                template: template, title: listing.title, values: values, navigation: Paths.volunteerNeeds,
                description: listing.summary),
            request: request)
    }

    /// "1. März 2027 bis 30. Juni 2027", "ab …", "bis …", or empty.
    static func period(_ start: Date?, _ end: Date?, _ site: Site) -> String {
        let dates = site.dates
        switch (start, end) {
        case (let start?, let end?):
            return site.strings.format("listing.period.from_to", ["start": dates.date(start), "end": dates.date(end)])
        case (let start?, nil): return site.strings.format("listing.period.from", ["start": dates.date(start)])
        case (nil, let end?): return site.strings.format("listing.period.to", ["end": dates.date(end)])
        case (nil, nil): return ""
        }
    }

    static func paragraphs(_ text: String) -> [String] {
        text.split(separator: "\n", omittingEmptySubsequences: true)
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
    }
}
