/// A small seedable generator (SplitMix64, Steele, Lea & Flood 2014), so that the demo data is the same on every
/// machine and every run for the same seed.
///
/// The helpers below are used instead of the standard library's `random(in:using:)`, whose way of turning bits into
/// numbers is not promised to stay the same between Swift releases.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A number in `range`; the modulo bias is far below anything demo data could show.
    mutating func int(_ range: ClosedRange<Int>) -> Int {
        let span = UInt64(range.upperBound - range.lowerBound) + 1
        return range.lowerBound + Int(next() % span)
    }

    /// A number in `range` as Unix seconds.
    mutating func seconds(_ range: ClosedRange<Int64>) -> Int64 {
        let span = UInt64(range.upperBound - range.lowerBound) + 1
        return range.lowerBound + Int64(next() % span)
    }

    /// A number in 0..<1 with 53 random bits.
    mutating func unit() -> Double {
        Double(next() >> 11) / Double(UInt64(1) << 53)
    }

    /// True with the given probability.
    mutating func chance(_ probability: Double) -> Bool {
        unit() < probability
    }

    /// One element of a non-empty array.
    mutating func element<T>(_ array: [T]) -> T {
        precondition(!array.isEmpty, "element(_:) needs a non-empty array")
        return array[int(0...array.count - 1)]
    }

    /// The index of one weight, chosen in proportion to the weights (all ≥ 0, at least one > 0).
    mutating func weightedIndex(_ weights: [Int]) -> Int {
        let total = weights.reduce(0, +)
        precondition(total > 0, "weightedIndex(_:) needs a positive weight")
        var remaining = int(0...total - 1)
        for (index, weight) in weights.enumerated() {
            if remaining < weight { return index }
            remaining -= weight
        }
        return weights.count - 1
    }

    /// Fisher–Yates, driven by this generator only.
    mutating func shuffle<T>(_ array: inout [T]) {
        guard array.count > 1 else { return }
        for index in stride(from: array.count - 1, to: 0, by: -1) {
            array.swapAt(index, int(0...index))
        }
    }

    /// A shuffled copy.
    mutating func shuffled<T>(_ array: [T]) -> [T] {
        var copy = array
        shuffle(&copy)
        return copy
    }
}

/// Hands out template indices so that every template is used about as often as its weight says before any is
/// used again (a shuffled bag, refilled when empty), which keeps the demo data varied.
struct TemplateBag {
    private let weights: [Int]
    private var bag: [Int] = []

    init(weights: [Int]) {
        self.weights = weights
    }

    mutating func next(using generator: inout SplitMix64) -> Int {
        if bag.isEmpty {
            for (index, weight) in weights.enumerated() {
                bag.append(contentsOf: repeatElement(index, count: max(weight, 0)))
            }
            precondition(!bag.isEmpty, "TemplateBag needs at least one template with a positive weight")
            generator.shuffle(&bag)
        }
        return bag.removeLast()
    }
}
