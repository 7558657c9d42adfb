import Foundation

/// A listing as its poster typed it into the form, before it is checked.
///
/// Text is kept as entered (trimmed), so a form with mistakes can be shown again unchanged. References
/// the web layer resolves against the catalog (municipality, topics) arrive as ids; an unknown value is
/// nil or left out, which the rules report as missing.
public struct ListingDraft: Sendable, Equatable {
    /// One line of a donation need: what, and how many (as typed).
    public struct ItemText: Sendable, Equatable {
        public var name: String
        public var quantity: String

        public init(name: String, quantity: String) {
            self.name = name
            self.quantity = quantity
        }

        var isEmpty: Bool { name.isEmpty && quantity.isEmpty }
    }

    public var kind: ListingKind
    public var title = ""
    public var description = ""
    public var municipalityID: Int64?
    public var locationText = ""
    public var addressText = ""
    /// Topics of the listing's taxonomy (`kind.topicKind`); for donations the one category.
    public var topicIDs: [Int64] = []
    public var timeCommitment = ""
    public var oneOffDate = ""
    public var hoursPerWeek = ""
    public var startDate = ""
    public var endDate = ""
    public var minimumAge = ""
    public var policeClearance = false
    public var germanLevel = ""
    public var barrierFree = false
    public var requirements = ""
    public var insuranceText = ""
    public var expenseAllowanceText = ""
    public var contactName = ""
    public var showPhone = false
    public var contactPhone = ""
    public var contactLanguages: [String] = []
    public var items: [ItemText] = []
    public var dropoffText = ""
    public var itemCondition = ""
    public var delivery = ""

    public init(kind: ListingKind) {
        self.kind = kind
    }

    /// The outcome of the rules: the values to store, or what is wrong.
    public enum Outcome: Sendable, Equatable {
        case valid(ListingContent)
        case invalid([FieldProblem])
    }

