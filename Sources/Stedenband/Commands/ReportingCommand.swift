import ArgumentParser
import Foundation
import Logging
import Migrations
import Postgres
import Reporting

/// `stedenband reporting rebuild [--tenant SLUG]`: the read model again from the kept events.
struct ReportingCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reporting",
        abstract: "Operate the reports' read model.",
        subcommands: [Rebuild.self]
    )

    struct Rebuild: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Replay the kept events into a fresh read model and swap it in, per municipality.",
            discussion: """
                Each municipality's model is rebuilt in one transaction: reports show the old figures until it \
                commits, then the new ones. Safe while the server runs.
                """
        )

        @Option(help: "Only this municipality, by slug (default: all).")
        var tenant: String?

        @Option(help: "The folder of migration files (env STEDENBAND_MIGRATIONS).")
        var migrations: String = MigrationSet.defaultDirectory()

        func run() async throws {
            let logger = LogSetup.bootstrap(defaultLevel: .warning)
            try await DatabaseAccess(logger: logger).withDatabase { logins in
                let tenants = try await PostgresConnection.withConnection(to: logins.migration, logger: logger) {
                    connection in
                    let rows: PostgresRows
                    if let tenant {
                        rows = try await connection.query(
                            "SELECT id, slug FROM platform.tenants WHERE slug = \(tenant)")
                    } else {
                        rows = try await connection.query("SELECT id, slug FROM platform.tenants ORDER BY slug")
                    }
                    return try rows.map { try $0.decode((UUID, String).self) }
                }
                if let tenant, tenants.isEmpty {
                    printError("stedenband reporting rebuild: no municipality \(tenant)")
                    throw ExitCode.failure
                }
                let assembly = try ServerAssembly(
                    server: try await logins.server(), migrations: try MigrationSet.load(directory: migrations),
                    poolSize: 2, logger: logger)
                let replayed = try await assembly.closingPool {
                    try await ReportingPlugin.rebuild(tenants: tenants.map(\.0), pool: assembly.pool)
                }
                for (id, slug) in tenants {
                    printOutput("\(slug): rebuilt from \(replayed[id] ?? 0) event(s)")
                }
            }
        }
    }
}
