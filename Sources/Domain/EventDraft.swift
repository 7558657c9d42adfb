import Foundation

/// An event as its organiser typed it into the form, before it is checked (see `ListingDraft`).
public struct EventDraft: Sendable, Equatable {
    public var title = ""
    public var description = ""
    public var eventType = ""
    /// The day, `TT.MM.JJJJ`.
    public var date = ""
    /// `HH:MM`; the end is optional and on the same day.
    public var startTime = ""
    public var endTime = ""
    public var municipalityID: Int64?
    public var venue = ""
    public var address = ""
    public var registrationRequired = false
    public var registrationText = ""
    public var costText = ""
    public var topicIDs: [Int64] = []

    public init() {}

    public enum Outcome: Sendable, Equatable {
        case valid(EventContent)
        case invalid([FieldProblem])
    }

    /// Checks every rule; a new event may not start in the past.
    public func validate(isNew: Bool, now: Date, calendar: Calendar) -> Outcome {
        var problems: [FieldProblem] = []
        let title = DraftCheck.trimmed(self.title)
        let description = DraftCheck.trimmed(self.description)
        DraftCheck.text(title, field: "title", limit: PostingLimits.title, required: true, into: &problems)
        DraftCheck.text(
            description, field: "description", limit: PostingLimits.description, required: true, into: &problems)
        let type = EventType(rawValue: eventType)
        if type == nil { problems.append(FieldProblem(field: "event_type", code: "event_type.missing")) }

        var day: Date?
        if date.isEmpty {
            problems.append(FieldProblem(field: "date", code: "date.missing"))
        } else {
            day = GermanDateText.day(date, in: calendar)
            if day == nil { problems.append(FieldProblem(field: "date", code: "date.invalid")) }
        }
        let start = time(startTime, field: "start_time", required: true, &problems)
        let end = time(endTime, field: "end_time", required: false, &problems)
        var startsAt: Date?
        var endsAt: Date?
        if let day, let start {
            startsAt = GermanDateText.moment(day: day, hour: start.hour, minute: start.minute, in: calendar)
            if startsAt == nil { problems.append(FieldProblem(field: "start_time", code: "start_time.skipped")) }
        }
        if let day, let end {
            endsAt = GermanDateText.moment(day: day, hour: end.hour, minute: end.minute, in: calendar)
            if endsAt == nil { problems.append(FieldProblem(field: "end_time", code: "end_time.skipped")) }
        }
        if let startsAt, let endsAt, endsAt <= startsAt {
            problems.append(FieldProblem(field: "end_time", code: "end_time.before_start"))
        }
        if isNew, let startsAt, startsAt < now {
            problems.append(FieldProblem(field: "date", code: "date.past"))
        }

        if municipalityID == nil { problems.append(FieldProblem(field: "municipality", code: "municipality.missing")) }
        DraftCheck.text(venue, field: "venue", limit: PostingLimits.venue, required: false, into: &problems)
        DraftCheck.text(address, field: "address", limit: PostingLimits.address, required: false, into: &problems)
        DraftCheck.text(
            registrationText, field: "registration_text", limit: PostingLimits.registration,
            required: registrationRequired, into: &problems)
        DraftCheck.text(costText, field: "cost", limit: PostingLimits.cost, required: false, into: &problems)
        var seen = Set<Int64>()
        let topics = topicIDs.filter { seen.insert($0).inserted }
        if topics.count > PostingLimits.topics {
            problems.append(
                FieldProblem(field: "topics", code: "topics.too_many", values: ["max": String(PostingLimits.topics)]))
        }

        guard problems.isEmpty, let type, let startsAt, let municipalityID else { return .invalid(problems) }
        return .valid(
            EventContent(
                title: title, summary: PostingSummary.make(from: description), description: description,
                eventType: type, municipalityID: municipalityID, venue: venue, address: address, startsAt: startsAt,
                endsAt: endsAt, registrationRequired: registrationRequired, registrationText: registrationText,
                costText: costText, topicIDs: topics))
    }

    private func time(_ text: String, field: String, required: Bool, _ problems: inout [FieldProblem]) -> (
        hour: Int, minute: Int
    )? {
        if text.isEmpty {
            if required { problems.append(FieldProblem(field: field, code: "\(field).missing")) }
            return nil
        }
        guard let time = GermanDateText.time(text) else {
            problems.append(FieldProblem(field: field, code: "\(field).invalid"))
            return nil
        }
        return time
    }

    /// Every message code the rules can produce (each needs a string `posting.error.<code>`).
    public static let problemCodes: [String] = [
        "title.missing", "title.too_long", "description.missing", "description.too_long", "event_type.missing",
        "date.missing", "date.invalid", "date.past", "start_time.missing", "start_time.invalid", "start_time.skipped",
        "end_time.invalid", "end_time.skipped", "end_time.before_start", "municipality.missing", "venue.too_long",
        "address.too_long", "registration_text.missing", "registration_text.too_long", "cost.too_long",
        "topics.too_many",
    ]
}

/// A checked event, ready to be stored.
public struct EventContent: Sendable, Equatable {
    public var title: String
    public var summary: String
    public var description: String
    public var eventType: EventType
    public var municipalityID: Int64
    public var venue: String
    public var address: String
    public var startsAt: Date
    public var endsAt: Date?
    public var registrationRequired: Bool
    public var registrationText: String
    public var costText: String
    public var topicIDs: [Int64]

    public init(
        title: String, summary: String, description: String, eventType: EventType, municipalityID: Int64,
        venue: String, address: String, startsAt: Date, endsAt: Date?, registrationRequired: Bool,
        registrationText: String, costText: String, topicIDs: [Int64]
    ) {
        self.title = title
        self.summary = summary
        self.description = description
        self.eventType = eventType
        self.municipalityID = municipalityID
        self.venue = venue
        self.address = address
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.registrationRequired = registrationRequired
        self.registrationText = registrationText
        self.costText = costText
        self.topicIDs = topicIDs
    }
}
