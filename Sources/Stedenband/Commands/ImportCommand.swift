import Activities
import ArgumentParser
import Foundation
import Gateway
import Kernel
import Logging
import Migrations
import Postgres
import Results
import Synchronization

/// `stedenband import activities --tenant SLUG FILE` and `stedenband import results --tenant SLUG FILE`: a
/// spreadsheet of activities, or of results with their indicators, periods and values, all or nothing.
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import data from spreadsheets.",
        subcommands: [Activities.self, Results.self]
    )

    struct Activities: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "activities",
            abstract: "Import activities from a CSV file (see docs/activity-import.md); all or nothing.",
            discussion: "A bad file imports nothing: every bad row, column and reason is listed."
        )

        @Option(help: "The municipality, by slug.")
        var tenant: String

        @Option(
            name: .customLong("as"),
            help: "The e-mail of the user the import acts for (default: the first administrator).")
        var user: String?

        @Argument(help: "The CSV file.")
        var file: String

        @Option(help: "A folder of migration files to use instead of the built-in ones (env STEDENBAND_MIGRATIONS).")
        var migrations: String?

        func run() async throws {
            let logger = LogSetup.bootstrap(defaultLevel: .warning)
            guard let data = FileManager.default.contents(atPath: file) else {
                printError("stedenband import: cannot read \(file)")
                throw ExitCode.failure
            }
            try await DatabaseAccess(logger: logger).withDatabase { logins in
                let (tenantID, userID, role) = try await ImportCommand.actingUser(
                    tenant: tenant, user: user, may: "record activities", admin: logins.migration, logger: logger)
                let assembly = try ServerAssembly(
                    server: try await logins.server(),
                    migrations: try MigrationSet.resolve(directory: migrations),
                    poolSize: 2,
                    logger: logger
                )
                let activities = ActivitiesService(publisher: assembly.kernel.publisher)
                let bar = ProgressBar()
                do {
                    let ids = try await assembly.pool.withTransaction(tenantID: tenantID) { connection in
                        try await activities.importCSV(
                            data,
                            access: TenantAccess(tenantID: tenantID, userID: userID, role: role),
                            on: connection,
                            progress: { done, total in bar.show(done, of: total) }
                        )
                    }
                    bar.finish()
                    printOutput("Imported \(ids.count) activities into \(tenant).")
                    await assembly.pool.close()
                } catch let problem as Problem {
                    bar.finish()
                    await assembly.pool.close()
                    printError("stedenband import: nothing was imported. \(problem.detail ?? problem.title)")
                    for error in problem.errors ?? [] { printError("  \(error.field): \(error.message)") }
                    throw ExitCode.failure
                }
            }
        }

    }

    /// The tenant and the user an import acts for (by e-mail, else the first administrator), who must be an
    /// administrator or a coordinator; `may` says what they would not be allowed to do otherwise.
    static func actingUser(
        tenant: String, user: String?, may: String, admin: PostgresConfiguration, logger: Logger
    ) async throws -> (UUID, UUID, Identity.Role) {
        let rows = try await PostgresConnection.withConnection(to: admin, logger: logger) { connection in
            try await connection.query(
                """
                SELECT t.id, u.id, u.role FROM platform.tenants t
                JOIN platform.users u ON u.tenant_id = t.id AND u.disabled_at IS NULL
                WHERE t.slug = \(tenant) AND t.disabled_at IS NULL
                  AND (\(user)::text IS NULL AND u.role = \(Identity.Role.admin.rawValue)
                       OR lower(u.email) = lower(\(user)))
                ORDER BY u.created_at LIMIT 1
                """
            )
        }
        guard let row = rows.first else {
            printError("stedenband import: no such tenant \(tenant)\(user.map { " or user \($0)" } ?? "")")
            throw ExitCode.failure
        }
        let (tenantID, userID, roleName) = try row.decode((UUID, UUID, String).self)
        guard let role = Identity.Role(rawValue: roleName), role == .admin || role == .coordinator else {
            printError("stedenband import: \(user ?? "that user") may not \(may)")
            throw ExitCode.failure
        }
        return (tenantID, userID, role)
    }

    struct Results: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "results",
            abstract:
                "Import results, indicators, periods and approved values from a CSV file (see "
                + "docs/results-import.md); all or nothing.",
            discussion: "A bad file imports nothing: every bad row, column and reason is listed."
        )

        @Option(help: "The municipality, by slug.")
        var tenant: String

        @Option(
            name: .customLong("as"),
            help: "The e-mail of the user the import acts for (default: the first administrator).")
        var user: String?

        @Argument(help: "The CSV file.")
        var file: String

        @Option(help: "A folder of migration files to use instead of the built-in ones (env STEDENBAND_MIGRATIONS).")
        var migrations: String?

        func run() async throws {
            let logger = LogSetup.bootstrap(defaultLevel: .warning)
            guard let data = FileManager.default.contents(atPath: file) else {
                printError("stedenband import: cannot read \(file)")
                throw ExitCode.failure
            }
            try await DatabaseAccess(logger: logger).withDatabase { logins in
                let (tenantID, userID, role) = try await ImportCommand.actingUser(
                    tenant: tenant, user: user, may: "define results", admin: logins.migration, logger: logger)
                let assembly = try ServerAssembly(
                    server: try await logins.server(),
                    migrations: try MigrationSet.resolve(directory: migrations),
                    poolSize: 2,
                    logger: logger
                )
                let results = ResultsService(publisher: assembly.kernel.publisher)
                do {
                    let imported = try await assembly.pool.withTransaction(tenantID: tenantID) { connection in
                        try await results.importCSV(
                            data, access: TenantAccess(tenantID: tenantID, userID: userID, role: role),
                            on: connection)
                    }
                    printOutput(
                        "Imported into \(tenant): \(imported.results) results, \(imported.indicators) indicators, "
                            + "\(imported.periods) periods defined or changed.")
                    await assembly.pool.close()
                } catch let problem as Problem {
                    await assembly.pool.close()
                    printError("stedenband import: nothing was imported. \(problem.detail ?? problem.title)")
                    for error in problem.errors ?? [] { printError("  \(error.field): \(error.message)") }
                    throw ExitCode.failure
                }
            }
        }
    }
}

/// A progress bar on standard error, redrawn at most once per percent.
final class ProgressBar: Sendable {
    private let last = Mutex(-1)

    func show(_ done: Int, of total: Int) {
        let percent = total == 0 ? 100 : done * 100 / total
        let draw = last.withLock { last in
            defer { last = percent }
            return percent != last
        }
        guard draw else { return }
        let filled = percent * 30 / 100
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: 30 - filled)
        FileHandle.standardError.write(Data("\r[\(bar)] \(done)/\(total)".utf8))
    }

    func finish() {
        if last.withLock({ $0 }) >= 0 { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}
