import Foundation

/// One row of a region file (`Regions/<name>.csv`): a municipality before it has a database id.
public struct RegionMunicipality: Sendable, Hashable {
    public var slug: String
    public var name: String
    public var latitude: Double
    public var longitude: Double
    public var population: Int
}

/// Reads the region CSV format `slug,name,lat,lon,population_approx` (header row required).
public enum RegionFile {
    public enum ParseError: Error, Equatable, CustomStringConvertible {
        case missingHeader
        case badRow(line: Int)
        case duplicateSlug(String)
        case empty

        public var description: String {
            switch self {
            case .missingHeader: "region file: first line must be slug,name,lat,lon,population_approx"
            case .badRow(let line): "region file: line \(line) is not slug,name,lat,lon,population"
            case .duplicateSlug(let slug): "region file: slug \(slug) appears twice"
            case .empty: "region file: no municipalities"
            }
        }
    }

    public static func parse(_ text: String) throws -> [RegionMunicipality] {
        var lines = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
        lines.removeAll { $0.isEmpty }
        guard let header = lines.first, header.hasPrefix("slug,name,lat,lon") else { throw ParseError.missingHeader }
        var seen = Set<String>()
        var result: [RegionMunicipality] = []
        for (offset, line) in lines.dropFirst().enumerated() {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard fields.count == 5, isSlug(fields[0]), !fields[1].isEmpty,
                let lat = Double(fields[2]), let lon = Double(fields[3]), let population = Int(fields[4]),
                (-90...90).contains(lat), (-180...180).contains(lon)
            else { throw ParseError.badRow(line: offset + 2) }
            guard seen.insert(fields[0]).inserted else { throw ParseError.duplicateSlug(fields[0]) }
            result.append(
                RegionMunicipality(
                    slug: fields[0], name: fields[1], latitude: lat, longitude: lon, population: population))
        }
        guard !result.isEmpty else { throw ParseError.empty }
        return result
    }

    static func isSlug(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.allSatisfy { (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == 0x2D }
    }
}
