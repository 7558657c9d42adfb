import Domain
import Foundation

extension SeedContext {
    /// How many events of each sort the demo seed writes.
    struct EventPlan {
        var upcomingPublished = 54
        var upcomingPending = 4
        var rejected = 1
        var past = 14
    }

    /// Events from the templates: upcoming ones 1–120 days after now, past ones up to 90 days before, at local
    /// times in Europe/Berlin. Organisers are approved organisations of the named patterns or the county.
    func makeEvents(
        plan: EventPlan, organisations: [OrganisationRecord], using generator: inout SplitMix64
    ) -> [EventRecord] {
        let templates = content.events.templates
        // Organisers each template can have here: the county, or the approved organisations of its patterns.
        let organisers = templates.map { template in
            template.organisers.filter { key in
                key == Self.countyOrganiserKey
                    || organisations.contains { $0.patternKey == key && $0.state == .approved }
            }
        }
        var bag = TemplateBag(weights: templates.indices.map { organisers[$0].isEmpty ? 0 : templates[$0].weight ?? 2 })
        let sorts: [(PublicationState, upcoming: Bool, count: Int)] = [
            (.published, true, plan.upcomingPublished), (.pending, true, plan.upcomingPending),
            (.rejected, true, plan.rejected), (.published, false, plan.past),
        ]
        var events: [EventRecord] = []
        for (state, upcoming, count) in sorts {
            for _ in 0..<count {
                let index = bag.next(using: &generator)
                events.append(
                    event(
                        templates[index], organiserKey: generator.element(organisers[index]), state: state,
                        upcoming: upcoming, organisations: organisations, using: &generator))
            }
        }
        return events
    }

    /// The organiser key meaning the county's own Ehrenamtsbüro.
    static let countyOrganiserKey = "county"

    private func event(
        _ template: EventTemplate, organiserKey: String, state: PublicationState, upcoming: Bool,
        organisations: [OrganisationRecord], using generator: inout SplitMix64
    ) -> EventRecord {
        let candidates = organisations.filter { $0.patternKey == organiserKey && $0.state == .approved }
        let organisation = candidates.isEmpty ? nil : generator.element(candidates)
        var municipality =
            organisation.flatMap { org in municipalities.first { $0.id == org.municipalityID } }
            ?? municipalities[generator.weightedIndex(municipalityWeights)]
        let organiserName = organisation?.name ?? content.events.countyOrganiser
        let population = municipality.population
        let fitting = template.venues.filter { key in
            if key == "organisation" { return organisation != nil }
            let venue = content.people.venues.first { $0.key == key }
            return venue?.maxPopulation.map { population <= $0 } ?? true
        }
        let venueKey = fitting.isEmpty ? content.people.venues[0].key : generator.element(fitting)
        var venueName: String
        var address: String
        if venueKey == "organisation", let organisation {
            venueName = organisation.name
            address = organisation.street
        } else {
            let venue = content.people.venues.first { $0.key == venueKey } ?? content.people.venues[0]
            if venue.largestTown == true, let largest = largestMunicipality {
                municipality = largest
            }
            venueName = fill(venue.name, municipality: municipality, organisation: organiserName)
            address = fill(venue.street, municipality: municipality, organisation: organiserName)
        }
        let postal = postalCode(municipality)
        address += ", " + (postal.isEmpty ? "" : postal + " ") + municipality.name
        let startsAt = startTime(template, upcoming: upcoming, using: &generator)
        var record = EventRecord(
            title: fill(template.title, municipality: municipality, organisation: organiserName),
            summary: fill(template.summary, municipality: municipality, organisation: organiserName),
            description: fill(template.description, municipality: municipality, organisation: organiserName),
            eventType: template.eventType, organisationID: organisation?.id, organiserName: organiserName,
            municipalityID: municipality.id, venue: venueName, address: address, startsAt: startsAt,
            endsAt: startsAt + Int64(generator.element(template.durationMinutes)) * 60,
            registrationRequired: template.registrationRequired, costText: template.cost,
            contactEmail: organisation?.email ?? content.events.countyEmail, state: state, rejectionReason: nil,
            createdAt: 0, updatedAt: 0, publishedAt: nil, topicIDs: topicIDs(template.topics))
        date(&record, upcoming: upcoming, using: &generator)
        return record
    }

    /// The most populous municipality (the county seat in the shipped regions); ties go to the first slug.
    var largestMunicipality: SeedMunicipality? {
        municipalities.reduce(nil) { best, next in
            guard let best else { return next }
            return next.population > best.population ? next : best
        }
    }

    /// A start on one of the template's weekdays at one of its local hours.
    private func startTime(_ template: EventTemplate, upcoming: Bool, using generator: inout SplitMix64) -> Int64 {
        let weekdays = template.weekdays ?? [2, 3, 4, 5, 6]
        let offset = upcoming ? generator.int(1...112) : -generator.int(10...90)
        let nowDate = Date(timeIntervalSince1970: TimeInterval(now))
        var day = calendar.date(byAdding: .day, value: offset, to: nowDate) ?? nowDate
        while !weekdays.contains(calendar.component(.weekday, from: day)) {
            day = calendar.date(byAdding: .day, value: 1, to: day) ?? day.addingTimeInterval(86_400)
        }
        var components = calendar.dateComponents([.year, .month, .day], from: day)
        components.hour = generator.element(template.hours)
        components.minute = template.minute ?? 0
        let start = calendar.date(from: components) ?? day
        return Int64(start.timeIntervalSince1970)
    }

    private func date(_ record: inout EventRecord, upcoming: Bool, using generator: inout SplitMix64) {
        let day = Self.day
        switch record.state {
        case .published:
            let publishedAt =
                upcoming
                ? now - generator.seconds(0...30 * day)
                : record.startsAt - generator.seconds(7 * day...40 * day)
            record.publishedAt = publishedAt
            record.createdAt = publishedAt - generator.seconds(3_600...3 * day)
            record.updatedAt = publishedAt
        case .rejected:
            record.createdAt = now - generator.seconds(3 * day...20 * day)
            record.updatedAt = record.createdAt + generator.seconds(3_600...2 * day)
            record.rejectionReason = generator.element(content.moderation.eventRejections)
        default:
            record.createdAt = now - generator.seconds(3_600...5 * day)
            record.updatedAt = record.createdAt
        }
    }
}
