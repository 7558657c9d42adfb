/// How much time a volunteer listing asks for.
public enum TimeCommitment: String, Sendable, CaseIterable, Codable {
    case once, occasional, monthly, weekly, flexible
}

/// The German needed to take part; "any" means little German is enough.
public enum GermanLevel: String, Sendable, CaseIterable, Codable {
    case any, basic, good, fluent
}

/// The condition of donated items.
public enum ItemCondition: String, Sendable, CaseIterable, Codable {
    case new, good, used
}

/// What kind of event it is.
public enum EventType: String, Sendable, CaseIterable, Codable {
    case training
    case infoEvening = "info_evening"
    case forum, meeting, other
}

/// The legal form of an organisation.
public enum LegalForm: String, Sendable, CaseIterable, Codable {
    case association
    case foundation
    case charityCompany = "charity_company"
    case church, initiative
    case publicBody = "public_body"
    case other
}

/// Account roles; a person may additionally belong to organisations.
public enum Role: String, Sendable, CaseIterable, Codable {
    case resident
    case organisationMember = "organisation_member"
    case staff, admin
}
