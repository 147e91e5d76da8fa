import ArgumentParser
import Foundation
import Gateway
import Hummingbird
import Logging
import Messaging
import Migrations
import Postgres

/// `stedenband serve`: the HTTP API.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the HTTP API until SIGTERM or SIGINT.",
        discussion: "Refuses to start while migrations are pending, unless --migrate is given."
    )

    @Option(help: "The address to listen on (env HOST).")
    var host: String = ProcessInfo.processInfo.environment["HOST"] ?? "127.0.0.1"

    @Option(help: "The port to listen on (env PORT); 0 picks a free one.")
    var port: Int = ProcessInfo.processInfo.environment["PORT"].flatMap { Int($0) } ?? 8080

    @Flag(help: "Apply pending migrations before serving.")
    var migrate = false

    @Flag(help: "Add the demo municipalities first when the database has none (what `make run` uses).")
    var demoIfEmpty = false

    @Option(help: "A folder of migration files to use instead of the built-in ones (env STEDENBAND_MIGRATIONS).")
    var migrations: String?

    @Flag(help: "Run only the HTTP API: no job workers, rescuer, cleaner or periodic jobs in this process.")
    var noWorkers = false

    @Option(help: "Jobs run at once by this process's workers (env WORKER_CONCURRENCY).")
    var workerConcurrency: Int =
        ProcessInfo.processInfo.environment["WORKER_CONCURRENCY"].flatMap { Int($0) }
        ?? JobWorkers.Configuration.defaultConcurrency

    @Option(help: "The most database connections the server opens (env DATABASE_POOL_SIZE).")
    var poolSize: Int =
        ProcessInfo.processInfo.environment["DATABASE_POOL_SIZE"].flatMap { Int($0) }
        ?? PostgresConnectionPool.Configuration.defaultMaximumConnections

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535") }
        guard poolSize >= 1 else { throw ValidationError("--pool-size must be at least 1") }
        guard workerConcurrency >= 1 else { throw ValidationError("--worker-concurrency must be at least 1") }
    }

    func run() async throws {
        let logger = LogSetup.bootstrap(defaultLevel: .info)
        let migrationSet = try MigrationSet.resolve(directory: migrations)
        do {
            try await DatabaseAccess(logger: logger).withDatabase { logins in
                logger.info("using database", metadata: ["database": "\(logins.shownAs)"])
                try await prepareSchema(migrationSet, admin: logins.migration, logger: logger)
                // Checked before the demo: its in-process server runs on this login too.
                let server = try await logins.server()
                let warnings = try await ServerLogin.check(server, command: "serve", logger: logger)
                if demoIfEmpty {
                    // The links it prints point where this process will listen, as its mails' do.
                    try await DemoCommand.seedIfEmpty(
                        logins: logins, migrations: migrationSet, listener: (host, port), logger: logger)
                }
                try await serve(server: server, warnings: warnings, migrations: migrationSet, logger: logger)
            }
        } catch let error as MigrationError {
            printError("stedenband: \(error)")
            throw ExitCode.failure
        }
    }

    /// Applies pending migrations with --migrate; otherwise refuses to serve an outdated schema.
    private func prepareSchema(_ migrationSet: MigrationSet, admin: PostgresConfiguration, logger: Logger)
        async throws
    {
        let runner = MigrationRunner(migrations: migrationSet, configuration: admin, logger: logger)
        let status = try await runner.status()
        if !status.servingProblems.isEmpty {
            printError(
                """
                stedenband serve: the migration history disagrees with this binary's migrations; not serving:
                \(status.servingProblems.map { "  - \($0.description)" }.joined(separator: "\n"))
                """
            )
            throw ExitCode.failure
        }
        SchemaAhead.warn(status, command: "serve", logger: logger)
        guard !status.pending.isEmpty else { return }
        guard migrate else {
            printError(
                """
                stedenband: \(status.pending.count) migration(s) pending: \
                \(status.pending.map(\.file).joined(separator: ", ")).
                Run `stedenband migrate up` first, or start with `stedenband serve --migrate`.
                """
            )
            throw ExitCode.failure
        }
        try await runner.up { progress in MigrateCommand.Up.report(progress, json: false) }
    }

    private func serve(
        server: PostgresConfiguration, warnings: [String], migrations: MigrationSet, logger: Logger
    ) async throws {
        let assembly = try ServerAssembly(
            server: server, migrations: migrations, poolSize: poolSize, warnings: warnings,
            listener: (host, port), logger: logger)
        let host = self.host
        var services = noWorkers ? [] : assembly.workerServices(concurrency: workerConcurrency)
        if let listener = assembly.environment.settings.metricsListener {
            services.append(
                buildMetricsApplication(environment: assembly.environment, host: listener.host, port: listener.port) {
                    port in
                    let shownHost = listener.host.contains(":") ? "[\(listener.host)]" : listener.host
                    printOutput("stedenband serves /metrics on http://\(shownHost):\(port)")
                })
        }
        let app = buildApplication(
            environment: assembly.environment,
            router: assembly.router,
            configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: "stedenband"),
            services: services,
            onServerRunning: { port in
                let shownHost = host.contains(":") ? "[\(host)]" : host
                printOutput("stedenband is serving on http://\(shownHost):\(port)")
            }
        )
        try await app.runService()
        await assembly.pool.close()
    }
}
