import Foundation
import GRDB

/// Applies `Migrations/NNNN_name.sql` files in order, each in one transaction together with its
/// bookkeeping row, and refuses to start when an applied file was changed afterwards.
public struct Migrator: Sendable {
    /// A migration file found on disk.
    public struct Migration: Sendable, Equatable {
        public var version: Int
        public var name: String
        public var sql: String
        public var checksum: String
    }

    /// Why migrating stopped.
    public enum MigrationError: Error, CustomStringConvertible, Equatable {
        case badFileName(String)
        case duplicateVersion(Int)
        case changedAfterApplied(version: Int, name: String)
        case appliedButMissing(version: Int, name: String)
        case failed(version: Int, name: String, message: String)

        public var description: String {
            switch self {
            case .badFileName(let file):
                "Migration file \(file) must be named NNNN_name.sql (four digits, underscore, name)."
            case .duplicateVersion(let version):
                "Two migration files share version \(version)."
            case .changedAfterApplied(let version, let name):
                "Migration \(version) (\(name)) was changed after it was applied to this database. Applied "
                    + "migrations are append-only: restore the file and add a new migration instead."
            case .appliedButMissing(let version, let name):
                "Migration \(version) (\(name)) is recorded in the database but its file is missing."
            case .failed(let version, let name, let message):
                "Migration \(version) (\(name)) failed and was rolled back: \(message)"
            }
        }
    }

    public let migrations: [Migration]

    /// Reads all `*.sql` files of `directory`.
    public init(directory: String) throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".sql") }
        var migrations: [Migration] = []
        for file in files.sorted() {
            let text = try String(contentsOfFile: (directory as NSString).appendingPathComponent(file), encoding: .utf8)
            migrations.append(try Self.migration(fileName: file, sql: text))
        }
        try self.init(migrations: migrations)
    }

    public init(migrations: [Migration]) throws {
        var seen = Set<Int>()
        for migration in migrations where !seen.insert(migration.version).inserted {
            throw MigrationError.duplicateVersion(migration.version)
        }
        self.migrations = migrations.sorted { $0.version < $1.version }
    }

    /// Parses `0001_initial.sql` into version 1, name `initial`.
    public static func migration(fileName: String, sql: String) throws -> Migration {
        let stem = fileName.hasSuffix(".sql") ? String(fileName.dropLast(4)) : fileName
        let parts = stem.split(separator: "_", maxSplits: 1)
        guard parts.count == 2, parts[0].count == 4, let version = Int(parts[0]), !parts[1].isEmpty else {
            throw MigrationError.badFileName(fileName)
        }
        return Migration(version: version, name: String(parts[1]), sql: sql, checksum: Checksum.sha256Hex(sql))
    }

    /// Applies every migration not yet applied; returns the versions it applied (empty: nothing to do).
    @discardableResult
    public func migrate(_ database: AppDatabase) throws -> [Int] {
        try database.pool.barrierWriteWithoutTransaction { db in
            try db.execute(
                sql: """
                    CREATE TABLE IF NOT EXISTS schema_migrations (
                        version INTEGER PRIMARY KEY, name TEXT NOT NULL,
                        checksum TEXT NOT NULL, applied_at INTEGER NOT NULL)
                    """)
            let applied = try Row.fetchAll(db, sql: "SELECT version, name, checksum FROM schema_migrations")
            var appliedChecksums: [Int: String] = [:]
            let known = Set(migrations.map(\.version))
            for row in applied {
                let version: Int = row["version"]
                appliedChecksums[version] = row["checksum"]
                if !known.contains(version) {
                    throw MigrationError.appliedButMissing(version: version, name: row["name"])
                }
            }
            for migration in migrations {
                if let checksum = appliedChecksums[migration.version], checksum != migration.checksum {
                    throw MigrationError.changedAfterApplied(version: migration.version, name: migration.name)
                }
            }
            var newlyApplied: [Int] = []
            for migration in migrations where appliedChecksums[migration.version] == nil {
                do {
                    try db.inTransaction(.immediate) {
                        try db.execute(sql: migration.sql)
                        try db.execute(
                            sql:
                                "INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (?, ?, ?, ?)",
                            arguments: [
                                migration.version, migration.name, migration.checksum,
                                Int(Date().timeIntervalSince1970),
                            ])
                        return .commit
                    }
                } catch let error as DatabaseError {
                    throw MigrationError.failed(
                        version: migration.version, name: migration.name,
                        message: error.message ?? "\(error.resultCode)")
                }
                newlyApplied.append(migration.version)
            }
            return newlyApplied
        }
    }
}
