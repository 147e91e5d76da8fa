import ArgumentParser
import Foundation
import Logging
import Messaging
import Migrations
import Postgres
import ServiceLifecycle
import UnixSignals

/// `stedenband worker`: job workers only, for scaling background work apart from the API.
struct WorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Run the job workers (and the rescuer, cleaner and periodic jobs) without the HTTP API.",
        discussion: "Several worker and serve processes can share one database; each job runs in one of them."
    )

    @Option(help: "Jobs run at once by this process (env WORKER_CONCURRENCY).")
    var concurrency: Int =
        ProcessInfo.processInfo.environment["WORKER_CONCURRENCY"].flatMap { Int($0) }
        ?? JobWorkers.Configuration.defaultConcurrency

    @Option(help: "A folder of migration files to use instead of the built-in ones (env STEDENBAND_MIGRATIONS).")
    var migrations: String?

    @Option(help: "The most database connections the workers open (env DATABASE_POOL_SIZE).")
    var poolSize: Int = ProcessInfo.processInfo.environment["DATABASE_POOL_SIZE"].flatMap { Int($0) } ?? 10

    func validate() throws {
        guard concurrency >= 1 else { throw ValidationError("--concurrency must be at least 1") }
        guard poolSize >= 1 else { throw ValidationError("--pool-size must be at least 1") }
    }

    func run() async throws {
        let logger = LogSetup.bootstrap(defaultLevel: .info)
        let migrationSet = try MigrationSet.resolve(directory: migrations)
        try await DatabaseAccess(logger: logger).withDatabase { logins in
            let status = try await MigrationRunner(
                migrations: migrationSet, configuration: logins.migration, logger: logger
            ).status()
            guard status.isServable else {
                printError("stedenband worker: the schema is not up to date; run `stedenband migrate up` first.")
                throw ExitCode.failure
            }
            SchemaAhead.warn(status, command: "worker", logger: logger)
            let server = try await logins.server()
            let warnings = try await ServerLogin.check(server, command: "worker", logger: logger)
            let assembly = try ServerAssembly(
                server: server, migrations: migrationSet, poolSize: poolSize, warnings: warnings, logger: logger)
            logger.info("worker started", metadata: ["database": "\(DatabaseAccess.describe(server))"])
            let group = ServiceGroup(
                configuration: .init(
                    services: assembly.workerServices(concurrency: concurrency),
                    gracefulShutdownSignals: [.sigterm, .sigint],
                    logger: logger
                )
            )
            try await group.run()
            await assembly.pool.close()
        }
    }
}
