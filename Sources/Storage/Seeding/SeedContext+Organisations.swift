import Domain

extension SeedContext {
    /// About `target` organisations: every municipality gets at least one, the rest follow the population; no
    /// municipality has two of the same pattern, and every pattern is used before any is used twice.
    /// With `moderation`, four are pending and two rejected (never a municipality's first one).
    func makeOrganisations(target: Int, moderation: Bool, using generator: inout SplitMix64) -> [OrganisationRecord] {
        let patterns = content.organisations
        let eligible = municipalities.map { municipality in
            patterns.indices.filter { (patterns[$0].minPopulation ?? 0) <= municipality.population }
        }
        let counts = organisationCounts(target: target).enumerated().map { min($1, eligible[$0].count) }
        var usage = Array(repeating: 0, count: patterns.count)
        var chosen = Array(repeating: [Int](), count: municipalities.count)
        let order = municipalities.indices.sorted { counts[$0] != counts[$1] ? counts[$0] > counts[$1] : $0 < $1 }
        for municipalityIndex in order {
            let tiebreak = eligible[municipalityIndex].map { ($0, generator.next()) }
            let ranked = tiebreak.sorted { usage[$0.0] != usage[$1.0] ? usage[$0.0] < usage[$1.0] : $0.1 < $1.1 }
            chosen[municipalityIndex] = ranked.prefix(counts[municipalityIndex]).map(\.0)
            for patternIndex in chosen[municipalityIndex] {
                usage[patternIndex] += 1
            }
        }
        var records: [OrganisationRecord] = []
        var laterOnes: [Int] = []
        for (municipalityIndex, municipality) in municipalities.enumerated() {
            for (position, patternIndex) in chosen[municipalityIndex].enumerated() {
                if position > 0 { laterOnes.append(records.count) }
                records.append(organisation(patterns[patternIndex], in: municipality, using: &generator))
            }
        }
        if moderation {
            generator.shuffle(&laterOnes)
            for index in laterOnes.prefix(4) {
                records[index].state = .pending
            }
            for index in laterOnes.dropFirst(4).prefix(2) {
                records[index].state = .rejected
                records[index].rejectionReason = generator.element(content.moderation.organisationRejections)
            }
        }
        for index in records.indices {
            date(&records[index], using: &generator)
        }
        return records
    }

    /// One per municipality plus the rest in proportion to the population (largest remainder), by slug order.
    func organisationCounts(target: Int) -> [Int] {
        let rest = max(0, target - municipalities.count)
        let total = max(1, municipalities.reduce(0) { $0 + max($1.population, 0) })
        var counts = municipalities.map { 1 + rest * max($0.population, 0) / total }
        let remainders = municipalities.map { rest * max($0.population, 0) % total }
        let missing = target - counts.reduce(0, +)
        let byRemainder = municipalities.indices.sorted {
            remainders[$0] != remainders[$1] ? remainders[$0] > remainders[$1] : $0 < $1
        }
        for index in byRemainder.prefix(max(0, missing)) {
            counts[index] += 1
        }
        return counts
    }

    private func organisation(
        _ pattern: OrganisationPattern, in municipality: SeedMunicipality, using generator: inout SplitMix64
    ) -> OrganisationRecord {
        let name = fill(generator.element(pattern.names), municipality: municipality)
        let domain = Self.substitute(pattern.domain, [("{slug}", municipality.slug)]) + ".example"
        let contact = person(using: &generator)
        return OrganisationRecord(
            patternKey: pattern.key, name: name, legalForm: pattern.legalForm,
            description: fill(pattern.description, municipality: municipality, organisation: name),
            municipalityID: municipality.id, municipalityName: municipality.name,
            street: street(using: &generator), postalCode: postalCode(municipality),
            contactName: contactName(contact), email: "info@" + domain, phone: phone(municipality, using: &generator),
            website: "https://www." + domain, state: .approved, rejectionReason: nil, createdAt: 0, updatedAt: 0,
            approvedAt: nil, topicIDs: topicIDs(pattern.topics))
    }

    private func date(_ record: inout OrganisationRecord, using generator: inout SplitMix64) {
        let day = Self.day
        switch record.state {
        case .approved, .suspended:
            record.createdAt = now - generator.seconds(60 * day...1_500 * day)
            let approvedAt = record.createdAt + generator.seconds(day...10 * day)
            record.approvedAt = approvedAt
            record.updatedAt = min(now, approvedAt + generator.seconds(0...200 * day))
        case .pending:
            record.createdAt = now - generator.seconds(2 * day...14 * day)
            record.updatedAt = record.createdAt
        case .rejected:
            record.createdAt = now - generator.seconds(20 * day...90 * day)
            record.updatedAt = record.createdAt + generator.seconds(2 * day...7 * day)
        }
    }
}
