import CSodium
import Foundation

/// libsodium must be initialised once before its random generator and optimised Argon2 code are used.
enum Sodium {
    // A static let is initialised exactly once, thread-safely, on first use.
    private static let initialized: Bool = sodium_init() >= 0

    static func ensureInitialized() {
        guard initialized else { fatalError("libsodium could not be initialised") }
    }
}

/// Random bytes and tokens from libsodium's CSPRNG (the kernel's getrandom).
enum SecureRandom {
    static func bytes(_ count: Int) -> [UInt8] {
        precondition(count >= 0)
        Sodium.ensureInitialized()
        var buffer = [UInt8](repeating: 0, count: count)
        randombytes_buf(&buffer, buffer.count)
        return buffer
    }

    /// 32 random bytes (256 bits) as base64url without padding: 43 characters of `A–Z a–z 0–9 - _`,
    /// safe in cookies, URLs and form fields as they are. Used for session ids and e-mail link tokens.
    static func token() -> String {
        var raw = bytes(32)
        defer { sodium_memzero(&raw, raw.count) }
        let variant = sodium_base64_VARIANT_URLSAFE_NO_PADDING
        var encoded = [CChar](repeating: 0, count: sodium_base64_encoded_len(raw.count, variant))
        raw.withUnsafeBufferPointer { input in
            _ = sodium_bin2base64(&encoded, encoded.count, input.baseAddress, input.count, variant)
        }
        defer { sodium_memzero(&encoded, encoded.count) }
        // The encoder writes ASCII and a terminating NUL.
        return String(decoding: encoded.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

/// Tokens are stored only as hashes, so a leaked database holds no usable session or link.
/// A token has 256 random bits, so a fast unsalted hash is enough (no password-style stretching needed).
enum TokenHash {
    static func sha256(_ text: String) -> Data {
        var output = [UInt8](repeating: 0, count: Int(crypto_hash_sha256_bytes()))
        var input = Array(text.utf8)
        defer { sodium_memzero(&input, input.count) }
        _ = crypto_hash_sha256(&output, input, UInt64(input.count))
        return Data(output)
    }
}

/// Comparison whose duration does not depend on where two secrets differ (CSRF tokens and the like).
enum ConstantTime {
    /// Only the lengths leak; the compared values here have fixed lengths anyway.
    static func equals(_ a: String, _ b: String) -> Bool {
        var left = Array(a.utf8)
        var right = Array(b.utf8)
        defer {
            sodium_memzero(&left, left.count)
            sodium_memzero(&right, right.count)
        }
        guard left.count == right.count else { return false }
        guard !left.isEmpty else { return true }
        return sodium_memcmp(left, right, left.count) == 0
    }
}
