import CSodium
import Foundation

/// Argon2id password hashing (libsodium), with at most `maxConcurrent` computations at a time.
///
/// Each computation takes `memoryLimit` bytes and noticeable CPU; without the gate a flood of login
/// attempts would occupy every worker thread and all memory. Callers beyond the limit wait (blocking
/// their thread, which is a worker-pool thread, not a Swift concurrency one), but at most `maxWaiting`
/// of them: any further caller gets `Busy` at once (the page answers 503 with `Retry-After`), so a flood
/// holds at most `maxConcurrent + maxWaiting` worker threads and the rest keep serving pages.
///
/// Passwords are normalised to Unicode NFKC before hashing, so "ü" typed as one code point or as
/// "u" plus a combining mark gives the same hash. The UTF-8 copy handed to libsodium is wiped
/// afterwards; the caller's `String` itself cannot be wiped.
final class PasswordHasher: Sendable {
    let maxConcurrent: Int
    let memoryLimit: Int
    let opsLimit: Int
    let gate: ComputationGate
    /// The hash of a random, forgotten password for `verifyAgainstNothing`, made at its first use: a
    /// computation takes `memoryLimit` bytes, which a server that never sees a login need not spend
    /// (it was a third of the peak memory of a server answering only pages; Benchmarks/NOTES.md).
    private let fixedHash = FixedHash()

    /// Too many password computations are running or waiting; try again in a moment.
    struct Busy: Error {}

    init(maxConcurrent: Int = 2, maxWaiting: Int = 2, memoryLimit: Int = 19 * 1024 * 1024, opsLimit: Int = 2) {
        precondition(maxConcurrent >= 1, "maxConcurrent must be at least 1")
        precondition(
            memoryLimit >= Int(crypto_pwhash_memlimit_min()) && memoryLimit <= Int(crypto_pwhash_memlimit_max()),
            "memoryLimit is outside libsodium's range")
        precondition(
            opsLimit >= Int(crypto_pwhash_opslimit_min()) && opsLimit <= Int(crypto_pwhash_opslimit_max()),
            "opsLimit is outside libsodium's range")
        Sodium.ensureInitialized()
        self.maxConcurrent = maxConcurrent
        self.memoryLimit = memoryLimit
        self.opsLimit = opsLimit
        self.gate = ComputationGate(limit: maxConcurrent, maxWaiting: maxWaiting)
    }

    /// An encoded Argon2id string (`$argon2id$v=19$m=19456,t=2,p=1$salt$hash`) with a fresh random salt.
    func hash(_ password: String) throws(Busy) -> String {
        try gate.run { Self.encode(password, opsLimit: opsLimit, memoryLimit: memoryLimit) }
    }

    private static func encode(_ password: String, opsLimit: Int, memoryLimit: Int) -> String {
        var output = [CChar](repeating: 0, count: Int(crypto_pwhash_strbytes()))
        let status = withNormalizedBytes(password) { bytes, length in
            crypto_pwhash_str_alg(
                &output, bytes, UInt64(length), UInt64(opsLimit), memoryLimit, crypto_pwhash_ALG_ARGON2ID13)
        }
        // Parameters are checked in init, so only a failed memory allocation gets here; a server that
        // cannot allocate 19 MiB cannot go on usefully, and an account must never get a bogus hash.
        guard status == 0 else { fatalError("Argon2id hashing failed (out of memory)") }
        return String(decoding: output.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Whether `password` matches `hash`; false for a malformed or non-Argon2 hash.
    func verify(_ password: String, against hash: String) throws(Busy) -> Bool {
        var encoded = Array(hash.utf8CString)
        // crypto_pwhash_str_verify reads a NUL-terminated string of at most crypto_pwhash_STRBYTES bytes.
        guard encoded.count <= Int(crypto_pwhash_strbytes()), hash.hasPrefix("$argon2") else { return false }
        let status = try Self.withNormalizedBytes(password) { bytes, length throws(Busy) in
            try gate.run { crypto_pwhash_str_verify(&encoded, bytes, UInt64(length)) }
        }
        return status == 0
    }

    /// Whether `hash` was made with other parameters (or algorithm) than this hasher's: after a
    /// successful login the password should then be hashed again and stored.
    func needsRehash(_ hash: String) -> Bool {
        !hash.hasPrefix("$argon2id$") || crypto_pwhash_str_needs_rehash(hash, UInt64(opsLimit), memoryLimit) != 0
    }

    /// Does the work of one `verify` against a fixed hash, so a login for an unknown address takes as
    /// long as one for a known address and does not reveal which addresses have accounts.
    func verifyAgainstNothing(_ password: String) throws(Busy) {
        let hash = try fixedHash.value { () throws(Busy) in
            try gate.run { Self.encode(SecureRandom.token(), opsLimit: opsLimit, memoryLimit: memoryLimit) }
        }
        _ = try verify(password, against: hash)
    }

    /// A value made once, on first use, by whichever caller gets there first.
    /// `@unchecked Sendable`: `stored` is guarded by `lock`.
    private final class FixedHash: @unchecked Sendable {
        private let lock = NSLock()
        private var stored: String?

        func value(_ make: () throws(Busy) -> String) throws(Busy) -> String {
            if let stored = lock.withLock({ stored }) { return stored }
            let made = try make()
            return lock.withLock {
                if let stored { return stored }
                stored = made
                return made
            }
        }
    }

    /// Calls `body` with the NFKC form's UTF-8 bytes and their length (without the terminating NUL).
    private static func withNormalizedBytes<T, E: Error>(
        _ password: String, _ body: (UnsafePointer<CChar>, Int) throws(E) -> T
    ) throws(E) -> T {
        var bytes = Array(password.precomposedStringWithCompatibilityMapping.utf8CString)
        defer { sodium_memzero(&bytes, bytes.count) }
        // utf8CString always holds at least the NUL, so there is a base address.
        let count = bytes.count - 1
        return try bytes.withUnsafeBufferPointer { (buffer) throws(E) -> T in try body(buffer.baseAddress!, count) }
    }
}

/// Lets at most `limit` callers run at once; the others wait their turn. Also records how many ran at
/// once at most, so tests can check the limit holds.
final class ComputationGate: @unchecked Sendable {
    // `condition` guards `running`, `waiting` and `peak`.
    private let condition = NSCondition()
    private let limit: Int
    private let maxWaiting: Int
    private var running = 0
    private var waiting = 0
    private var peak = 0

    init(limit: Int, maxWaiting: Int = .max) {
        self.limit = limit
        self.maxWaiting = maxWaiting
    }

    /// Runs `body` when a slot is free; throws `Busy` at once when `maxWaiting` callers already wait.
    func run<T>(_ body: () -> T) throws(PasswordHasher.Busy) -> T {
        condition.lock()
        if running >= limit {
            guard waiting < maxWaiting else {
                condition.unlock()
                throw PasswordHasher.Busy()
            }
            waiting += 1
            while running >= limit { condition.wait() }
            waiting -= 1
        }
        running += 1
        peak = max(peak, running)
        condition.unlock()
        defer {
            condition.lock()
            running -= 1
            condition.signal()
            condition.unlock()
        }
        return body()
    }

    /// Callers waiting for a slot right now (for tests).
    var waitingNow: Int {
        condition.lock()
        defer { condition.unlock() }
        return waiting
    }

    /// The largest number of callers that ran at the same time so far.
    var peakRunning: Int {
        condition.lock()
        defer { condition.unlock() }
        return peak
    }
}
