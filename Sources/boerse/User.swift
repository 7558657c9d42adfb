import ArgumentParser
import Domain
import Foundation
import Web

/// `boerse user`: accounts made by the operator (an operator's tool, so its output is English).
struct User: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Manage accounts from the command line.", subcommands: [Add.self])

    /// `boerse user add --role staff --email … --name …`: a confirmed staff or admin account.
    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a confirmed staff or admin account.",
            discussion: """
                The password is read from the first line of standard input when it is not a terminal \
                (printf '%s\\n' \"$PASSWORD\" | boerse user add …); otherwise a strong one is generated and \
                printed once. Either way it must pass the same rules as on the registration page.
                """)

        @OptionGroup var common: CommonOptions

        @Option(help: "The account's role: staff or admin.")
        var role: String

        @Option(help: "The e-mail address the person logs in with.")
        var email: String

        @Option(help: "The name shown on the site.")
        var name: String

        func validate() throws {
            guard role == Role.staff.rawValue || role == Role.admin.rawValue else {
                throw ValidationError("--role must be staff or admin")
            }
        }

        func run() throws {
            let password: String? =
                isatty(STDIN_FILENO) == 0
                ? StaffAccountCreation.firstLine(of: FileHandle.standardInput.readDataToEndOfFile()) : nil
            let logger = Logging.make("boerse", level: common.logLevel)
            let application = try buildApplication(
                AppConfiguration(root: common.root, databasePath: common.databasePath, region: common.region),
                logger: logger)
            do {
                let created = try StaffAccountCreation.add(
                    to: application, role: Role(rawValue: role) ?? .staff, email: email, name: name,
                    password: password)
                print("created \(role) account #\(created.id)")
                if let generated = created.generatedPassword {
                    print("password (shown only now, store it safely): \(generated)")
                }
            } catch {
                throw UserCommandFailure(description: String(describing: error))
            }
        }
    }
}

/// An error ArgumentParser prints without the usage text.
struct UserCommandFailure: Error, CustomStringConvertible {
    let description: String
}
