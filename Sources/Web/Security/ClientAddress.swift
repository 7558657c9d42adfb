import Foundation
import HTTPServer
import HTTPTypes

/// Who sent a request, as far as we can trust it: the socket's peer, or — only when that peer is a
/// configured reverse proxy — the last address in `X-Forwarded-For` that is not one of our proxies.
struct ClientAddress {
    static let forwardedFor = HTTPField.Name("X-Forwarded-For")!
    static let forwardedProto = HTTPField.Name("X-Forwarded-Proto")!

    static func of(_ request: ServerRequest, trustedProxies: Set<String>) -> String {
        let peer = request.remoteAddress
        guard trustedProxies.contains(peer) else { return peer }
        let hops = request.head.headerFields[values: forwardedFor]
            .flatMap { $0.split(separator: ",") }
            .map { String($0.trimmingCharacters(in: .whitespaces)) }
        // Walk from the nearest hop outwards; the first address not ours is the client. Everything
        // further left was written by the client itself and proves nothing.
        for hop in hops.reversed() where !trustedProxies.contains(hop) {
            return isPlausibleAddress(hop) ? hop : peer
        }
        return peer
    }

    /// Whether a trusted proxy says the client used HTTPS.
    static func isForwardedHTTPS(_ request: ServerRequest, trustedProxies: Set<String>) -> Bool {
        guard trustedProxies.contains(request.remoteAddress) else { return false }
        return request.head.headerFields[forwardedProto]?.lowercased() == "https"
    }

    /// An IPv4 or IPv6 literal of sane length: hex digits, dots and colons only.
    private static func isPlausibleAddress(_ text: String) -> Bool {
        (2...45).contains(text.utf8.count)
            && text.utf8.allSatisfy { byte in
                (0x30...0x39).contains(byte) || (0x61...0x66).contains(byte) || (0x41...0x46).contains(byte)
                    || byte == 0x2E || byte == 0x3A
            }
    }
}