    /// Checks every rule. `isNew` forbids dates in the past (an edit may keep an old date); `today` is
    /// the start of the current day in the county's time zone, which `calendar` carries.
    public func validate(isNew: Bool, now: Date, calendar: Calendar) -> Outcome {
        var problems: [FieldProblem] = []
        let title = DraftCheck.trimmed(self.title)
        let description = DraftCheck.trimmed(self.description)
        DraftCheck.text(title, field: "title", limit: PostingLimits.title, required: true, into: &problems)
        DraftCheck.text(
            description, field: "description", limit: PostingLimits.description, required: true, into: &problems)
        if municipalityID == nil { problems.append(FieldProblem(field: "municipality", code: "municipality.missing")) }
        DraftCheck.text(locationText, field: "location", limit: PostingLimits.place, required: false, into: &problems)
        if kind.usesAddress {
            DraftCheck.text(
                addressText, field: "address", limit: PostingLimits.address, required: false, into: &problems)
        }
        let topics = uniqueTopics
        if kind.isDonation {
            if topics.count != 1 { problems.append(FieldProblem(field: "category", code: "category.missing")) }
        } else if topics.isEmpty {
            problems.append(FieldProblem(field: "topics", code: "topics.missing"))
        } else if topics.count > PostingLimits.topics {
            problems.append(
                FieldProblem(field: "topics", code: "topics.too_many", values: ["max": String(PostingLimits.topics)]))
        }

        let today = calendar.startOfDay(for: now)
        var commitment = TimeCommitment.flexible
        var oneOffAt: Date?
        var hours: Int?
        if kind.usesCommitment {
            (commitment, oneOffAt, hours) = checkCommitment(isNew: isNew, today: today, calendar: calendar, &problems)
        }
        let (startsAt, endsAt) = checkPeriod(isNew: isNew, today: today, calendar: calendar, &problems)

        var minimumAge: Int?
        var germanLevel = GermanLevel.any
        if kind.usesRequirements {
            if !self.minimumAge.isEmpty {
                if let age = DraftCheck.wholeNumber(self.minimumAge), PostingLimits.minimumAge.contains(age) {
                    minimumAge = age
                } else {
                    problems.append(FieldProblem(field: "minimum_age", code: "minimum_age.invalid"))
                }
            }
            if !self.germanLevel.isEmpty {
                if let level = GermanLevel(rawValue: self.germanLevel) {
                    germanLevel = level
                } else {
                    problems.append(FieldProblem(field: "german_level", code: "german_level.invalid"))
                }
            }
            DraftCheck.text(
                requirements, field: "requirements", limit: PostingLimits.requirements, required: false,
                into: &problems)
            DraftCheck.text(
                insuranceText, field: "insurance", limit: PostingLimits.practical, required: false, into: &problems)
            DraftCheck.text(
                expenseAllowanceText, field: "expense_allowance", limit: PostingLimits.practical, required: false,
                into: &problems)
        }

        DraftCheck.text(
            contactName, field: "contact_name", limit: PostingLimits.contactName, required: false, into: &problems)
        if !contactPhone.isEmpty, !Self.isPhoneNumber(contactPhone) {
            problems.append(FieldProblem(field: "contact_phone", code: "contact_phone.invalid"))
        } else if showPhone, contactPhone.isEmpty {
            problems.append(FieldProblem(field: "contact_phone", code: "contact_phone.missing"))
        }
        let languages = ContactLanguage.codes.filter(contactLanguages.contains)
        if languages.isEmpty { problems.append(FieldProblem(field: "languages", code: "languages.missing")) }

        var items: [ListingContent.Item] = []
        if kind == .donationNeed {
            items = checkItems(&problems)
            DraftCheck.text(
                dropoffText, field: "dropoff", limit: PostingLimits.dropoff, required: false, into: &problems)
        }
        var condition: ItemCondition?
        var handover: DonationHandover?
        if kind == .donationOffer {
            condition = ItemCondition(rawValue: itemCondition)
            if condition == nil { problems.append(FieldProblem(field: "condition", code: "condition.missing")) }
            handover = DonationHandover(rawValue: delivery)
            if handover == nil { problems.append(FieldProblem(field: "delivery", code: "delivery.missing")) }
        }

        guard problems.isEmpty, let municipalityID else { return .invalid(problems) }
        let practical = kind.usesRequirements
        return .valid(
            ListingContent(
                kind: kind, title: title, summary: PostingSummary.make(from: description), description: description,
                municipalityID: municipalityID, locationText: locationText,
                addressText: kind.usesAddress ? addressText : "", topicIDs: topics, timeCommitment: commitment,
                oneOffAt: oneOffAt, hoursPerWeek: hours, startsAt: startsAt, endsAt: endsAt, minimumAge: minimumAge,
                policeClearance: practical && policeClearance, germanLevel: germanLevel,
                barrierFree: practical && barrierFree, requirements: practical ? requirements : "",
                insuranceText: practical ? insuranceText : "",
                expenseAllowanceText: practical ? expenseAllowanceText : "", contactName: contactName,
                showPhone: showPhone, contactPhone: contactPhone, contactLanguages: languages, items: items,
                dropoffText: kind == .donationNeed ? dropoffText : "", itemCondition: condition, delivery: handover))
    }

    private var uniqueTopics: [Int64] {
        var seen = Set<Int64>()
        return topicIDs.filter { seen.insert($0).inserted }
    }

    private func checkCommitment(
        isNew: Bool, today: Date, calendar: Calendar, _ problems: inout [FieldProblem]
    ) -> (TimeCommitment, Date?, Int?) {
        guard let commitment = TimeCommitment(rawValue: timeCommitment) else {
            problems.append(FieldProblem(field: "commitment", code: "commitment.missing"))
            return (.flexible, nil, nil)
        }
        switch commitment {
        case .once:
            guard !oneOffDate.isEmpty else {
                problems.append(FieldProblem(field: "one_off_date", code: "one_off_date.missing"))
                return (commitment, nil, nil)
            }
            guard let day = GermanDateText.day(oneOffDate, in: calendar) else {
                problems.append(FieldProblem(field: "one_off_date", code: "one_off_date.invalid"))
                return (commitment, nil, nil)
            }
            if isNew, day < today {
                problems.append(FieldProblem(field: "one_off_date", code: "one_off_date.past"))
            }
            return (commitment, day, nil)
        case .weekly:
            guard let hours = DraftCheck.wholeNumber(hoursPerWeek), PostingLimits.hoursPerWeek.contains(hours) else {
                problems.append(
                    FieldProblem(
                        field: "hours_per_week",
                        code: hoursPerWeek.isEmpty ? "hours_per_week.missing" : "hours_per_week.invalid",
                        values: [
                            "min": String(PostingLimits.hoursPerWeek.lowerBound),
                            "max": String(PostingLimits.hoursPerWeek.upperBound),
                        ]))
                return (commitment, nil, nil)
            }
            return (commitment, nil, hours)
        case .flexible, .occasional, .monthly:
            return (commitment, nil, nil)
        }
    }

