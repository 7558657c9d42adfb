import Domain
import Foundation

/// The demo texts, read from the JSON files in `Seeds/demo/`. Every German word of the demo data lives in those
/// files; the Swift code only picks, combines and dates them. Placeholders: `{ort}` is the municipality's name,
/// `{org}` the organisation's (or the county organiser's) name.
struct SeedContent: Sendable {
    var organisations: [OrganisationPattern]
    var volunteerNeeds: [ListingTemplate]
    var volunteerOffers: [ListingTemplate]
    var donationNeeds: [ListingTemplate]
    var donationOffers: [ListingTemplate]
    var events: EventsContent
    var people: PeopleContent
    var moderation: ModerationContent

    /// Reads and checks every file in `directory`.
    static func load(from directory: String) throws -> SeedContent {
        let content = SeedContent(
            organisations: try decode(OrganisationsFile.self, "organisations.json", in: directory).patterns,
            volunteerNeeds: try decode([ListingTemplate].self, "volunteer-needs.json", in: directory),
            volunteerOffers: try decode([ListingTemplate].self, "volunteer-offers.json", in: directory),
            donationNeeds: try decode([ListingTemplate].self, "donation-needs.json", in: directory),
            donationOffers: try decode([ListingTemplate].self, "donation-offers.json", in: directory),
            events: try decode(EventsContent.self, "events.json", in: directory),
            people: try decode(PeopleContent.self, "people.json", in: directory),
            moderation: try decode(ModerationContent.self, "moderation.json", in: directory))
        try content.validate()
        return content
    }

    /// The listing templates of one kind.
    func templates(for kind: ListingKind) -> [ListingTemplate] {
        switch kind {
        case .volunteerNeed: volunteerNeeds
        case .volunteerOffer: volunteerOffers
        case .donationNeed: donationNeeds
        case .donationOffer: donationOffers
        }
    }

    static func fileName(for kind: ListingKind) -> String {
        switch kind {
        case .volunteerNeed: "volunteer-needs.json"
        case .volunteerOffer: "volunteer-offers.json"
        case .donationNeed: "donation-needs.json"
        case .donationOffer: "donation-offers.json"
        }
    }

    private static func decode<T: Decodable>(_ type: T.Type, _ name: String, in directory: String) throws -> T {
        let path = (directory as NSString).appendingPathComponent(name)
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw SeedError.missingContent(file: path)
        }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        do {
            return try decoder.decode(type, from: data)
        } catch let error as DecodingError {
            throw SeedError.invalidContent(file: name, problem: Self.explain(error))
        }
    }

    private static func explain(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            context.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            return "\(path(context)): \(context.debugDescription)"
        case .keyNotFound(let key, let context):
            return "\(path(context)): missing key \(key.stringValue)"
        @unknown default:
            return "\(error)"
        }
    }
}

/// One kind of organisation that a municipality may have, e.g. "Tafel {ort} e.V.".
struct OrganisationPattern: Decodable, Sendable {
    /// Referred to by listing and event templates (`by`, `organisers`).
    var key: String
    /// Name variants; one is chosen per organisation.
    var names: [String]
    var legalForm: LegalForm
    var description: String
    /// Volunteering topic slugs.
    var topics: [String]
    /// Domain stem such as `tafel-{slug}`; the municipality slug replaces `{slug}` and `.example` is appended.
    var domain: String
    /// Only municipalities with at least this many inhabitants get one.
    var minPopulation: Int?
}

struct OrganisationsFile: Decodable, Sendable {
    var patterns: [OrganisationPattern]
}

/// Who writes an offer: the texts are in the first person, so the poster's first name must fit.
enum PosterGender: String, Decodable, Sendable {
    case female, male
}

/// A template for one of the four listing kinds; fields that do not apply to a kind are left out of the JSON.
struct ListingTemplate: Decodable, Sendable {
    var title: String
    var summary: String
    var description: String
    /// Topic slugs of the kind's taxonomy.
    var topics: [String]
    /// Organisation pattern keys that post this; empty: posted by a resident.
    var by: [String]?
    /// Tag the listing with the posting organisation's topics instead (for club chores like a treasurer).
    var organisationTopics: Bool?
    var poster: PosterGender?
    /// First names that fit the poster's story (e.g. someone who came from Kyiv); default: the general lists.
    var posterNames: [String]?
    var requirements: String?
    var schedule: String?
    var timeCommitment: TimeCommitment?
    var hoursPerMonth: Int?
    var germanLevel: GermanLevel?
    /// Contact language sets such as `de,ar`; one is chosen. Absent: the usual mix.
    var languages: [String]?
    var quantity: String?
    var condition: ItemCondition?
    var pickup: String?
    var location: String?
    /// How often this template is drawn relative to the others (default 1).
    var weight: Int?
}

/// The event templates and the county's own organiser data.
struct EventsContent: Decodable, Sendable {
    var countyOrganiser: String
    var countyEmail: String
    var templates: [EventTemplate]
}

struct EventTemplate: Decodable, Sendable {
    var title: String
    var summary: String
    var description: String
    var eventType: EventType
    var topics: [String]
    /// `county` or organisation pattern keys.
    var organisers: [String]
    /// Venue keys from people.json, or `organisation` for the organiser's own address.
    var venues: [String]
    /// Local start hours (Europe/Berlin).
    var hours: [Int]
    var minute: Int?
    var durationMinutes: [Int]
    /// Calendar weekdays (1 = Sunday … 7 = Saturday); default Monday to Friday.
    var weekdays: [Int]?
    var registrationRequired: Bool
    var cost: String
    var weight: Int?
}

/// Names, streets, venues and local numbers used to make people and addresses up.
struct PeopleContent: Decodable, Sendable {
    var femaleFirstNames: [String]
    var maleFirstNames: [String]
    var lastNames: [String]
    var salutationFemale: String
    var salutationMale: String
    var streets: [String]
    var residentEmailDomains: [String]
    var defaultAreaCode: String
    var places: [Place]
    var venues: [Venue]

    /// Postal and dialling codes of a municipality, by slug.
    struct Place: Decodable, Sendable {
        var slug: String
        var postalCode: String
        var areaCode: String
    }

    /// A meeting place; `{ort}` in the name becomes the municipality's name.
    struct Venue: Decodable, Sendable {
        var key: String
        var name: String
        var street: String
        /// Held in the largest municipality (the county seat in the shipped regions), e.g. the Kreishaus.
        var largestTown: Bool?
        /// Only in municipalities up to this size (a Dorfgemeinschaftshaus is a village's).
        var maxPopulation: Int?
    }
}

/// Reasons staff give when they turn something down.
struct ModerationContent: Decodable, Sendable {
    var organisationRejections: [String]
    var listingRejections: [String]
    var eventRejections: [String]
}
