import Domain
import Foundation
import GRDB

/// A municipality as the seeders need it.
struct SeedMunicipality {
    var id: Int64
    var slug: String
    var name: String
    var population: Int
}

/// A made-up person: contact persons get their full name, residents who post appear as "Renate K.".
struct SeedPerson {
    var firstName: String
    var lastName: String
    var isFemale: Bool
}

/// What every generator needs: the region from the database, the checked content, the clock and the made-up
/// people and addresses.
struct SeedContext {
    let municipalities: [SeedMunicipality]
    let content: SeedContent
    let now: Int64
    let calendar: Calendar
    private let topicsBySlug: [String: Int64]
    private let placesBySlug: [String: PeopleContent.Place]

    static let day: Int64 = 86_400

    /// Reads municipalities (ordered by slug, so any region works the same way) and topics, and checks that every
    /// topic slug in the content exists in the taxonomy it belongs to.
    init(db: Database, content: SeedContent, now: Date) throws {
        municipalities = try Row.fetchAll(
            db, sql: "SELECT id, slug, name, population FROM municipalities ORDER BY slug"
        ).map { row in
            SeedMunicipality(id: row["id"], slug: row["slug"], name: row["name"], population: row["population"])
        }
        guard !municipalities.isEmpty else { throw SeedError.noMunicipalities }
        var topics: [String: (id: Int64, kind: String)] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT id, slug, kind FROM topics") {
            topics[row["slug"]] = (row["id"], row["kind"])
        }
        func check(_ slugs: [String], _ kind: TopicKind, _ file: String) throws {
            for slug in slugs where topics[slug]?.kind != kind.rawValue {
                throw SeedError.invalidContent(file: file, problem: "\(slug) is not a \(kind.rawValue) topic")
            }
        }
        for pattern in content.organisations {
            try check(pattern.topics, .volunteering, "organisations.json")
        }
        for kind in ListingKind.allCases {
            for template in content.templates(for: kind) {
                try check(template.topics, kind.topicKind, SeedContent.fileName(for: kind))
            }
        }
        for template in content.events.templates {
            try check(template.topics, .volunteering, "events.json")
        }
        topicsBySlug = topics.mapValues(\.id)
        var places: [String: PeopleContent.Place] = [:]
        for place in content.people.places {
            places[place.slug] = place
        }
        placesBySlug = places
        self.content = content
        self.now = Int64(now.timeIntervalSince1970.rounded(.down))
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Europe/Berlin") ?? TimeZone(secondsFromGMT: 3600) ?? .current
        self.calendar = calendar
    }

    /// Topic ids for slugs that `init` has checked.
    func topicIDs(_ slugs: [String]) -> [Int64] {
        var seen = Set<Int64>()
        return slugs.compactMap { topicsBySlug[$0] }.filter { seen.insert($0).inserted }
    }

    /// `{ort}` and `{org}` replaced.
    func fill(_ text: String, municipality: SeedMunicipality, organisation: String = "") -> String {
        Self.substitute(text, [("{ort}", municipality.name), ("{org}", organisation)])
    }

    /// Replaces placeholders in one pass, in plain Swift: Foundation's `replacingOccurrences` made the scale
    /// seeder spend most of its time in string bridging.
    static func substitute(_ text: String, _ replacements: [(placeholder: String, value: String)]) -> String {
        guard text.utf8.contains(UInt8(ascii: "{")) else { return text }
        var result = ""
        var rest = Substring(text)
        while let brace = rest.firstIndex(of: "{") {
            result += rest[..<brace]
            let tail = rest[brace...]
            if let match = replacements.first(where: { tail.hasPrefix($0.placeholder) }) {
                result += match.value
                rest = tail.dropFirst(match.placeholder.count)
            } else {
                result += "{"
                rest = tail.dropFirst()
            }
        }
        result += rest
        return result
    }

    func postalCode(_ municipality: SeedMunicipality) -> String {
        placesBySlug[municipality.slug]?.postalCode ?? ""
    }

    /// A phone number from the fictional 555 range of the municipality's dialling code.
    func phone(_ municipality: SeedMunicipality, using generator: inout SplitMix64) -> String {
        let areaCode = placesBySlug[municipality.slug]?.areaCode ?? content.people.defaultAreaCode
        return "\(areaCode) 555\(generator.int(100...999))"
    }

    func person(female: Bool? = nil, using generator: inout SplitMix64) -> SeedPerson {
        let isFemale = female ?? generator.chance(0.55)
        let people = content.people
        return SeedPerson(
            firstName: generator.element(isFemale ? people.femaleFirstNames : people.maleFirstNames),
            lastName: generator.element(people.lastNames), isFemale: isFemale)
    }

    /// "Frau Sabine Krüger".
    func contactName(_ person: SeedPerson) -> String {
        let salutation = person.isFemale ? content.people.salutationFemale : content.people.salutationMale
        return "\(salutation) \(person.firstName) \(person.lastName)"
    }

    /// "Renate K.".
    func shortName(_ person: SeedPerson) -> String {
        "\(person.firstName) \(person.lastName.prefix(1))."
    }

    /// A resident's address at one of the fictional `.example` mail domains.
    func residentEmail(_ person: SeedPerson, using generator: inout SplitMix64) -> String {
        let local = Self.ascii(person.firstName) + "." + Self.ascii(String(person.lastName.prefix(1)))
        return "\(local)\(generator.int(1...99))@\(generator.element(content.people.residentEmailDomains))"
    }

    /// "Lange Straße 12".
    func street(using generator: inout SplitMix64) -> String {
        "\(generator.element(content.people.streets)) \(generator.int(1...84))"
    }

    /// Lower-case ASCII for mail addresses: umlauts spelt out, anything else outside a–z and 0–9 dropped.
    static func ascii(_ text: String) -> String {
        var result = ""
        for character in text.lowercased() {
            switch character {
            case "ä": result += "ae"
            case "ö": result += "oe"
            case "ü": result += "ue"
            case "ß": result += "ss"
            case "é", "è", "ê": result += "e"
            case "á", "à", "â": result += "a"
            case "ç", "č": result += "c"
            case "ş", "š", "ś": result += "s"
            case "ğ": result += "g"
            case "ı", "í", "î": result += "i"
            case "ó", "ô": result += "o"
            default:
                if character.isASCII, character.isLetter || character.isNumber { result.append(character) }
            }
        }
        return result
    }

    /// Weights that favour bigger towns without leaving small ones out.
    var municipalityWeights: [Int] {
        municipalities.map { $0.population / 100 + 80 }
    }
}