    private func checkPeriod(
        isNew: Bool, today: Date, calendar: Calendar, _ problems: inout [FieldProblem]
    ) -> (Date?, Date?) {
        var start: Date?
        var end: Date?
        if !startDate.isEmpty {
            start = GermanDateText.day(startDate, in: calendar)
            if start == nil { problems.append(FieldProblem(field: "start_date", code: "start_date.invalid")) }
        }
        if !endDate.isEmpty {
            end = GermanDateText.day(endDate, in: calendar)
            if let end {
                if let start, end < start {
                    problems.append(FieldProblem(field: "end_date", code: "end_date.before_start"))
                } else if isNew, end < today {
                    problems.append(FieldProblem(field: "end_date", code: "end_date.past"))
                }
            } else {
                problems.append(FieldProblem(field: "end_date", code: "end_date.invalid"))
            }
        }
        return (start, end)
    }

    private func checkItems(_ problems: inout [FieldProblem]) -> [ListingContent.Item] {
        var result: [ListingContent.Item] = []
        var lines = 0
        for (offset, item) in items.enumerated() where !item.isEmpty {
            lines += 1
            let number = String(offset + 1)
            let nameField = "item_\(number)_name"
            let quantityField = "item_\(number)_quantity"
            let name = DraftCheck.trimmed(item.name)
            var valid = true
            if name.isEmpty {
                problems.append(FieldProblem(field: nameField, code: "item_name.missing", values: ["number": number]))
                valid = false
            } else if name.count > PostingLimits.itemName {
                problems.append(
                    FieldProblem(
                        field: nameField, code: "item_name.too_long",
                        values: ["number": number, "max": String(PostingLimits.itemName)]))
                valid = false
            }
            let quantity = DraftCheck.wholeNumber(item.quantity)
            if item.quantity.isEmpty {
                problems.append(
                    FieldProblem(field: quantityField, code: "item_quantity.missing", values: ["number": number]))
                valid = false
            } else if let quantity, (1...PostingLimits.itemQuantity).contains(quantity) {
                if valid { result.append(ListingContent.Item(name: name, quantity: quantity)) }
            } else {
                problems.append(
                    FieldProblem(
                        field: quantityField, code: "item_quantity.invalid",
                        values: ["number": number, "max": String(PostingLimits.itemQuantity)]))
            }
        }
        if lines == 0 {
            problems.append(FieldProblem(field: "item_1_name", code: "items.missing"))
        } else if lines > PostingLimits.itemLines {
            problems.append(
                FieldProblem(
                    field: "item_1_name", code: "items.too_many", values: ["max": String(PostingLimits.itemLines)]))
        }
        return result
    }

    /// Digits with the usual separators, optionally a leading +: "05231 62-0", "+49 5231 620".
    static func isPhoneNumber(_ text: String) -> Bool {
        let digits = text.utf8.filter { (0x30...0x39).contains($0) }.count
        guard text.count <= PostingLimits.phone, (5...20).contains(digits) else { return false }
        return text.enumerated().allSatisfy { offset, character in
            character.isASCII
                && (character.isNumber || " /-().".contains(character) || (character == "+" && offset == 0))
        }
    }

