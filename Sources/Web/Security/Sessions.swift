import Foundation
import HTTPServer
import Storage

/// Server-side sessions behind the `__Host-session` cookie, and the anonymous CSRF cookie for visitors
/// who are not logged in.
///
/// The cookie holds 256 random bits; the database holds only their SHA-256, so a leaked database
/// holds no usable session. Every login makes a new id (no fixation); logout deletes the row.
final class SessionManager: Sendable {
    static let sessionCookie = "__Host-session"
    static let csrfCookie = "__Host-csrf"
    /// Activity is written at most this often per session, so pages do not all write.
    static let touchInterval: TimeInterval = 300

    let store: SessionStore
    let idleTimeout: TimeInterval
    let lifetime: TimeInterval

    init(store: SessionStore, idleTimeout: TimeInterval, lifetime: TimeInterval) {
        self.store = store
        self.idleTimeout = idleTimeout
        self.lifetime = lifetime
    }

    /// The visitor of a request: logged in through a valid session cookie, or anonymous.
    func visitor(for request: ServerRequest, now: Date) throws -> Visitor {
        let fields = request.head.headerFields
        let anonymousToken = Cookies.value(Self.csrfCookie, in: fields).flatMap { Self.isWellFormed($0) ? $0 : nil }
        guard let cookie = Cookies.value(Self.sessionCookie, in: fields), Self.isWellFormed(cookie) else {
            return Visitor(session: nil, sessionTokenHash: nil, anonymousToken: anonymousToken)
        }
        let hash = TokenHash.sha256(cookie)
        guard let session = try store.find(tokenHash: hash, now: now, idleTimeout: idleTimeout) else {
            return Visitor(
                session: nil, sessionTokenHash: nil, anonymousToken: anonymousToken, staleSessionCookie: true)
        }
        if now.timeIntervalSince(session.lastSeenAt) > Self.touchInterval {
            try store.touch(tokenHash: hash, now: now)
        }
        return Visitor(session: session, sessionTokenHash: hash, anonymousToken: anonymousToken)
    }

    /// Starts a fresh session for `userID` and returns its `Set-Cookie` value. The caller ends the
    /// visitor's previous session first (login, privilege change), so no id survives a change of rights.
    func start(userID: Int64, now: Date) throws -> String {
        let token = SecureRandom.token()
        try store.create(
            tokenHash: TokenHash.sha256(token), userID: userID, csrfToken: SecureRandom.token(), now: now,
            expiresAt: now.addingTimeInterval(lifetime))
        return Cookies.hostCookie(Self.sessionCookie, value: token, maxAge: Int(lifetime))
    }

    /// Deletes the visitor's session, if any.
    func end(_ visitor: Visitor) throws {
        if let hash = visitor.sessionTokenHash { try store.delete(tokenHash: hash) }
    }

    /// Our tokens are 43 characters of base64url; anything else is not looked up.
    static func isWellFormed(_ token: String) -> Bool {
        token.utf8.count == 43
            && token.utf8.allSatisfy { byte in
                (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) || (0x30...0x39).contains(byte)
                    || byte == 0x2D || byte == 0x5F
            }
    }
}

/// Who is asking: the session (when logged in) and the token that forms must carry.
struct Visitor {
    var session: StoredSession?
    var sessionTokenHash: Data?
    /// The anonymous visitor's CSRF cookie value, when the browser sent a well-formed one.
    var anonymousToken: String?
    /// The browser sent a session cookie that is no longer valid; it is cleared with the response.
    var staleSessionCookie = false

    var user: SessionUser? { session?.user }
}
