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

        @Option(help: "A folder of migration files to use instead of the built-in ones (env STEDENBAND_MIGRATIONS).")
        var migrations: String?

        func run() async throws {
            let logger = LogSetup.bootstrap(defaultLevel: .warning)
            try await DatabaseAccess(logger: logger).withDatabase { logins in
                let service = try ReportsService()
                // The migration login sees every municipality; the server's sees none outside a request.
                let tenants = try await PostgresConnection.withConnection(to: logins.migration, logger: logger) {
                    connection in try await service.municipalities(slug: tenant, on: connection)
                }
                if let tenant, tenants.isEmpty {
                    printError("stedenband reporting rebuild: no municipality \(tenant)")
                    throw ExitCode.failure
                }
                let assembly = try ServerAssembly(
                    server: try await logins.server(), migrations: try MigrationSet.resolve(directory: migrations),
                    poolSize: 2, logger: logger)
                let replayed = try await assembly.closingPool {
                    try await service.rebuild(tenants.map(\.id), pool: assembly.pool)
                }
                for municipality in tenants {
                    printOutput("\(municipality.slug): rebuilt from \(replayed[municipality.id] ?? 0) event(s)")
                }
            }
        }
    }
}
