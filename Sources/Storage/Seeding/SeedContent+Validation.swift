import Domain

extension SeedContent {
    /// Checks what the decoder cannot: references between files and fields each kind needs.
    func validate() throws {
        let patternKeys = Set(organisations.map(\.key))
        guard !organisations.isEmpty else {
            throw SeedError.invalidContent(file: "organisations.json", problem: "empty")
        }
        for pattern in organisations where pattern.names.isEmpty || pattern.topics.isEmpty {
            throw SeedError.invalidContent(file: "organisations.json", problem: "\(pattern.key) needs names and topics")
        }
        guard patternKeys.count == organisations.count, !patternKeys.contains("county") else {
            throw SeedError.invalidContent(
                file: "organisations.json", problem: "pattern keys must be unique and not \"county\"")
        }
        for kind in ListingKind.allCases {
            let file = Self.fileName(for: kind)
            let templates = templates(for: kind)
            guard !templates.isEmpty else { throw SeedError.invalidContent(file: file, problem: "no templates") }
            for (index, template) in templates.enumerated() {
                try check(template, kind: kind, at: index, file: file, patternKeys: patternKeys)
            }
        }
        try validateEvents(patternKeys: patternKeys)
        try validatePeople()
        let reasons = [moderation.organisationRejections, moderation.listingRejections, moderation.eventRejections]
        guard reasons.allSatisfy({ !$0.isEmpty }) else {
            throw SeedError.invalidContent(file: "moderation.json", problem: "every list of reasons needs an entry")
        }
    }

    private func check(
        _ template: ListingTemplate, kind: ListingKind, at index: Int, file: String, patternKeys: Set<String>
    ) throws {
        func fail(_ problem: String) -> SeedError {
            .invalidContent(file: file, problem: "template \(index) (\(template.title)): \(problem)")
        }
        if template.topics.isEmpty { throw fail("needs at least one topic") }
        if let unknown = (template.by ?? []).first(where: { !patternKeys.contains($0) }) {
            throw fail("unknown organisation pattern \(unknown)")
        }
        if kind.isDonation {
            if template.quantity == nil || template.pickup == nil { throw fail("needs quantity and pickup") }
            if kind == .donationOffer, template.condition == nil { throw fail("needs condition") }
        } else if template.timeCommitment == nil || template.germanLevel == nil || template.schedule == nil {
            throw fail("needs time_commitment, german_level and schedule")
        }
    }

    private func validateEvents(patternKeys: Set<String>) throws {
        let venueKeys = Set(people.venues.map(\.key)).union(["organisation"])
        guard events.templates.contains(where: { $0.organisers.contains("county") }) else {
            throw SeedError.invalidContent(file: "events.json", problem: "at least one template needs the county")
        }
        for (index, template) in events.templates.enumerated() {
            func fail(_ problem: String) -> SeedError {
                .invalidContent(file: "events.json", problem: "template \(index) (\(template.title)): \(problem)")
            }
            if template.topics.isEmpty || template.organisers.isEmpty || template.venues.isEmpty {
                throw fail("needs topics, organisers and venues")
            }
            if let unknown = template.organisers.first(where: { $0 != "county" && !patternKeys.contains($0) }) {
                throw fail("unknown organiser \(unknown)")
            }
            if let unknown = template.venues.first(where: { !venueKeys.contains($0) }) {
                throw fail("unknown venue \(unknown)")
            }
            if template.hours.isEmpty || !template.hours.allSatisfy({ (7...21).contains($0) }) {
                throw fail("hours must be 7…21")
            }
            if template.durationMinutes.isEmpty || !template.durationMinutes.allSatisfy({ (30...480).contains($0) }) {
                throw fail("duration_minutes must be 30…480")
            }
            if let weekdays = template.weekdays, weekdays.isEmpty || !weekdays.allSatisfy({ (1...7).contains($0) }) {
                throw fail("weekdays must be 1…7")
            }
        }
    }

    private func validatePeople() throws {
        let lists = [
            people.femaleFirstNames, people.maleFirstNames, people.lastNames, people.streets,
            people.residentEmailDomains,
        ]
        guard lists.allSatisfy({ !$0.isEmpty }), !people.venues.isEmpty else {
            throw SeedError.invalidContent(file: "people.json", problem: "names, streets, domains and venues needed")
        }
    }
}
