/// Why demo or benchmark data could not be seeded. Nothing is written when one of these is thrown.
public enum SeedError: Error, Equatable, CustomStringConvertible {
    /// The demo seed only fills a database without organisations, listings and events.
    case databaseNotEmpty(organisations: Int, listings: Int, events: Int)
    /// The region has not been loaded yet.
    case noMunicipalities
    /// A content file is missing or unreadable.
    case missingContent(file: String)
    /// A content file does not have the expected shape or refers to something unknown.
    case invalidContent(file: String, problem: String)

    public var description: String {
        switch self {
        case .databaseNotEmpty(let organisations, let listings, let events):
            "demo seed refused: the database already holds \(organisations) organisations, \(listings) listings "
                + "and \(events) events (seed an empty database, or use --if-empty)"
        case .noMunicipalities:
            "seed refused: the municipalities table is empty (load a region file first)"
        case .missingContent(let file):
            "seed content file not found or unreadable: \(file)"
        case .invalidContent(let file, let problem):
            "seed content file \(file) is invalid: \(problem)"
        }
    }
}
