import Foundation
import StorageTestSupport
import Testing
import WebTestSupport

/// A project root whose county settings (`Config/lippe.json`) differ from the real file: a temporary folder
/// holding the changed settings, with every other file linked to the real project. Lets a test run the
/// application with an address, phone number or video the checked-in configuration leaves empty.
enum CountySettingsRoot {
    /// The changed root; `accessibility` and `contact` values replace the real file's fields of those groups.
    static func make(accessibility: [String: String] = [:], contact: [String: String] = [:]) throws -> String {
        let files = FileManager.default
        let source = TestDatabase.projectRoot
        let root = files.temporaryDirectory.appendingPathComponent("boerse-county-\(UUID().uuidString)").path
        try files.createDirectory(atPath: root + "/Config", withIntermediateDirectories: true)
        // The template loader does not descend into a linked folder: real folders, linked files.
        let templates = source + "/Templates"
        for case let path as String in files.enumerator(atPath: templates)?.allObjects ?? [] {
            var isFolder: ObjCBool = false
            _ = files.fileExists(atPath: templates + "/" + path, isDirectory: &isFolder)
            if isFolder.boolValue {
                try files.createDirectory(atPath: root + "/Templates/" + path, withIntermediateDirectories: true)
            } else {
                try files.createDirectory(
                    atPath: root + "/Templates/" + (path as NSString).deletingLastPathComponent,
                    withIntermediateDirectories: true)
                try files.createSymbolicLink(
                    atPath: root + "/Templates/" + path, withDestinationPath: templates + "/" + path)
            }
        }
        for folder in ["Public", "Migrations", "Regions", "Localization", "Data", "Seeds"] {
            try files.createSymbolicLink(atPath: root + "/" + folder, withDestinationPath: source + "/" + folder)
        }
        let data = try Data(contentsOf: URL(fileURLWithPath: source + "/Config/lippe.json"))
        var settings = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        for (group, values) in [("accessibility", accessibility), ("contact", contact)] {
            var fields = settings[group] as? [String: Any] ?? [:]
            fields.merge(values) { _, new in new }
            settings[group] = fields
        }
        try JSONSerialization.data(withJSONObject: settings).write(
            to: URL(fileURLWithPath: root + "/Config/lippe.json"))
        return root
    }

    /// The application on a fresh unseeded database with those settings.
    static func app(accessibility: [String: String] = [:], contact: [String: String] = [:]) throws -> TestApp {
        let root = try make(accessibility: accessibility, contact: contact)
        return try TestApp.make(seeded: false) { $0.root = root }
    }
}
