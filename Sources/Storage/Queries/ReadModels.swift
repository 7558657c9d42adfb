import Domain
import Foundation

/// A municipality or topic as shown next to a listing: enough to print and link it.
public struct Label: Sendable, Hashable {
    public var slug: String
    public var name: String

    public init(slug: String, name: String) {
        self.slug = slug
        self.name = name
    }
}

/// A listing as a card in a list: what a resident needs to decide whether to open it.
public struct ListingSummary: Sendable, Hashable {
    public var id: Int64
    public var kind: ListingKind
    public var title: String
    public var summary: String
    public var municipality: Label
    public var organisationID: Int64?
    public var organisationName: String?
    public var posterName: String
    public var timeCommitment: TimeCommitment
    public var germanLevel: GermanLevel
    public var itemCondition: ItemCondition?
    public var publishedAt: Date
    public var topics: [Label]
}

/// A listing with everything its detail page shows.
public struct ListingDetail: Sendable, Hashable {
    public var listing: Listing
    public var municipality: Label
    public var organisationName: String?
    public var topics: [Label]
    /// The fields posters fill in since accounts exist (schema 0003).
    public var posting = ListingPostingFields()
}

/// A listing's fields beyond `Listing`: requirements, practical information, items, picture.
public struct ListingPostingFields: Sendable, Hashable {
    /// One line of a donation need.
    public struct Item: Sendable, Hashable {
        public var name: String
        public var quantity: Int
    }

    public var addressText = ""
    public var oneOffAt: Date?
    public var hoursPerWeek: Int?
    public var startsAt: Date?
    public var endsAt: Date?
    public var minimumAge: Int?
    public var policeClearance = false
    public var barrierFree = false
    public var insuranceText = ""
    public var expenseAllowanceText = ""
    /// The phone number is shown only when the poster chose so.
    public var showPhone = false
    public var dropoffText = ""
    public var delivery: DonationHandover?
    /// The stored name of the picture (see the `images` table).
    public var imageName: String?
    public var items: [Item] = []
}

/// An event as a row in a list.
public struct EventSummary: Sendable, Hashable {
    public var id: Int64
    public var title: String
    public var summary: String
    public var eventType: EventType
    public var municipality: Label
    public var venue: String
    public var organisationID: Int64?
    public var organiserName: String
    public var startsAt: Date
    public var endsAt: Date?
    public var topics: [Label]
}

/// An event with everything its detail page shows.
public struct EventDetail: Sendable, Hashable {
    public var event: Event
    public var municipality: Label
    public var organisationName: String?
    public var topics: [Label]
    /// How to register (when registration is required).
    public var registrationText = ""
    /// The stored name of the picture.
    public var imageName: String?
}

/// An organisation as an entry in the directory.
public struct OrganisationSummary: Sendable, Hashable {
    public var id: Int64
    public var name: String
    public var legalForm: LegalForm
    public var description: String
    public var municipality: Label
    public var topics: [Label]
    public var openListingCount: Int
}

/// An organisation with everything its page shows.
public struct OrganisationDetail: Sendable, Hashable {
    public var organisation: Organisation
    public var municipality: Label
    public var topics: [Label]
}

/// One page of results and the total number of matches.
public struct Page<Item: Sendable & Hashable>: Sendable, Hashable {
    public var items: [Item]
    public var totalCount: Int
    public var pageNumber: Int
    public var pageSize: Int

    public var pageCount: Int { max(1, (totalCount + pageSize - 1) / pageSize) }
}

/// The filters every list page shares: municipalities and topics by slug, each a union, combined with AND.
public struct ListFilter: Sendable, Hashable {
    public var municipalitySlugs: [String]
    public var topicSlugs: [String]
    /// Only listings that need little German (level "any" or "basic"); applies to listings only.
    public var littleGermanOnly: Bool

    public init(municipalitySlugs: [String] = [], topicSlugs: [String] = [], littleGermanOnly: Bool = false) {
        self.municipalitySlugs = municipalitySlugs
        self.topicSlugs = topicSlugs
        self.littleGermanOnly = littleGermanOnly
    }
}
