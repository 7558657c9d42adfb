import Foundation

/// For the equivalence test: a `Views` made while `Views.$comparison` holds one of these renders every
/// page with both engines, serves swift-mustache's output and records where the two differ.
final class EngineComparison: @unchecked Sendable {
    struct Difference: CustomStringConvertible {
        let template: String
        let language: String
        /// The first differing byte offset.
        let offset: Int
        let swiftMustache: String
        let own: String

        var description: String {
            "\(template) [\(language)] differs at byte \(offset):\n  swift-mustache: \(swiftMustache.debugDescription)"
                + "\n  own:            \(own.debugDescription)"
        }
    }

    private let lock = NSLock()
    private var differences: [Difference] = []
    private var renders: [String: Int] = [:]

    var recordedDifferences: [Difference] { lock.withLock { differences } }
    /// How many pages were compared, by template name.
    var renderedTemplates: [String: Int] { lock.withLock { renders } }

    func compare(template: String, language: String, swiftMustache: [UInt8], own: [UInt8]) {
        let common = min(swiftMustache.count, own.count)
        let offset = (0..<common).first { swiftMustache[$0] != own[$0] } ?? common
        lock.withLock {
            renders[template, default: 0] += 1
            guard swiftMustache != own else { return }
            func around(_ bytes: [UInt8]) -> String {
                String(decoding: bytes[max(0, offset - 40)..<min(bytes.count, offset + 40)], as: UTF8.self)
            }
            differences.append(
                Difference(
                    template: template, language: language, offset: offset, swiftMustache: around(swiftMustache),
                    own: around(own)))
        }
    }
}
