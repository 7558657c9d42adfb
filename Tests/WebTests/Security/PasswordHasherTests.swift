import Foundation
import Testing

@testable import Web

@Suite("PasswordHasher")
struct PasswordHasherTests {
    let hasher = PasswordHasher()

    @Test("a hash verifies its own password and no other")
    func hashThenVerify() throws {
        let hash = try hasher.hash("Lindenblüte am Hermannsdenkmal")
        #expect(try hasher.verify("Lindenblüte am Hermannsdenkmal", against: hash))
        #expect(try hasher.verify("Lindenblüte am Hermannsdenkmal ", against: hash) == false)
        #expect(try hasher.verify("lindenblüte am hermannsdenkmal", against: hash) == false)
        #expect(try hasher.verify("", against: hash) == false)
    }

    @Test("the hash is Argon2id with 19 MiB, two passes and one lane")
    func hashParameters() throws {
        let hash = try hasher.hash("korrekt Pferd Batterie Heftklammer")
        #expect(hash.hasPrefix("$argon2id$v=19$m=19456,t=2,p=1$"), "\(hash)")
        #expect(!hash.contains("korrekt"))
    }

    @Test("the same password hashes differently each time (random salt)")
    func saltedHashes() throws {
        let first = try hasher.hash("gleiches Passwort zweimal")
        let second = try hasher.hash("gleiches Passwort zweimal")
        #expect(first != second)
        #expect(try hasher.verify("gleiches Passwort zweimal", against: first))
        #expect(try hasher.verify("gleiches Passwort zweimal", against: second))
    }

    @Test("a malformed or foreign hash never verifies")
    func malformedHashes() throws {
        let valid = try hasher.hash("irgendein Passwort")
        for hash in [
            "", "x", "$argon2id$", String(valid.dropLast(4)), valid.replacingOccurrences(of: "m=19456", with: "m=abc"),
            "$2b$12$abcdefghijklmnopqrstuvABCDEFGHIJKLMNOPQRSTUVWXYZ01234",
            "5f4dcc3b5aa765d61d8327deb882cf99", valid + String(repeating: "A", count: 200),
        ] {
            #expect(try hasher.verify("irgendein Passwort", against: hash) == false, "\(hash)")
        }
    }

    @Test("the two ways of writing ü give the same password")
    func unicodeNormalisation() throws {
        let composed = "Gr\u{00FC}ner Baum am Fluss"
        let decomposed = "Gru\u{0308}ner Baum am Fluss"
        #expect(Array(composed.utf8) != Array(decomposed.utf8))
        #expect(try hasher.verify(decomposed, against: try hasher.hash(composed)))
    }

    @Test("a hash with other parameters needs rehashing; a current one does not")
    func rehash() throws {
        let current = try hasher.hash("ein ganz normales Passwort")
        #expect(!hasher.needsRehash(current))
        let weaker = try PasswordHasher(memoryLimit: 8 * 1024 * 1024, opsLimit: 1).hash("ein ganz normales Passwort")
        #expect(hasher.needsRehash(weaker))
        #expect(try hasher.verify("ein ganz normales Passwort", against: weaker))
        #expect(hasher.needsRehash("not a hash"))
        #expect(hasher.needsRehash(current.replacingOccurrences(of: "$argon2id$", with: "$argon2i$")))
    }

    @Test("verifying against nothing runs one computation through the gate")
    func verifyAgainstNothing() throws {
        let fresh = PasswordHasher(maxConcurrent: 1)
        try fresh.verifyAgainstNothing("wer das liest, ist neugierig")
        try fresh.verifyAgainstNothing("noch einmal, mit anderem Passwort")
        #expect(fresh.gate.peakRunning == 1)
    }

    @Test("no more than maxConcurrent computations run at once")
    func concurrencyGate() throws {
        let gated = PasswordHasher(maxConcurrent: 2, maxWaiting: 10)
        let group = DispatchGroup()
        let results = ResultBox()
        for index in 0..<6 {
            group.enter()
            let thread = Thread {
                let hash = try? gated.hash("Passwort Nummer \(index)")
                results.append(hash.flatMap { try? gated.verify("Passwort Nummer \(index)", against: $0) } ?? false)
                group.leave()
            }
            thread.start()
        }
        group.wait()
        #expect(results.values == Array(repeating: true, count: 6))
        #expect(gated.gate.peakRunning > 0)
        #expect(gated.gate.peakRunning <= 2)
    }

    @Test("the gate admits as many callers as its limit")
    func gateAdmitsUpToLimit() throws {
        // Each caller waits inside the gate until all have entered, which can only happen if the
        // gate lets three in at once; a gate that admitted fewer would never return here.
        let gate = ComputationGate(limit: 3)
        let inside = DispatchGroup()
        let done = DispatchGroup()
        for _ in 0..<3 { inside.enter() }
        for _ in 0..<3 {
            done.enter()
            Thread {
                _ = try? gate.run {
                    inside.leave()
                    inside.wait()
                }
                done.leave()
            }.start()
        }
        #expect(done.wait(timeout: .now() + 60) == .success)
        #expect(gate.peakRunning == 3)
    }
}

extension PasswordHasherTests {
    @Test("past the waiting allowance a caller is refused at once instead of waiting")
    func gateRefusesBeyondWaiting() throws {
        let gate = ComputationGate(limit: 1, maxWaiting: 1)
        let release = DispatchSemaphore(value: 0)
        let entered = DispatchSemaphore(value: 0)
        let done = DispatchGroup()
        done.enter()
        Thread {
            _ = try? gate.run {
                entered.signal()
                release.wait()
            }
            done.leave()
        }.start()
        entered.wait()
        done.enter()
        let waiterResult = ResultBox()
        Thread {
            waiterResult.append((try? gate.run { true }) ?? false)
            done.leave()
        }.start()
        // Once the second caller is counted as waiting, a third is refused without waiting.
        var counted = false
        for _ in 0..<60_000 where !counted {
            counted = gate.waitingNow == 1
            if !counted { Thread.sleep(forTimeInterval: 0.001) }
        }
        var refused = false
        if counted {
            do { _ = try gate.run { () } } catch { refused = true }
        }
        release.signal()
        #expect(done.wait(timeout: .now() + 60) == .success)
        #expect(refused, "a caller past one running and one waiting was refused")
        #expect(waiterResult.values == [true], "the waiting caller ran once the slot was free")
    }
}

/// Collects results from several threads.
private final class ResultBox: @unchecked Sendable {
    // `lock` guards `stored`.
    private let lock = NSLock()
    private var stored: [Bool] = []

    func append(_ value: Bool) {
        lock.lock()
        stored.append(value)
        lock.unlock()
    }

    var values: [Bool] {
        lock.lock()
        defer { lock.unlock() }
        return stored
    }
}
