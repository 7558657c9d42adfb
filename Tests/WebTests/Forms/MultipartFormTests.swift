import Testing

@testable import Web

/// Builds multipart bodies the way browsers write them.
struct MultipartBody {
    var boundary = "----WebKitFormBoundaryq3zK8pW1mA7xR2Lb"
    var bytes: [UInt8] = []

    mutating func raw(_ text: String) { bytes += Array(text.utf8) }

    mutating func field(_ name: String, _ value: String) {
        raw("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n")
    }

    mutating func file(_ name: String, fileName: String, type: String = "image/png", _ content: [UInt8]) {
        raw("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"; filename=\"\(fileName)\"\r\n")
        raw("Content-Type: \(type)\r\n\r\n")
        bytes += content
        raw("\r\n")
    }

    /// The body with its close delimiter.
    func closed() -> [UInt8] { bytes + Array("--\(boundary)--\r\n".utf8) }
}

@Suite("Multipart forms")
struct MultipartFormTests {
    private func parse(_ body: MultipartBody, limits: FormLimits = .standard) throws(FormError) -> FormData {
        try MultipartForm.parse(body.closed(), boundary: body.boundary, limits: limits)
    }

    private func parse(_ text: String, boundary: String = "B", limits: FormLimits = .standard) throws(FormError)
        -> FormData
    {
        try MultipartForm.parse(Array(text.utf8), boundary: boundary, limits: limits)
    }

