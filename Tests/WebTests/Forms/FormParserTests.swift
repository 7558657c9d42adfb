import HTTPServer
import HTTPTypes
import Testing

@testable import Web

@Suite("Form parser")
struct FormParserTests {
    private func request(contentType: String?, body: [UInt8]) -> ServerRequest {
        var fields = HTTPFields()
        if let contentType { fields[.contentType] = contentType }
        return ServerRequest(
            head: HTTPRequest(method: .post, scheme: "http", authority: "localhost", path: "/", headerFields: fields),
            body: body)
    }

    private func multipartBody(boundary: String) -> [UInt8] {
        var body = MultipartBody(boundary: boundary)
        body.field("titel", "Bücherregal")
        body.file("bild", fileName: "regal.png", SampleImages.png)
        return body.closed()
    }

    @Test("urlencoded bodies are decoded, whatever the case of the media type")
    func urlEncoded() throws {
        for contentType in [
            "application/x-www-form-urlencoded", "Application/X-WWW-Form-Urlencoded; charset=UTF-8",
            "application/x-www-form-urlencoded ; charset=\"utf-8\"",
        ] {
            let form = try FormParser.parse(request(contentType: contentType, body: Array("a=%C3%A4&b=2".utf8)))
            #expect(form.first("a") == "ä", "\(contentType)")
        }
    }

    @Test("multipart bodies are decoded with plain and quoted boundaries")
    func multipart() throws {
        let cases = [
            ("multipart/form-data; boundary=----WebKitFormBoundaryAbC", "----WebKitFormBoundaryAbC"),
            ("multipart/form-data; boundary=\"quoted\"", "quoted"),
            ("Multipart/Form-Data;charset=utf-8;  boundary=\"with space:and?\"", "with space:and?"),
        ]
        for (contentType, boundary) in cases {
            let form = try FormParser.parse(request(contentType: contentType, body: multipartBody(boundary: boundary)))
            #expect(form.first("titel") == "Bücherregal", "\(contentType)")
            #expect(form.file("bild")?.bytes == SampleImages.png, "\(contentType)")
        }
    }

