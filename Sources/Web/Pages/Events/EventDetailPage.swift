import Domain
import Storage

/// `/veranstaltungen/{id}`: when, where, who organises it and how to register.
enum EventDetailPage {
    static func render(id: Int64, _ context: RequestContext) throws -> RenderedPage {
        guard let detail = try context.app.events.detail(id: id) else { throw HTTPError.notFound }
        let strings = context.strings
        let event = detail.event
        var when = context.dates.dateTime(event.startsAt)
        if let end = event.endsAt {
            let sameDay = context.dates.calendar.isDate(end, inSameDayAs: event.startsAt)
            when += " – " + (sameDay ? context.dates.time(end) : context.dates.dateTime(end))
        }
        let isPast = (event.endsAt ?? event.startsAt) < context.now
        var facts: [[String: Any]] = [
            ["label": strings["event.fact.when"], "value": when],
            [
                "label": strings["event.fact.municipality"], "value": detail.municipality.name,
                "href": SiteRoute.municipality(slug: detail.municipality.slug).path,
            ],
        ]
        if !event.venue.isEmpty { facts.append(["label": strings["event.fact.venue"], "value": event.venue]) }
        if !event.address.isEmpty { facts.append(["label": strings["event.fact.address"], "value": event.address]) }
        facts.append(["label": strings["event.fact.type"], "value": strings["event_type.\(event.eventType.rawValue)"]])
        if !event.costText.isEmpty { facts.append(["label": strings["event.fact.cost"], "value": event.costText]) }
        facts.append([
            "label": strings["event.fact.registration"],
            "value": strings[event.registrationRequired ? "event.registration.required" : "event.registration.open"],
        ])
        if event.registrationRequired, !detail.registrationText.isEmpty {
            facts.append(["label": strings["event.fact.registration_how"], "value": detail.registrationText])
        }
        var values: [String: Any] = [
            "title": event.title,
            "typeLabel": strings["event_type.\(event.eventType.rawValue)"],
            "paragraphs": ListingDetailPage.paragraphs(event.description),
            "facts": facts,
            "topics": detail.topics.map { ["name": context.catalog.topicName($0)] },
            "organiser": event.organiserName,
            "isPast": isPast,
            "startMachine": context.dates.machineReadable(event.startsAt),
            "backHref": SiteRoute.events.path,
        ]
        // A summary made from the description would only repeat its beginning as the lead.
        if !PostingSummary.isDerived(event.summary, from: event.description) { values["summary"] = event.summary }
        if let image = detail.imageName {
            values["picture"] = [
                "src": SiteRoute.image(name: image).path,
                "alt": strings.format("event.image_alt", ["title": event.title]),
            ]
        }
        if let organisationID = event.organisationID, let name = detail.organisationName {
            values["organisation"] = ["name": name, "href": SiteRoute.organisation(id: organisationID).path]
        }
        return RenderedPage(
            template: .eventDetail, title: event.title, context: values, navigation: .events,
            description: event.summary)
    }
}
