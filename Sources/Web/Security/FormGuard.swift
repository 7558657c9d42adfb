import CSodium
import Foundation

/// Stops simple bots without a CAPTCHA: a honeypot field that people never see or fill, and a signed
/// time stamp that shows how long the form was open (bots send within milliseconds).
struct FormGuard: Sendable {
    static let honeypotField = "website"
    static let stampField = "form_started"

    enum Verdict: Equatable {
        case passed
        /// The honeypot was filled: most likely a bot.
        case honeypotFilled
        /// Sent faster than a person can fill the form.
        case tooFast
        /// The stamp is missing, forged, or from before a restart: the form has to be sent again.
        case staleForm
    }

    let minimumFillTime: TimeInterval
    /// Forms older than this are stale too.
    let maximumAge: TimeInterval = 24 * 3600
    private let key: [UInt8]

    init(minimumFillTime: TimeInterval) {
        self.minimumFillTime = minimumFillTime
        // A key per process: a restart only asks people with an open form to send it once more.
        key = SecureRandom.bytes(Int(crypto_auth_KEYBYTES))
    }

    /// The stamp to put into a form shown at `now`.
    func stamp(now: Date) -> String {
        let seconds = String(Int64(now.timeIntervalSince1970))
        return seconds + "." + mac(seconds)
    }

    func check(honeypot: String?, stamp: String?, now: Date) -> Verdict {
        if let honeypot, !honeypot.isEmpty { return .honeypotFilled }
        guard let stamp, let dot = stamp.firstIndex(of: "."), stamp.utf8.count < 200 else { return .staleForm }
        let seconds = String(stamp[..<dot])
        guard let started = Int64(seconds), ConstantTime.equals(String(stamp[stamp.index(after: dot)...]), mac(seconds))
        else { return .staleForm }
        let age = now.timeIntervalSince1970 - TimeInterval(started)
        if age > maximumAge { return .staleForm }
        if age < minimumFillTime { return .tooFast }
        return .passed
    }

    private func mac(_ text: String) -> String {
        var output = [UInt8](repeating: 0, count: Int(crypto_auth_BYTES))
        let bytes = Array(text.utf8)
        _ = crypto_auth(&output, bytes, UInt64(bytes.count), key)
        return output.map { String(format: "%02x", $0) }.joined()
    }
}
