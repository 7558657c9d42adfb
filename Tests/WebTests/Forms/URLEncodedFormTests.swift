import Testing

@testable import Web

@Suite("URL-encoded forms")
struct URLEncodedFormTests {
    private func parse(_ body: String, limits: FormLimits = .standard) throws(FormError) -> FormData {
        try URLEncodedForm.parse(Array(body.utf8), limits: limits)
    }

    private func pairs(_ form: FormData) -> [String] {
        form.fields.map { "\($0.name)=\($0.value)" }
    }

    @Test("decodes umlauts, emoji, plus as space, an encoded plus, repeats and empty values in order")
    func decodesNormalForm() throws {
        let form = try parse(
            "name=J%C3%BCrgen+M%C3%BCller&ort=L%C3%BCgde&rechnung=1%2B1&gruss=%F0%9F%98%80&thema=sport&thema=kultur"
                + "&leer=&nur")
        #expect(
            pairs(form) == [
                "name=Jürgen Müller", "ort=Lügde", "rechnung=1+1", "gruss=😀", "thema=sport", "thema=kultur", "leer=",
                "nur=",
            ])
        #expect(form.first("thema") == "sport")
        #expect(form.all("thema") == ["sport", "kultur"])
        #expect(form.first("leer") == "")
        #expect(form.first("fehlt") == nil)
        #expect(form.all("fehlt").isEmpty)
        #expect(form.files.isEmpty)
    }

    @Test("UTF-8 sent without escapes is accepted as it is")
    func rawUTF8() throws {
        #expect(pairs(try parse("straße=Königsstraße 5")) == ["straße=Königsstraße 5"])
    }

    @Test("empty pairs are skipped; only the first equals sign splits")
    func emptyPairsAndEquals() throws {
        #expect(pairs(try parse("&&a=1&&b=x=y&")) == ["a=1", "b=x=y"])
        #expect(pairs(try parse("=wert")) == ["=wert"])
        #expect(try parse("").fields.isEmpty)
        #expect(try parse("&&&").fields.isEmpty)
    }

    @Test("CRLF and a lone CR become LF; tab stays")
    func lineEndings() throws {
        let form = try parse("text=a%0D%0Ab%0Dc%0Ad%09e&zwei=%0D%0D%0A")
        #expect(form.first("text") == "a\nb\nc\nd\te")
        #expect(form.first("zwei") == "\n\n")
    }

    @Test(
        "malformed input gives the exact error",
        arguments: [
            ("a=%G1", FormError.malformed("invalid percent escape")),
            ("a=%4", .malformed("invalid percent escape")),
            ("a=%", .malformed("invalid percent escape")),
            ("a%4=b", .malformed("invalid percent escape")),
            ("a=%C3%28", .malformed("field value is not UTF-8")),
            ("a=%C0%AF", .malformed("field value is not UTF-8")),
            ("a=%ED%A0%80", .malformed("field value is not UTF-8")),
            ("a=%C3", .malformed("field value is not UTF-8")),
            ("%FF=b", .malformed("field name is not UTF-8")),
            ("a=%00", .malformed("control character in field value")),
            ("a=x%1By", .malformed("control character in field value")),
            ("a=%7F", .malformed("control character in field value")),
            ("a=%C2%85", .malformed("control character in field value")),
            ("a%09b=c", .malformed("control character in field name")),
            ("a%0A=c", .malformed("control character in field name")),
        ])
    func malformed(body: String, error: FormError) {
        #expect(throws: error) { try parse(body) }
    }

    @Test("C1 control characters are refused but the letters next to them in Latin-1 Supplement are not")
    func latinSupplement() throws {
        #expect(try parse("a=%C2%A0%C3%A4").first("a") == "\u{A0}ä")
    }

    @Test("more than maxFields pairs is tooManyFields; exactly maxFields is fine")
    func fieldCount() throws {
        let atLimit = (1...200).map { "f\($0)=x" }.joined(separator: "&")
        #expect(try parse(atLimit).fields.count == 200)
        #expect(throws: FormError.tooManyFields) { try parse(atLimit + "&f201=x") }
        #expect(throws: FormError.tooManyFields) { try parse("a&b&c", limits: FormLimits(maxFields: 2)) }
    }

    @Test("a value over maxValueBytes after decoding is fieldTooLarge")
    func valueLength() throws {
        let atLimit = String(repeating: "a", count: 32 * 1024)
        #expect(try parse("v=" + atLimit).first("v")?.utf8.count == 32 * 1024)
        #expect(throws: FormError.fieldTooLarge) { try parse("v=" + atLimit + "a") }
        // Escapes count as the bytes they stand for: 2 decoded bytes each.
        let umlauts = String(repeating: "%C3%A4", count: 16 * 1024)
        #expect(try parse("v=" + umlauts).first("v")?.count == 16 * 1024)
        #expect(throws: FormError.fieldTooLarge) { try parse("v=" + umlauts + "a") }
    }

    @Test("a name over maxNameBytes is fieldTooLarge")
    func nameLength() throws {
        let atLimit = String(repeating: "n", count: 100)
        #expect(try parse(atLimit + "=1").first(atLimit) == "1")
        #expect(throws: FormError.fieldTooLarge) { try parse(atLimit + "n=1") }
        #expect(throws: FormError.fieldTooLarge) { try parse(atLimit + "n") }
    }

    @Test("a body over maxTotalBytes is bodyTooLarge before anything is decoded")
    func totalLength() {
        #expect(throws: FormError.bodyTooLarge) { try parse("a=%G1&b=12345", limits: FormLimits(maxTotalBytes: 10)) }
    }

    @Test("works on any collection of bytes, not only arrays")
    func otherCollections() throws {
        let bytes = Array("xa=1&b=%C3%BC".utf8)
        #expect(pairs(try URLEncodedForm.parse(bytes.dropFirst(), limits: .standard)) == ["a=1", "b=ü"])
        #expect(pairs(try URLEncodedForm.parse("c=2".utf8, limits: .standard)) == ["c=2"])
    }

    @Test("error descriptions never contain the value that was refused")
    func errorsHideValues() {
        do {
            _ = try parse("passwort=geheim%00")
            Issue.record("expected an error")
        } catch {
            #expect(!error.description.contains("geheim"))
            #expect(!error.description.contains("passwort"))
        }
    }
}
