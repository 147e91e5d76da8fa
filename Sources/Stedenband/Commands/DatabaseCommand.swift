import ArgumentParser
import Foundation
import Logging
import Migrations
import Postgres

/// `stedenband database create-login NAME`: the server's own login, a member of `stedenband_app` only.
struct DatabaseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "database",
        abstract: "Manage the database logins the server uses.",
        subcommands: [CreateLogin.self]
    )

    struct CreateLogin: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "create-login",
            abstract: "Create a login for `serve` and `worker` and print its URL (with its password) once.",
            discussion: """
                The login is a member of stedenband_app only: LOGIN, NOSUPERUSER, NOBYPASSRLS, NOCREATEDB, \
                NOCREATEROLE, with a generated password. It is created with the owner's login \
                (MIGRATION_DATABASE_URL, else DATABASE_URL), which needs CREATEROLE. Set the server's DATABASE_URL \
                to the printed URL; it is not shown again (`--if-exists rotate` gives the login a new one). \
                Deployments that keep the password in a secret of their own pass it with --password-env.
                """
        )

        enum IfExists: String, ExpressibleByArgument, CaseIterable {
            /// Refuse: the name is taken.
            case fail
            /// Give the existing server login the new password (rotation; what docker-compose.yml does).
            case rotate
        }

        @Argument(help: "The login's name: lower-case letters, digits and _, starting with a letter.")
        var name: String

        @Option(help: "When the login exists: fail, or rotate (give it the new password; only a server login).")
        var ifExists: IfExists = .fail

        @Option(help: "Take the password from this environment variable instead of generating one (not printed).")
        var passwordEnv: String?

        @Flag(help: "Print JSON: {\"login\", \"url\", \"rotated\"}.")
        var json = false

        func validate() throws {
            guard ServerLogin.isValidName(name) else {
                throw ValidationError(
                    "NAME must be 1 to 63 lower-case letters, digits or _, starting with a letter: \(name)")
            }
            if let passwordEnv, (ProcessInfo.processInfo.environment[passwordEnv] ?? "").count < 12 {
                throw ValidationError("--password-env: \(passwordEnv) must hold a password of 12 characters or more")
            }
        }

        func run() async throws {
            let logger = LogSetup.bootstrap(defaultLevel: .warning)
            let given = passwordEnv.flatMap { ProcessInfo.processInfo.environment[$0] }
            let password = given ?? ServerLogin.generatePassword()
            let (url, rotated) = try await DatabaseAccess(logger: logger).withDatabase { logins in
                let rotated = try await PostgresConnection.withConnection(to: logins.migration, logger: logger) {
                    connection in try await apply(password: password, on: connection)
                }
                // A password the caller gave is theirs already: the URL goes without it, into no log.
                return (Self.url(for: logins.migration, user: name, password: given == nil ? password : nil), rotated)
            }
            if json {
                printJSON(["login": name, "url": url, "rotated": rotated ? "true" : "false"])
            } else {
                printOutput(rotated ? "Gave the login \(name) a new password." : "Created the login \(name).")
                if given == nil {
                    printOutput("Its URL, shown only now (set DATABASE_URL of `serve` and `worker` to it):")
                } else {
                    printOutput("Its URL, with the password of \(passwordEnv ?? "") to add:")
                }
                printOutput("  \(url)")
            }
        }

        /// Creates the login, or rotates its password; answers whether it rotated.
        private func apply(password: String, on connection: PostgresConnection) async throws -> Bool {
            guard try await ServerLogin.appRoleExists(on: connection) else {
                fail("the database has no role \(MigrationRunner.appRole) yet: run `stedenband migrate up` first")
            }
            let exists = try await ServerLogin.exists(name, on: connection)
            do {
                if exists {
                    guard ifExists == .rotate else {
                        fail(
                            "a role named \(name) exists already: choose another name, or `--if-exists rotate` to give "
                                + "it a new password")
                    }
                    let (_, escapes) = try await ServerLogin.escapes(of: name, on: connection)
                    guard escapes.isEmpty else {
                        fail("\(name) is not a server login (\(escapes.joined(separator: "; "))); not changed")
                    }
                    try await ServerLogin.setPassword(password, of: name, on: connection)
                    return true
                }
                try await ServerLogin.create(name, password: password, on: connection)
                return false
            } catch let error as PostgresError where error.sqlState == .insufficientPrivilege {
                fail(
                    """
                    the login of MIGRATION_DATABASE_URL may not create or change roles: it needs \
                    CREATEROLE (from PostgreSQL 16 also ADMIN OPTION on \(MigrationRunner.appRole)). \
                    (\(error.serverMessage ?? error.reason))
                    """)
            }
        }

        private func fail(_ message: String) -> Never {
            printError("stedenband database create-login: \(message)")
            Foundation.exit(1)
        }

        /// The URL of `user` on the database `migration` reaches: same host, port, database and TLS settings.
        static func url(for migration: PostgresConfiguration, user: String, password: String?) -> String {
            let host = migration.value(of: "host") ?? ""
            // A socket folder (or a list of hosts) goes into the query: it cannot stand in the authority.
            let hostInAuthority = !host.isEmpty && !host.hasPrefix("/") && !host.contains(",") && !host.hasPrefix("@")
            var authority = "\(user)\(password.map { ":\($0)" } ?? "")@"
            if hostInAuthority {
                authority += host.contains(":") ? "[\(host)]" : host
                if let port = migration.value(of: "port"), !port.contains(",") { authority += ":\(port)" }
            }
            let skipped: Set<String> = Set(["user", "password", "dbname"] + (hostInAuthority ? ["host", "port"] : []))
            let query = migration.parameters.filter { !skipped.contains($0.keyword) }
                .map { "\($0.keyword)=\(percentEncoded($0.value))" }
            let database = migration.value(of: "dbname").map(percentEncoded) ?? ""
            return "postgresql://\(authority)/\(database)" + (query.isEmpty ? "" : "?" + query.joined(separator: "&"))
        }

        private static func percentEncoded(_ text: String) -> String {
            let unreserved = CharacterSet(
                charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~")
            return text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? text
        }
    }
}
