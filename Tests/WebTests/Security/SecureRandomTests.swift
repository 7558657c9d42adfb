import Foundation
import Testing

@testable import Web

@Suite("SecureRandom")
struct SecureRandomTests {
    @Test("a token is 43 base64url characters without padding")
    func tokenShape() {
        let alphabet = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        for _ in 0..<200 {
            let token = SecureRandom.token()
            #expect(token.count == 43)
            #expect(token.allSatisfy { alphabet.contains($0) }, "\(token)")
        }
    }

    @Test("tokens do not repeat over many draws")
    func tokensAreUnique() {
        let tokens = (0..<10_000).map { _ in SecureRandom.token() }
        #expect(Set(tokens).count == tokens.count)
    }

    @Test("a token decodes to 32 bytes")
    func tokenCarries256Bits() throws {
        var base64 = SecureRandom.token().replacingOccurrences(of: "-", with: "+")
            .replacingOccurrences(of: "_", with: "/")
        base64 += "="
        let data = try #require(Data(base64Encoded: base64))
        #expect(data.count == 32)
    }

    @Test("bytes returns the requested count, and draws differ")
    func bytes() {
        #expect(SecureRandom.bytes(0).isEmpty)
        let first = SecureRandom.bytes(64)
        let second = SecureRandom.bytes(64)
        #expect(first.count == 64)
        #expect(first != second)
        // 64 zero bytes from a working generator has probability 2^-512.
        #expect(first.contains { $0 != 0 })
    }

    @Test("sha256 matches the FIPS 180-2 test vectors")
    func sha256KnownVectors() {
        #expect(hex(TokenHash.sha256("abc")) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(hex(TokenHash.sha256("")) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(TokenHash.sha256(SecureRandom.token()).count == 32)
    }

    @Test("constant-time comparison tells equal from different strings")
    func constantTimeEquals() {
        let token = SecureRandom.token()
        #expect(ConstantTime.equals(token, String(token)))
        #expect(ConstantTime.equals("", ""))
        #expect(!ConstantTime.equals(token, SecureRandom.token()))
        #expect(!ConstantTime.equals("abc", "abd"))
        #expect(!ConstantTime.equals("abc", "abcd"))
        #expect(!ConstantTime.equals("abc", ""))
    }

    private func hex(_ data: Data) -> String {
        data.map { String(format: "%02x", $0) }.joined()
    }
}