    @Test("a browser-like body with two text fields and a PNG")
    func browserBody() throws {
        var body = MultipartBody()
        body.field("titel", "Fahrräder für die Kleiderkammer 🚲")
        body.file("bild", fileName: "rad.png", SampleImages.png)
        body.field("beschreibung", "Zeile 1\r\nZeile 2")
        let form = try parse(body)
        #expect(form.first("titel") == "Fahrräder für die Kleiderkammer 🚲")
        #expect(form.first("beschreibung") == "Zeile 1\nZeile 2")
        #expect(form.fields.count == 2)
        let file = try #require(form.file("bild"))
        #expect(
            file
                == UploadedFile(
                    fieldName: "bild", fileName: "rad.png", declaredContentType: "image/png", bytes: SampleImages.png))
        #expect(form.files == [file])
        #expect(ImageKind.detect(file.bytes) == .png)
    }

    @Test("the declared type and file name say nothing about what the bytes are")
    func declaredTypeIsNotTrusted() throws {
        var body = MultipartBody()
        body.file("bild", fileName: "foto.jpg", type: "image/jpeg", SampleImages.svg)
        let file = try #require(try parse(body).file("bild"))
        #expect(file.declaredContentType == "image/jpeg")
        #expect(ImageKind.detect(file.bytes) == nil)
    }

    @Test("an empty file part (no file chosen) gives no file")
    func emptyFilePart() throws {
        var body = MultipartBody()
        body.field("titel", "Tisch")
        body.file("bild", fileName: "", type: "application/octet-stream", [])
        let form = try parse(body)
        #expect(form.file("bild") == nil)
        #expect(form.files.isEmpty)
        #expect(form.first("titel") == "Tisch")
        #expect(form.first("bild") == nil)
    }

    @Test("a file part without Content-Type is declared application/octet-stream")
    func defaultFileType() throws {
        let form = try parse(
            "--B\r\nContent-Disposition: form-data; name=\"f\"; filename=\"a.bin\"\r\n\r\nxyz\r\n--B--")
        #expect(form.file("f")?.declaredContentType == "application/octet-stream")
        #expect(form.file("f")?.bytes == Array("xyz".utf8))
    }

    @Test("an empty form is only the close delimiter")
    func emptyForm() throws {
        #expect(try parse("--B--\r\n") == FormData())
    }

    @Test("preamble, transport padding and epilogue are ignored")
    func preambleAndEpilogue() throws {
        let form = try parse(
            "This is a preamble.\r\n--B \t\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--B--"
                + "\r\nepilogue --B")
        #expect(form.fields.map(\.value) == ["1"])
    }

    @Test("header names and the disposition type are case-insensitive; other headers are ignored")
    func headerCase() throws {
        let form = try parse(
            "--B\r\ncontent-disposition: FORM-DATA; NAME=a\r\nX-Extra: 1\r\ncontent-type: text/plain; charset=utf-8\r\n"
                + "\r\nwert\r\n--B--")
        #expect(form.first("a") == "wert")
    }

    @Test("quoted names keep escaped quotes; file names keep only their last path component")
    func quotingAndFileNames() throws {
        var body = MultipartBody()
        body.raw("--\(body.boundary)\r\nContent-Disposition: form-data; name=\"a\\\"b\"\r\n\r\nx\r\n")
        body.file("f1", fileName: "C:\\Users\\anna\\Foto vom Fest.jpg", [1])
        body.file("f2", fileName: "../../etc/passwd", [2])
        let form = try parse(body, limits: FormLimits(maxFiles: 3))
        #expect(form.first("a\"b") == "x")
        #expect(form.files.map(\.fileName) == ["Foto vom Fest.jpg", "passwd"])
    }

    @Test("RFC 8187 filename* is read when there is no plain filename")
    func extendedFileName() throws {
        let form = try parse(
            "--B\r\nContent-Disposition: form-data; name=\"f\"; filename*=UTF-8''B%C3%BCro.png\r\n\r\nx\r\n--B--")
        #expect(form.file("f")?.fileName == "Büro.png")
    }

    @Test("display names lose control and bidi characters and are cut to 255 bytes")
    func displayNames() {
        #expect(MultipartForm.displayName("a\u{202E}gpj.exe") == "agpj.exe")
        #expect(MultipartForm.displayName("tab\there\u{7F}\u{85}.png") == "tabhere.png")
        #expect(MultipartForm.displayName("ordner/") == "")
        let long = String(repeating: "ä", count: 200) + ".png"
        let shown = MultipartForm.displayName(long)
        #expect(shown.utf8.count == 254)
        #expect(shown == String(repeating: "ä", count: 127))
    }

    @Test("missing close delimiter is malformed")
    func missingClose() {
        var body = MultipartBody()
        body.field("a", "1")
        #expect(throws: FormError.malformed("no close delimiter")) {
            try MultipartForm.parse(body.bytes, boundary: body.boundary, limits: .standard)
        }
        #expect(throws: FormError.malformed("no close delimiter")) {
            try parse("--B\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nvalue without end")
        }
    }

    @Test("a boundary must be followed by CRLF (or -- at the end)")
    func noCRLFAfterBoundary() {
        let error = FormError.malformed("boundary not followed by CRLF")
        #expect(throws: error) { try parse("--B\nContent-Disposition: form-data; name=\"a\"\n\n1\n--B--") }
        #expect(throws: error) { try parse("--BX\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--B--") }
        #expect(throws: error) { try parse("--B\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--Bx--") }
        #expect(throws: error) { try parse("--B") }
    }

    @Test("header lines must end in CRLF")
    func bareLineFeedInHeaders() {
        #expect(throws: FormError.malformed("part header line not ended by CRLF")) {
            try parse("--B\r\nContent-Disposition: form-data; name=\"a\"\nX: 1\r\n\r\n1\r\n--B--")
        }
        #expect(throws: FormError.malformed("part header section not terminated")) {
            try parse("--B\r\nContent-Disposition: form-data; name=\"a\"\n\n1\r\n--B--")
        }
    }

    @Test(
        "broken part headers give the exact error",
        arguments: [
            (
                "--B\r\nContent-Type: text/plain\r\n\r\n1\r\n--B--",
                FormError.malformed("part without Content-Disposition")
            ),
            ("--B\r\n\r\n1\r\n--B--", .malformed("part without Content-Disposition")),
            ("--B\r\nContent-Disposition: form-data\r\n\r\n1\r\n--B--", .malformed("part without name")),
            (
                "--B\r\nContent-Disposition: form-data; filename=\"a\"\r\n\r\n1\r\n--B--",
                .malformed("part without name")
            ),
            (
                "--B\r\nContent-Disposition: attachment; name=a\r\n\r\n1\r\n--B--",
                .malformed("part disposition is not form-data")
            ),
            (
                "--B\r\nContent-Disposition: form-data; name=a; name=b\r\n\r\n1\r\n--B--",
                .malformed("invalid Content-Disposition")
            ),
            (
                "--B\r\nContent-Disposition: form-data; name=\"a\r\n\r\n1\r\n--B--",
                .malformed("invalid Content-Disposition")
            ),
            (
                "--B\r\nContent-Disposition: form-data; name=a\r\nContent-Disposition: form-data; name=b\r\n\r\n1"
                    + "\r\n--B--",
                .malformed("repeated Content-Disposition")
            ),
            ("--B\r\nContent-Disposition form-data; name=a\r\n\r\n1\r\n--B--", .malformed("invalid part header line")),
            (
                "--B\r\n Content-Disposition: form-data; name=a\r\n\r\n1\r\n--B--",
                .malformed("invalid part header line")
            ),
            (
                "--B\r\nContent-Disposition: form-data; name=\"a%0A\u{1}\"\r\n\r\n1\r\n--B--",
                .malformed("invalid Content-Disposition")
            ),
        ])
    func brokenHeaders(body: String, error: FormError) {
        #expect(throws: error) { try parse(body) }
    }

    @Test("a part header section over maxPartHeaderBytes is malformed")
    func headerTooLong() throws {
        func body(padding: Int) -> String {
            let line = "X-Pad: " + String(repeating: "p", count: padding) + "\r\n"
            return "--B\r\n\(line)Content-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--B--"
        }
        // The section is both header lines with their CRLFs.
        let fitting = 4096 - "X-Pad: \r\nContent-Disposition: form-data; name=\"a\"\r\n".utf8.count
        #expect(try parse(body(padding: fitting)).first("a") == "1")
        #expect(throws: FormError.malformed("part header section too long")) { try parse(body(padding: fitting + 1)) }
    }

    @Test("a file over maxFileBytes is fileTooLarge for its field; exactly maxFileBytes is fine")
    func fileTooLarge() throws {
        var body = MultipartBody()
        body.field("titel", "Schrank")
        body.file("bild", fileName: "gross.png", [UInt8](repeating: 0x41, count: 2_097_152))
        #expect(try parse(body).file("bild")?.bytes.count == 2_097_152)

        var over = MultipartBody()
        over.field("titel", "Schrank")
        over.file("bild", fileName: "gross.png", [UInt8](repeating: 0x41, count: 2_097_153))
        #expect(throws: FormError.fileTooLarge(fieldName: "bild")) { try parse(over) }
        #expect(FormError.fileTooLarge(fieldName: "bild").status == .contentTooLarge)
    }

    @Test("with skipsOversizedFiles a too large file is listed and every other field kept")
    func skipOversizedFile() throws {
        var body = MultipartBody()
        body.field("csrf", "token")
        body.file("bild", fileName: "gross.png", [UInt8](repeating: 0x0D, count: 300))
        body.file("logo", fileName: "klein.png", SampleImages.png)
        body.field("titel", "Schrank")
        let limits = FormLimits(maxFileBytes: 100, skipsOversizedFiles: true)
        let form = try parse(body, limits: limits)
        #expect(form.oversizedFileFields == ["bild"])
        #expect(form.file("bild") == nil)
        #expect(form.file("logo")?.bytes == SampleImages.png)
        #expect(form.fields.map(\.name) == ["csrf", "titel"])
    }

    @Test("a text part over maxValueBytes is fieldTooLarge")
    func textTooLarge() throws {
        var body = MultipartBody()
        body.field("text", String(repeating: "x", count: 32 * 1024))
        #expect(try parse(body).first("text")?.utf8.count == 32 * 1024)
        var over = MultipartBody()
        over.field("text", String(repeating: "x", count: 32 * 1024 + 1))
        #expect(throws: FormError.fieldTooLarge) { try parse(over) }
    }

    @Test("a name over maxNameBytes is fieldTooLarge")
    func nameTooLarge() {
        var body = MultipartBody()
        body.field(String(repeating: "n", count: 101), "1")
        #expect(throws: FormError.fieldTooLarge) { try parse(body) }
    }

    @Test("a third file is tooManyFiles; empty file parts do not count")
    func fileCount() throws {
        var two = MultipartBody()
        two.file("a", fileName: "", [])
        two.file("b", fileName: "b.png", SampleImages.png)
        two.file("c", fileName: "", [])
        two.file("d", fileName: "d.png", SampleImages.png)
        #expect(try parse(two).files.map(\.fieldName) == ["b", "d"])

        var three = MultipartBody()
        for name in ["a", "b", "c"] { three.file(name, fileName: "\(name).png", SampleImages.png) }
        #expect(throws: FormError.tooManyFiles) { try parse(three) }
    }

    @Test("more parts than maxFields is tooManyFields")
    func partCount() throws {
        var body = MultipartBody()
        for index in 1...3 { body.field("f\(index)", "x") }
        #expect(try parse(body, limits: FormLimits(maxFields: 3)).fields.count == 3)
        #expect(throws: FormError.tooManyFields) { try parse(body, limits: FormLimits(maxFields: 2)) }
    }

    @Test("boundaries of 1 to 70 allowed characters are accepted, others refused")
    func boundaryRules() throws {
        let seventy = String(repeating: "a", count: 70)
        #expect(try parse("--\(seventy)--", boundary: seventy) == FormData())
        #expect(try parse("--'()+_,-./:=? x--", boundary: "'()+_,-./:=? x") == FormData())
        for bad in [String(repeating: "a", count: 71), "", "trailing ", "semi;colon", "quote\"", "umläut"] {
            #expect(throws: FormError.malformed("invalid boundary")) { try parse("--\(bad)--", boundary: bad) }
        }
    }

    @Test("a body that is only preamble is malformed")
    func onlyPreamble() {
        #expect(throws: FormError.malformed("no boundary delimiter")) { try parse("just some text, no parts") }
        #expect(throws: FormError.malformed("no boundary delimiter")) { try parse("") }
        #expect(throws: FormError.malformed("no boundary delimiter")) { try parse("text --B--") }
    }

    @Test("the boundary inside a file's bytes stays data unless it follows CRLF")
    func boundaryInsideData() throws {
        var body = MultipartBody(boundary: "B")
        let content: [UInt8] = [0x00] + Array("--B--\r\nx\n--B\r\n\r--B\r\n".utf8) + [0xFF, 0x0D]
        body.file("f", fileName: "f.bin", content)
        let form = try parse(body)
        #expect(form.file("f")?.bytes == content)
    }

    @Test("invalid UTF-8 and control characters in a text part are malformed; file bytes are not checked")
    func textPartEncoding() throws {
        var body = MultipartBody()
        body.bytes += Array("--\(body.boundary)\r\nContent-Disposition: form-data; name=\"t\"\r\n\r\n".utf8)
        body.bytes += [0x61, 0xC3, 0x28, 0x0D, 0x0A]
        #expect(throws: FormError.malformed("field value is not UTF-8")) { try parse(body) }

        var control = MultipartBody()
        control.field("t", "a\u{0}b")
        #expect(throws: FormError.malformed("control character in field value")) { try parse(control) }

        var file = MultipartBody()
        file.file("f", fileName: "x.bin", [0xC3, 0x28, 0x00])
        #expect(try parse(file).file("f")?.bytes == [0xC3, 0x28, 0x00])
    }

    @Test("a body over maxTotalBytes is bodyTooLarge")
    func totalLength() {
        #expect(throws: FormError.bodyTooLarge) { try parse("--B--\r\n", limits: FormLimits(maxTotalBytes: 5)) }
    }
}
