import Activities
import ArgumentParser
import Foundation
import Gateway
import Kernel
import Logging
import Migrations
import Postgres

/// `stedenband activities restate [--tenant SLUG]`: the activities' descriptions stated in an event, once after
/// the upgrade that made activity events carry them (docs/activity-import.md, "Descriptions in the events").
struct ActivitiesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "activities",
        abstract: "Operate the activities.",
        subcommands: [Restate.self]
    )

    struct Restate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Publish each described activity's description, which events before 2026-12-05 did not carry.",
            discussion: """
                Run once after upgrading: the read model, and so the IATI file, then hold the description each \
                coordinator wrote instead of the title. One transaction per municipality; the events change \
                nothing else and are not told in digests. Running it again is harmless. Safe while the server runs.
                """
        )

        @Option(help: "Only this municipality, by slug (default: all).")
        var tenant: String?

        @Option(help: "A folder of migration files to use instead of the built-in ones (env STEDENBAND_MIGRATIONS).")
        var migrations: String?

        func run() async throws {
            let logger = LogSetup.bootstrap(defaultLevel: .warning)
            try await DatabaseAccess(logger: logger).withDatabase { logins in
                // The migration login sees every municipality; each acts as its first administrator, whom the
                // events name as their actor.
                let municipalities = try await PostgresConnection.withConnection(to: logins.migration, logger: logger) {
                    connection in
                    try await connection.query(
                        """
                        SELECT t.slug, t.id, u.id FROM platform.tenants t
                        JOIN LATERAL (
                            SELECT id FROM platform.users u
                            WHERE u.tenant_id = t.id AND u.role = 'admin' AND u.disabled_at IS NULL
                            ORDER BY u.created_at LIMIT 1) u ON true
                        WHERE t.disabled_at IS NULL AND (\(tenant)::text IS NULL OR t.slug = \(tenant))
                        ORDER BY t.slug
                        """
                    ).map { try $0.decode((String, UUID, UUID).self) }
                }
                if let tenant, municipalities.isEmpty {
                    printError("stedenband activities restate: no municipality \(tenant) with an administrator")
                    throw ExitCode.failure
                }
                let assembly = try ServerAssembly(
                    server: try await logins.server(), migrations: try MigrationSet.resolve(directory: migrations),
                    poolSize: 2, logger: logger)
                let service = ActivitiesService(publisher: assembly.kernel.publisher)
                try await assembly.closingPool {
                    for (slug, tenantID, userID) in municipalities {
                        let restated = try await assembly.pool.withTransaction(tenantID: tenantID) { connection in
                            try await service.restateDescriptions(
                                access: TenantAccess(tenantID: tenantID, userID: userID, role: .admin), on: connection)
                        }
                        printOutput("\(slug): restated \(restated) activit\(restated == 1 ? "y" : "ies")")
                    }
                }
            }
        }
    }
}
