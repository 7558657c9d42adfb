/// Decodes `application/x-www-form-urlencoded` bodies (WHATWG URL standard), strictly.
///
/// Pairs are separated by `&`, name and value by the first `=`; `+` is a space; every `%` must start an
/// escape of two hex digits. Decoded text must be UTF-8 and follow `FormText`'s rules. Empty pairs are
/// skipped and a pair without `=` is a name with an empty value.
enum URLEncodedForm {
    static func parse(_ body: some Collection<UInt8>, limits: FormLimits) throws(FormError) -> FormData {
        guard body.count <= limits.maxTotalBytes else { throw .bodyTooLarge }
        let result =
            body.withContiguousStorageIfAvailable { parse(buffer: $0, limits: limits) }
            ?? Array(body).withUnsafeBufferPointer { parse(buffer: $0, limits: limits) }
        return try result.get()
    }

    private static func parse(buffer: UnsafeBufferPointer<UInt8>, limits: FormLimits) -> Result<FormData, FormError> {
        var form = FormData()
        var start = 0
        while start <= buffer.count {
            let end = buffer[start...].firstIndex(of: UInt8(ascii: "&")) ?? buffer.count
            defer { start = end + 1 }
            guard end > start else { continue }
            guard form.fields.count < limits.maxFields else { return .failure(.tooManyFields) }
            let pair = buffer[start..<end]
            let equals = pair.firstIndex(of: UInt8(ascii: "="))
            do throws(FormError) {
                let name = try FormText.name(
                    decode(pair[..<(equals ?? end)], limit: limits.maxNameBytes), limits: limits)
                var value = ""
                if let equals {
                    value = try FormText.value(
                        decode(pair[(equals + 1)...], limit: limits.maxValueBytes), limits: limits)
                }
                form.fields.append((name, value))
            } catch {
                return .failure(error)
            }
        }
        return .success(form)
    }

    /// Percent-decodes one component; stops with `fieldTooLarge` as soon as it outgrows `limit`.
    static func decode(_ component: Slice<UnsafeBufferPointer<UInt8>>, limit: Int) throws(FormError) -> [UInt8] {
        var failure: FormError?
        // Every input byte gives at most one output byte, so this capacity is never overrun.
        let decoded = [UInt8](unsafeUninitializedCapacity: min(component.count, limit)) { output, count in
            var index = component.startIndex
            while index < component.endIndex {
                guard count < limit else {
                    failure = .fieldTooLarge
                    return
                }
                var byte = component[index]
                index += 1
                if byte == UInt8(ascii: "+") {
                    byte = UInt8(ascii: " ")
                } else if byte == UInt8(ascii: "%") {
                    guard index + 1 < component.endIndex, let high = hexValue(component[index]),
                        let low = hexValue(component[index + 1])
                    else {
                        failure = .malformed("invalid percent escape")
                        return
                    }
                    byte = high << 4 | low
                    index += 2
                }
                output[count] = byte
                count += 1
            }
        }
        if let failure { throw failure }
        return decoded
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x30...0x39: byte - 0x30
        case 0x41...0x46: byte - 0x41 + 10
        case 0x61...0x66: byte - 0x61 + 10
        default: nil
        }
    }
}