    /// Every message code the rules can produce (each needs a string `posting.error.<code>`).
    public static let problemCodes: [String] = [
        "title.missing", "title.too_long", "description.missing", "description.too_long", "municipality.missing",
        "location.too_long", "address.too_long", "category.missing", "topics.missing", "topics.too_many",
        "commitment.missing", "one_off_date.missing", "one_off_date.invalid", "one_off_date.past",
        "hours_per_week.missing", "hours_per_week.invalid", "start_date.invalid", "end_date.invalid",
        "end_date.before_start", "end_date.past", "minimum_age.invalid", "german_level.invalid",
        "requirements.too_long", "insurance.too_long", "expense_allowance.too_long", "contact_name.too_long",
        "contact_phone.missing", "contact_phone.invalid", "languages.missing", "item_name.missing",
        "item_name.too_long", "item_quantity.missing", "item_quantity.invalid", "items.missing", "items.too_many",
        "dropoff.too_long", "condition.missing", "delivery.missing",
    ]
}

/// A checked listing, ready to be stored: typed values, kind-specific fields only where the kind uses them.
public struct ListingContent: Sendable, Equatable {
    public struct Item: Sendable, Hashable {
        public var name: String
        public var quantity: Int

        public init(name: String, quantity: Int) {
            self.name = name
            self.quantity = quantity
        }
    }

    public var kind: ListingKind
    public var title: String
    /// The text of the list cards, made from the description.
    public var summary: String
    public var description: String
    public var municipalityID: Int64
    public var locationText: String
    public var addressText: String
    public var topicIDs: [Int64]
    public var timeCommitment: TimeCommitment
    /// The day of a one-off commitment (start of that day in the county's time zone).
    public var oneOffAt: Date?
    public var hoursPerWeek: Int?
    /// First and last day (each the start of that day).
    public var startsAt: Date?
    public var endsAt: Date?
    public var minimumAge: Int?
    public var policeClearance: Bool
    public var germanLevel: GermanLevel
    public var barrierFree: Bool
    public var requirements: String
    public var insuranceText: String
    public var expenseAllowanceText: String
    public var contactName: String
    public var showPhone: Bool
    public var contactPhone: String
    public var contactLanguages: [String]
    public var items: [Item]
    public var dropoffText: String
    public var itemCondition: ItemCondition?
    public var delivery: DonationHandover?

    public init(
        kind: ListingKind, title: String, summary: String, description: String, municipalityID: Int64,
        locationText: String, addressText: String, topicIDs: [Int64], timeCommitment: TimeCommitment, oneOffAt: Date?,
        hoursPerWeek: Int?, startsAt: Date?, endsAt: Date?, minimumAge: Int?, policeClearance: Bool,
        germanLevel: GermanLevel, barrierFree: Bool, requirements: String, insuranceText: String,
        expenseAllowanceText: String, contactName: String, showPhone: Bool, contactPhone: String,
        contactLanguages: [String], items: [Item], dropoffText: String, itemCondition: ItemCondition?,
        delivery: DonationHandover?
    ) {
        self.kind = kind
        self.title = title
        self.summary = summary
        self.description = description
        self.municipalityID = municipalityID
        self.locationText = locationText
        self.addressText = addressText
        self.topicIDs = topicIDs
        self.timeCommitment = timeCommitment
        self.oneOffAt = oneOffAt
        self.hoursPerWeek = hoursPerWeek
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.minimumAge = minimumAge
        self.policeClearance = policeClearance
        self.germanLevel = germanLevel
        self.barrierFree = barrierFree
        self.requirements = requirements
        self.insuranceText = insuranceText
        self.expenseAllowanceText = expenseAllowanceText
        self.contactName = contactName
        self.showPhone = showPhone
        self.contactPhone = contactPhone
        self.contactLanguages = contactLanguages
        self.items = items
        self.dropoffText = dropoffText
        self.itemCondition = itemCondition
        self.delivery = delivery
    }
}

extension ListingKind {
    /// Volunteer listings say how much time they take.
    public var usesCommitment: Bool { !isDonation }
    /// Requirements (age, clearance, German, access) and practical information belong to volunteer needs.
    public var usesRequirements: Bool { self == .volunteerNeed }
    /// A resident offering their help does not publish an address.
    public var usesAddress: Bool { self != .volunteerOffer }
}