    @Test("a missing or non-form Content-Type is unsupportedMediaType with status 415")
    func unsupported() {
        for contentType in [
            nil, "text/plain", "application/json", "multipart/mixed; boundary=B", "application/x-www-form-urlencoded2",
            "", "form", "application/x-www-form-urlencoded; charset=iso-8859-1",
            "application/x-www-form-urlencoded, multipart/form-data",
        ] {
            #expect(throws: FormError.unsupportedMediaType, "\(contentType ?? "nil")") {
                try FormParser.parse(request(contentType: contentType, body: Array("a=1".utf8)))
            }
        }
        #expect(FormError.unsupportedMediaType.status == .unsupportedMediaType)
    }

    @Test("multipart without a usable boundary is malformed")
    func badBoundaryParameter() {
        let body = multipartBody(boundary: "B")
        #expect(throws: FormError.malformed("no boundary parameter")) {
            try FormParser.parse(request(contentType: "multipart/form-data", body: body))
        }
        for contentType in [
            "multipart/form-data; boundary", "multipart/form-data; boundary=\"B",
            "multipart/form-data; boundary=B; boundary=C",
        ] {
            #expect(throws: FormError.malformed("invalid Content-Type parameters"), "\(contentType)") {
                try FormParser.parse(request(contentType: contentType, body: body))
            }
        }
        #expect(throws: FormError.malformed("invalid boundary")) {
            try FormParser.parse(request(contentType: "multipart/form-data; boundary=\"B \"", body: body))
        }
    }

    @Test("a body over maxTotalBytes is bodyTooLarge with status 413")
    func bodyTooLarge() {
        let limits = FormLimits(maxTotalBytes: 100)
        for contentType in ["application/x-www-form-urlencoded", "multipart/form-data; boundary=B"] {
            #expect(throws: FormError.bodyTooLarge) {
                try FormParser.parse(
                    request(contentType: contentType, body: multipartBody(boundary: "B")), limits: limits)
            }
        }
        #expect(FormError.bodyTooLarge.status == .contentTooLarge)
    }

    @Test("upload limits allow a body as large as the server's upload limit, files still 2 MiB")
    func uploadLimits() {
        #expect(FormLimits.upload.maxTotalBytes == 8 * 1024 * 1024)
        #expect(FormLimits.upload.maxFileBytes == FormLimits.standard.maxFileBytes)
        #expect(
            FormLimits.standard
                == FormLimits(
                    maxFields: 200, maxNameBytes: 100, maxValueBytes: 32_768, maxFiles: 2, maxFileBytes: 2_097_152,
                    maxPartHeaderBytes: 4096, maxTotalBytes: 4_194_304, skipsOversizedFiles: false))
    }

    @Test("every error maps to 400, 413 or 415")
    func statuses() {
        #expect(FormError.malformed("x").status == .badRequest)
        for error in [
            FormError.tooManyFields, .fieldTooLarge, .fileTooLarge(fieldName: "f"), .tooManyFiles, .bodyTooLarge,
        ] {
            #expect(error.status == .contentTooLarge, "\(error)")
        }
        #expect(FormError.unsupportedMediaType.status == .unsupportedMediaType)
    }

    /// SplitMix64: a fixed seed gives the same bodies on every run.
    private struct SeededGenerator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    private static let fragments: [String] = [
        "--B", "\r\n", "\r\n--B\r\n", "--B--", "\r\n\r\n", "Content-Disposition: form-data; name=\"f\"",
        "; filename=\"x.png\"", "Content-Type: image/png", "content-disposition: form-data; name=g", "\"", "\\",
        "%", "%4", "%C3", "%A4", "%00", "%0D%0A", "=", "&", "+", "a", "ä", " ", ";", ":",
    ]

    private static func randomBody(using generator: inout SeededGenerator) -> [UInt8] {
        var body: [UInt8] = []
        let target = Int.random(in: 0..<4096, using: &generator)
        while body.count < target {
            if Bool.random(using: &generator) {
                body += Array(fragments.randomElement(using: &generator)!.utf8)
            } else {
                for _ in 0..<Int.random(in: 1...24, using: &generator) {
                    body.append(UInt8.random(in: 0...255, using: &generator))
                }
            }
        }
        return Array(body.prefix(4095))
    }

    @Test("random bodies never crash: each parses within the limits or throws a FormError")
    func randomBodies() {
        var generator = SeededGenerator(state: 20_261_125)
        let limits = FormLimits(
            maxFields: 8, maxNameBytes: 16, maxValueBytes: 200, maxFiles: 1, maxFileBytes: 300, maxPartHeaderBytes: 120,
            maxTotalBytes: 4096)
        var outcomes: [String: Int] = [:]
        for _ in 0..<2_000 {
            let body = Self.randomBody(using: &generator)
            for contentType in ["application/x-www-form-urlencoded", "multipart/form-data; boundary=B"] {
                let result = Result { () throws(FormError) in
                    try FormParser.parse(request(contentType: contentType, body: body), limits: limits)
                }
                switch result {
                case .success(let form):
                    outcomes["parsed", default: 0] += 1
                    #expect(form.fields.count + form.files.count <= limits.maxFields)
                    #expect(form.files.count <= limits.maxFiles)
                    #expect(form.files.allSatisfy { !$0.bytes.isEmpty && $0.bytes.count <= limits.maxFileBytes })
                    #expect(form.fields.allSatisfy { $0.name.utf8.count <= limits.maxNameBytes })
                    #expect(form.fields.allSatisfy { $0.value.utf8.count <= limits.maxValueBytes })
                    #expect(form.fields.allSatisfy { !$0.value.contains("\r") && !$0.name.contains("\0") })
                case .failure(let error):
                    outcomes["\(error.status.code)", default: 0] += 1
                }
            }
        }
        // The generator reaches both outcomes, so the checks above are not vacuous.
        #expect(outcomes["parsed", default: 0] > 50)
        #expect(outcomes["400", default: 0] > 50)
    }
}
