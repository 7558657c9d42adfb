import Domain
import Foundation

/// Great-circle distances between municipalities, for "nearby" lists and distance-based matching.
public enum Distance {
    static let earthRadiusKilometres = 6371.0

    /// The haversine distance in kilometres between two WGS84 points.
    public static func kilometres(
        fromLatitude lat1: Double, longitude lon1: Double, toLatitude lat2: Double, longitude lon2: Double
    ) -> Double {
        let radians = Double.pi / 180
        let dLat = (lat2 - lat1) * radians
        let dLon = (lon2 - lon1) * radians
        let a =
            sin(dLat / 2) * sin(dLat / 2)
            + cos(lat1 * radians) * cos(lat2 * radians) * sin(dLon / 2) * sin(dLon / 2)
        return 2 * earthRadiusKilometres * atan2(a.squareRoot(), (1 - a).squareRoot())
    }

    /// The distance in kilometres between two municipalities' centres.
    public static func kilometres(from a: Municipality, to b: Municipality) -> Double {
        kilometres(fromLatitude: a.latitude, longitude: a.longitude, toLatitude: b.latitude, longitude: b.longitude)
    }

    /// The other municipalities whose centres lie within `radius` kilometres, nearest first
    /// (ties broken by name so the order is stable).
    public static func neighbours(
        of municipality: Municipality, among all: [Municipality], within radius: Double
    ) -> [(municipality: Municipality, kilometres: Double)] {
        all.lazy
            .filter { $0.id != municipality.id }
            .map { (municipality: $0, kilometres: kilometres(from: municipality, to: $0)) }
            .filter { $0.kilometres <= radius }
            .sorted { ($0.kilometres, $0.municipality.name) < ($1.kilometres, $1.municipality.name) }
    }
}
