/// The e-mail address rules of the exchange: what a form accepts and what mail headers may carry.
public enum EmailAddress {
    /// A deliberately plain check: one `@`, a local part and a domain with a dot, no spaces, no
    /// characters that could break a mail header, at most 254 bytes. Delivery proves the rest.
    public static func isValid(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard (6...254).contains(bytes.count) else { return false }
        guard bytes.allSatisfy({ $0 > 0x20 && $0 < 0x7F && !"<>()[]\\,;:\"".utf8.contains($0) }) else { return false }
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, let local = parts.first, let domain = parts.last else { return false }
        guard (1...64).contains(local.utf8.count), !local.hasPrefix("."), !local.hasSuffix("."),
            !local.contains("..")
        else { return false }
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        return labels.count >= 2
            && labels.allSatisfy { label in
                (1...63).contains(label.utf8.count) && !label.hasPrefix("-") && !label.hasSuffix("-")
                    && label.utf8.allSatisfy {
                        (0x30...0x39).contains($0) || (0x61...0x7A).contains($0) || (0x41...0x5A).contains($0)
                            || $0 == 0x2D
                    }
            }
            && labels.last!.utf8.count >= 2
    }
}
