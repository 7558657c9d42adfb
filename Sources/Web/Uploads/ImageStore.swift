import Foundation
import GRDB
import Storage

/// Uploaded images (organisation logos, listing pictures): checked by their bytes, stored outside
/// `Public/` under a random name, recorded in the `images` table, and served by `ImageResponse`.
struct ImageStore: Sendable {
    /// The largest image we keep.
    static let maximumBytes = 2 * 1024 * 1024

    enum Refusal: Error, Equatable {
        /// Not JPEG, PNG or WebP by its first bytes (whatever its name or declared type).
        case notAnImage
        case tooLarge
    }

    let directory: String
    let database: AppDatabase

    /// The localization key of the message shown next to the upload field.
    static func messageKey(_ refusal: Refusal) -> String {
        switch refusal {
        case .notAnImage: "forms.image.not_an_image"
        case .tooLarge: "forms.image.too_large"
        }
    }

    /// Checks an upload without storing it (validation runs before anything is written).
    static func check(_ file: UploadedFile) -> Result<ImageKind, Refusal> {
        if file.bytes.count > maximumBytes { return .failure(.tooLarge) }
        guard let kind = ImageKind.detect(file.bytes) else { return .failure(.notAnImage) }
        return .success(kind)
    }

    /// Stores a checked image and returns its name (`<32 hex>.<ext>`). The file is written first and
    /// renamed into place, so a half-written file never has a name a page could link to.
    func save(_ file: UploadedFile, ownerID: Int64?, now: Date) throws -> String {
        let kind = try Self.check(file).get()
        let name = SecureRandom.bytes(16).map { String(format: "%02x", $0) }.joined() + "." + kind.fileExtension
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let temporary = directory + "/." + name + ".part"
        guard FileManager.default.createFile(atPath: temporary, contents: Data(file.bytes)) else {
            throw CocoaError(.fileWriteUnknown)
        }
        try FileManager.default.moveItem(atPath: temporary, toPath: directory + "/" + name)
        try database.pool.write { db in
            try db.execute(
                sql:
                    "INSERT INTO images (name, content_type, byte_size, owner_user_id, created_at) VALUES (?, ?, ?, ?, ?)",
                arguments: [name, kind.contentType, file.bytes.count, ownerID, Int64(now.timeIntervalSince1970)])
        }
        return name
    }

    /// The bytes and type of a stored image, or nil.
    func load(name: String) throws -> (bytes: [UInt8], contentType: String)? {
        guard
            let type = try database.pool.read({ db in
                try String.fetchOne(db, sql: "SELECT content_type FROM images WHERE name = ?", arguments: [name])
            }),
            let data = FileManager.default.contents(atPath: directory + "/" + name)
        else { return nil }
        return ([UInt8](data), type)
    }
}
