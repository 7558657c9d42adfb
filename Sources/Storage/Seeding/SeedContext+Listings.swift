import Domain

extension SeedContext {
    /// Contact language sets for templates that do not name their own: mostly German only.
    static let languageMix = ["de", "de", "de", "de", "de", "de,en", "de,en", "de,tr", "de,ar", "de,uk", "de,ru"]

    /// `count` listings of one kind from its templates. Templates with `by` are posted by a fitting organisation
    /// (approved, or pending with `moderation`), the others by residents. With `moderation` some listings are
    /// pending, expired or rejected; without, all are published.
    func makeListings(
        kind: ListingKind, count: Int, organisations: [OrganisationRecord], moderation: Bool,
        using generator: inout SplitMix64
    ) -> [ListingRecord] {
        let templates = content.templates(for: kind)
        let allowed: Set<OrganisationState> = moderation ? [.approved, .pending] : [.approved]
        let posters = templates.map { template in
            let keys = Set(template.by ?? [])
            return organisations.indices.filter {
                keys.contains(organisations[$0].patternKey) && allowed.contains(organisations[$0].state)
            }
        }
        // A template meant for organisations that the region lacks is left out rather than posted by a resident.
        var weights = templates.indices.map { index in
            (templates[index].by ?? []).isEmpty || !posters[index].isEmpty ? templates[index].weight ?? 1 : 0
        }
        if !weights.contains(where: { $0 > 0 }) {
            weights = templates.map { $0.weight ?? 1 }
        }
        var bag = TemplateBag(weights: weights)
        var listings: [ListingRecord] = []
        listings.reserveCapacity(count)
        // The same title twice in one town reads like a copy error, so a draw that repeats one is redrawn
        // (a few times at most: a small region may run out of fresh combinations).
        var titlesByTown = Set<String>()
        for _ in 0..<count {
            var record: ListingRecord
            var attempts = 0
            repeat {
                let templateIndex = bag.next(using: &generator)
                let candidates = posters[templateIndex]
                // Pending organisations post now and then, but most listings come from approved ones.
                let weights = candidates.map { organisations[$0].state == .approved ? 8 : 1 }
                let organisation =
                    candidates.isEmpty ? nil : organisations[candidates[generator.weightedIndex(weights)]]
                record = listing(
                    kind: kind, template: templates[templateIndex], organisation: organisation,
                    moderation: moderation, using: &generator)
                attempts += 1
            } while !titlesByTown.insert("\(record.municipalityID)|\(record.title)").inserted && attempts < 12
            listings.append(record)
        }
        return listings
    }

    /// One listing from a template, by `organisation` or (when nil) by a resident of a town chosen by size.
    func listing(
        kind: ListingKind, template: ListingTemplate, organisation: OrganisationRecord?, moderation: Bool,
        using generator: inout SplitMix64
    ) -> ListingRecord {
        let municipality =
            organisation.flatMap { org in municipalities.first { $0.id == org.municipalityID } }
            ?? municipalities[generator.weightedIndex(municipalityWeights)]
        let organisationName = organisation?.name ?? ""
        func text(_ value: String?) -> String {
            fill(value ?? "", municipality: municipality, organisation: organisationName)
        }
        var record = ListingRecord(
            kind: kind, title: text(template.title), summary: text(template.summary),
            description: text(template.description), organisationID: organisation?.id, posterName: "",
            municipalityID: municipality.id, locationText: municipality.name,
            timeCommitment: template.timeCommitment ?? .flexible,
            hoursPerMonth: kind.isDonation ? nil : template.hoursPerMonth, scheduleText: text(template.schedule),
            requirements: text(template.requirements),
            germanLevel: kind.isDonation ? .any : template.germanLevel ?? .any,
            contactLanguages: generator.element(template.languages ?? Self.languageMix),
            quantity: text(template.quantity),
            itemCondition: kind == .donationOffer ? template.condition : nil, pickupText: text(template.pickup),
            contactName: "", contactEmail: "", contactPhone: "", state: .published, rejectionReason: nil,
            createdAt: 0, updatedAt: 0, publishedAt: nil, expiresAt: nil,
            topicIDs: topicIDs(template.topics))
        if let organisation {
            record.contactName = organisation.contactName
            record.contactEmail = organisation.email
            record.contactPhone = organisation.phone
            if template.organisationTopics == true, !kind.isDonation, !organisation.topicIDs.isEmpty {
                record.topicIDs = organisation.topicIDs
            }
            let postal = organisation.postalCode.isEmpty ? "" : organisation.postalCode + " "
            record.locationText = "\(organisation.street), \(postal)\(municipality.name)"
        } else {
            var resident = person(female: template.poster.map { $0 == .female }, using: &generator)
            if let names = template.posterNames, !names.isEmpty {
                resident.firstName = generator.element(names)
            }
            record.posterName = shortName(resident)
            record.contactName = record.posterName
            record.contactEmail = residentEmail(resident, using: &generator)
            record.contactPhone = generator.chance(0.4) ? phone(municipality, using: &generator) : ""
        }
        if let location = template.location {
            record.locationText = text(location)
        }
        record.state = state(organisation: organisation, moderation: moderation, using: &generator)
        date(&record, organisationCreatedAt: organisation?.createdAt ?? 0, using: &generator)
        return record
    }

    private func state(
        organisation: OrganisationRecord?, moderation: Bool, using generator: inout SplitMix64
    ) -> PublicationState {
        guard moderation else { return .published }
        if organisation?.state == .pending { return .pending }
        let roll = generator.unit()
        switch roll {
        case ..<0.05: return .pending
        case ..<0.09: return .expired
        case ..<0.12: return .rejected
        default: return .published
        }
    }

    private func date(_ record: inout ListingRecord, organisationCreatedAt: Int64, using generator: inout SplitMix64) {
        let day = Self.day
        switch record.state {
        case .published:
            let publishedAt = now - generator.seconds(0...60 * day)
            record.publishedAt = publishedAt
            record.createdAt = publishedAt - generator.seconds(3_600...3 * day)
            record.updatedAt = publishedAt
            record.expiresAt = now + generator.seconds(30 * day...180 * day)
        case .expired:
            let publishedAt = now - generator.seconds(100 * day...200 * day)
            record.publishedAt = publishedAt
            record.createdAt = publishedAt - generator.seconds(3_600...3 * day)
            let expiresAt = now - generator.seconds(day...40 * day)
            record.expiresAt = expiresAt
            record.updatedAt = expiresAt
        case .rejected:
            record.createdAt = now - generator.seconds(3 * day...40 * day)
            record.updatedAt = record.createdAt + generator.seconds(3_600...2 * day)
            record.rejectionReason = generator.element(content.moderation.listingRejections)
        default:
            let earliest = max(now - 4 * day, organisationCreatedAt + 3_600)
            record.createdAt = generator.seconds(earliest...now - 600)
            record.updatedAt = record.createdAt
        }
    }
}
