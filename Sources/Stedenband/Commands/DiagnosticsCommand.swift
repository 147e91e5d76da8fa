import ArgumentParser
import DiagnosticsContracts
import Foundation
import Kernel
import Logging
import Messaging
import Migrations
import Postgres

/// `stedenband diagnostics probe`: sends probes through the event pipeline and waits for the workers;
/// `stedenband diagnostics trace`: what one trace caused.
struct DiagnosticsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diagnostics",
        abstract: "Check the event pipeline from end to end, and follow a trace through it.",
        subcommands: [Probe.self, Trace.self]
    )

    struct Probe: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Publish probe events for a tenant and wait until the workers have recorded each once.",
            discussion: "Needs a running `stedenband serve` or `stedenband worker` on the same database."
        )

        @Option(help: "The tenant, by slug or id.")
        var tenant: String

        @Option(help: "How many probes to send.")
        var count = 1

        @Option(help: "How long the receiver waits before recording each probe, in milliseconds.")
        var delayMs = 0

        @Option(help: "Seconds to wait for the probes; 0 sends them and returns at once.")
        var timeout = 30

        @Option(help: "A folder of migration files to use instead of the built-in ones (env STEDENBAND_MIGRATIONS).")
        var migrations: String?

        func validate() throws {
            guard (1...100_000).contains(count) else { throw ValidationError("--count must be between 1 and 100000") }
            guard delayMs >= 0, timeout >= 0 else {
                throw ValidationError("--delay-ms and --timeout must not be negative")
            }
        }

        func run() async throws {
            let logger = LogSetup.bootstrap(defaultLevel: .warning)
            try await DatabaseAccess(logger: logger).withDatabase { logins in
                let assembly = try ServerAssembly(
                    server: try await logins.server(),
                    migrations: try MigrationSet.resolve(directory: migrations),
                    poolSize: 2,
                    logger: logger
                )
                try await assembly.closingPool {
                    try await probe(with: assembly, admin: logins.migration, logger: logger)
                }
            }
        }

        private func probe(with assembly: ServerAssembly, admin: PostgresConfiguration, logger: Logger) async throws {
            let tenantID = try await resolveTenant(admin: admin, logger: logger)
            let probes = (0..<count).map { _ in UUID() }
            let started = Date()
            try await assembly.pool.withTransaction(tenantID: tenantID) { connection in
                for probe in probes {
                    try await assembly.kernel.bus.publish(
                        ProbeSent(probeID: probe, delayMilliseconds: delayMs),
                        tenantID: tenantID,
                        actor: "diagnostics",
                        in: connection
                    )
                }
            }
            printOutput("Sent \(count) probe(s).")
            guard timeout > 0 else { return }
            let deadline = ContinuousClock.now + .seconds(timeout)
            var received = 0
            while ContinuousClock.now < deadline {
                received = try await assembly.pool.withTransaction(tenantID: tenantID, readOnly: true) {
                    connection in
                    try await connection.query(
                        "SELECT count(*) FROM diagnostics.probe_receipts WHERE probe_id = ANY(\(probes))"
                    )[0].decode(Int.self, column: 0)
                }
                if received == count { break }
                try await Task.sleep(for: .milliseconds(50))
            }
            let seconds = Date().timeIntervalSince(started)
            printOutput("\(received) of \(count) received in \(String(format: "%.2f", seconds)) s.")
            if received < count {
                printError("stedenband diagnostics: probes missing after \(timeout) s; are workers running?")
                throw ExitCode.failure
            }
        }

        private func resolveTenant(admin: PostgresConfiguration, logger: Logger) async throws -> UUID {
            if let id = UUID(uuidString: tenant) { return id }
            let connection = try await PostgresConnection.connect(to: admin, logger: logger)
            let rows = try await connection.query("SELECT id FROM platform.tenants WHERE slug = \(tenant)")
            await connection.close()
            guard let row = rows.first else {
                printError("stedenband diagnostics: no tenant with slug \(tenant)")
                throw ExitCode.failure
            }
            return try row.decode(UUID.self, column: 0)
        }
    }
}
