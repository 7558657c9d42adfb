import Domain
import Matching
import Testing

@Suite("Distances between municipalities")
struct DistanceTests {
    let detmold = Municipality(
        id: 1, slug: "detmold", name: "Detmold", latitude: 51.938, longitude: 8.879, population: 0)
    let lemgo = Municipality(id: 2, slug: "lemgo", name: "Lemgo", latitude: 52.028, longitude: 8.902, population: 0)
    let luegde = Municipality(id: 3, slug: "luegde", name: "Lügde", latitude: 51.958, longitude: 9.247, population: 0)

    @Test("Detmold to Lemgo is about 10 km")
    func knownDistance() {
        let km = Distance.kilometres(from: detmold, to: lemgo)
        #expect(km > 9.5 && km < 10.6)
    }

    @Test("distance is symmetric and zero to itself")
    func symmetry() {
        #expect(Distance.kilometres(from: detmold, to: luegde) == Distance.kilometres(from: luegde, to: detmold))
        #expect(Distance.kilometres(from: lemgo, to: lemgo) == 0)
    }

    @Test("neighbours are within the radius, nearest first, without the place itself")
    func neighbours() {
        let result = Distance.neighbours(of: detmold, among: [detmold, lemgo, luegde], within: 15)
        #expect(result.map(\.municipality.slug) == ["lemgo"])
        let wide = Distance.neighbours(of: detmold, among: [luegde, lemgo, detmold], within: 50)
        #expect(wide.map(\.municipality.slug) == ["lemgo", "luegde"])
    }
}
