/// The four kinds of listing on the exchange (see the glossary in docs/ARCHITECTURE.md).
public enum ListingKind: String, Sendable, CaseIterable, Codable {
    /// An organisation (or a person) seeks volunteers: "Engagement gesucht".
    case volunteerNeed = "volunteer_need"
    /// A resident offers time and skills: "Ich helfe mit".
    case volunteerOffer = "volunteer_offer"
    /// Items needed: "Sachspende gesucht".
    case donationNeed = "donation_need"
    /// Items offered: "Sachspende angeboten".
    case donationOffer = "donation_offer"

    /// Whether the listing is about things (Sachspenden) rather than people's time.
    public var isDonation: Bool { self == .donationNeed || self == .donationOffer }

    /// The taxonomy a listing of this kind is tagged with.
    public var topicKind: TopicKind { isDonation ? .donation : .volunteering }
}

/// Which taxonomy a topic belongs to.
public enum TopicKind: String, Sendable, CaseIterable, Codable {
    case volunteering
    case donation
}
