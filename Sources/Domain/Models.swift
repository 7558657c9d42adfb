import Foundation

/// A town or municipality of the county, from the region file.
public struct Municipality: Sendable, Hashable, Codable {
    public var id: Int64
    public var slug: String
    public var name: String
    public var latitude: Double
    public var longitude: Double
    public var population: Int

    public init(id: Int64, slug: String, name: String, latitude: Double, longitude: Double, population: Int) {
        self.id = id
        self.slug = slug
        self.name = name
        self.latitude = latitude
        self.longitude = longitude
        self.population = population
    }
}

/// A Themenfeld or donation category.
public struct Topic: Sendable, Hashable, Codable {
    public var id: Int64
    public var slug: String
    public var kind: TopicKind
    public var name: String
    /// Inactive topics are no longer offered for choosing, but stay on the items that have them.
    public var isActive: Bool

    public init(id: Int64, slug: String, kind: TopicKind, name: String, isActive: Bool = true) {
        self.id = id
        self.slug = slug
        self.kind = kind
        self.name = name
        self.isActive = isActive
    }
}

/// A club or body that posts needs and events.
public struct Organisation: Sendable, Hashable {
    public var id: Int64
    public var name: String
    public var legalForm: LegalForm
    public var description: String
    public var municipalityID: Int64
    public var street: String
    public var postalCode: String
    public var contactName: String
    public var email: String
    public var phone: String
    public var website: String
    public var state: OrganisationState
    public var topicIDs: [Int64]

    public init(
        id: Int64, name: String, legalForm: LegalForm, description: String, municipalityID: Int64,
        street: String, postalCode: String, contactName: String, email: String, phone: String, website: String,
        state: OrganisationState, topicIDs: [Int64]
    ) {
        self.id = id
        self.name = name
        self.legalForm = legalForm
        self.description = description
        self.municipalityID = municipalityID
        self.street = street
        self.postalCode = postalCode
        self.contactName = contactName
        self.email = email
        self.phone = phone
        self.website = website
        self.state = state
        self.topicIDs = topicIDs
    }
}

/// A volunteer need or offer, or a donation need or offer.
public struct Listing: Sendable, Hashable {
    public var id: Int64
    public var kind: ListingKind
    public var title: String
    public var summary: String
    public var description: String
    public var organisationID: Int64?
    public var posterName: String
    public var municipalityID: Int64
    public var locationText: String
    public var timeCommitment: TimeCommitment
    public var hoursPerMonth: Int?
    public var scheduleText: String
    public var requirements: String
    public var germanLevel: GermanLevel
    public var contactLanguages: [String]
    public var quantity: String
    public var itemCondition: ItemCondition?
    public var pickupText: String
    public var contactName: String
    public var contactEmail: String
    public var contactPhone: String
    public var state: PublicationState
    public var publishedAt: Date?
    public var expiresAt: Date?
    public var topicIDs: [Int64]

    public init(
        id: Int64, kind: ListingKind, title: String, summary: String, description: String,
        organisationID: Int64?, posterName: String, municipalityID: Int64, locationText: String,
        timeCommitment: TimeCommitment, hoursPerMonth: Int?, scheduleText: String, requirements: String,
        germanLevel: GermanLevel, contactLanguages: [String], quantity: String, itemCondition: ItemCondition?,
        pickupText: String, contactName: String, contactEmail: String, contactPhone: String,
        state: PublicationState, publishedAt: Date?, expiresAt: Date?, topicIDs: [Int64]
    ) {
        self.id = id
        self.kind = kind
        self.title = title
        self.summary = summary
        self.description = description
        self.organisationID = organisationID
        self.posterName = posterName
        self.municipalityID = municipalityID
        self.locationText = locationText
        self.timeCommitment = timeCommitment
        self.hoursPerMonth = hoursPerMonth
        self.scheduleText = scheduleText
        self.requirements = requirements
        self.germanLevel = germanLevel
        self.contactLanguages = contactLanguages
        self.quantity = quantity
        self.itemCondition = itemCondition
        self.pickupText = pickupText
        self.contactName = contactName
        self.contactEmail = contactEmail
        self.contactPhone = contactPhone
        self.state = state
        self.publishedAt = publishedAt
        self.expiresAt = expiresAt
        self.topicIDs = topicIDs
    }
}

/// A dated event: a training, an info evening, the Forum Ehrenamt.
public struct Event: Sendable, Hashable {
    public var id: Int64
    public var title: String
    public var summary: String
    public var description: String
    public var eventType: EventType
    public var organisationID: Int64?
    public var organiserName: String
    public var municipalityID: Int64
    public var venue: String
    public var address: String
    public var startsAt: Date
    public var endsAt: Date?
    public var registrationRequired: Bool
    public var costText: String
    public var contactEmail: String
    public var state: PublicationState
    public var topicIDs: [Int64]

    public init(
        id: Int64, title: String, summary: String, description: String, eventType: EventType,
        organisationID: Int64?, organiserName: String, municipalityID: Int64, venue: String, address: String,
        startsAt: Date, endsAt: Date?, registrationRequired: Bool, costText: String, contactEmail: String,
        state: PublicationState, topicIDs: [Int64]
    ) {
        self.id = id
        self.title = title
        self.summary = summary
        self.description = description
        self.eventType = eventType
        self.organisationID = organisationID
        self.organiserName = organiserName
        self.municipalityID = municipalityID
        self.venue = venue
        self.address = address
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.registrationRequired = registrationRequired
        self.costText = costText
        self.contactEmail = contactEmail
        self.state = state
        self.topicIDs = topicIDs
    }
}
