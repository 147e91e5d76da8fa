import EmbeddedPostgres
import Foundation
import Logging
import Migrations
import Postgres
import Synchronization

/// The one PostgreSQL cluster a test process uses: started on first use with the same embedded mechanism
/// as the server, in a temporary folder, and stopped when the process exits.
///
/// It holds a template database migrated from the repository's `migrations/`; each suite clones it.
actor TestCluster {
    static let shared = TestCluster()

    private var starting: Task<Started, any Error>?

    struct Started: Sendable {
        let lease: EmbeddedPostgres.Lease
        let directory: String
        let adminConfiguration: PostgresConfiguration
    }

    static let templateName = "stedenband_template"
    /// The login servers started by tests use (`DATABASE_URL`): a member of `stedenband_app` only, as
    /// `stedenband database create-login` makes one. Roles belong to the cluster, so every database has it.
    static let serverLogin = "stedenband_test_server"

    /// The cluster, started by the first caller; concurrent callers wait for the same start.
    func start() async throws -> Started {
        if let starting { return try await starting.value }
        let starting = Task { try await TestCluster.startCluster() }
        self.starting = starting
        return try await starting.value
    }

    private static func startCluster() async throws -> Started {
        TestCluster.reapLeftovers()
        let root = "/tmp/stedenband-tests-\(getpid())"
        try? FileManager.default.removeItem(atPath: root)
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        let directory = root + "/postgres"
        // Every suite runs at once, each with pools and live servers of its own: more than a server needs.
        let embedded = EmbeddedPostgres(
            directory: directory, databaseName: "postgres", maximumConnections: 500, logger: TestLogger.make("cluster"))
        let lease = try await embedded.start()
        TestCluster.stopAtExit(directory: embedded.directory, root: root)
        let admin = try PostgresConfiguration(url: lease.url)
        try await Self.createTemplate(admin: admin)
        return Started(lease: lease, directory: embedded.directory, adminConfiguration: admin)
    }

    /// Makes the template: an empty database migrated with the repository's files, then closed to
    /// connections so that `CREATE DATABASE … TEMPLATE` can copy it.
    private static func createTemplate(admin: PostgresConfiguration) async throws {
        let connection = try await PostgresConnection.connect(to: admin, logger: TestLogger.make("template"))
        try await connection.query("CREATE DATABASE \(identifier: templateName)")
        await connection.close()
        let runner = MigrationRunner(
            migrations: try MigrationSet.load(directory: TestPaths.migrations),
            configuration: admin.setting("dbname", to: templateName),
            logger: TestLogger.make("template")
        )
        try await runner.up()
        // No password: the test cluster trusts its private socket, like the embedded default.
        let server = try await PostgresConnection.connect(to: admin, logger: TestLogger.make("template"))
        try await server.query(
            """
            CREATE ROLE \(identifier: serverLogin) LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOREPLICATION
            IN ROLE \(identifier: MigrationRunner.appRole)
            """
        )
        await server.close()
    }

    // MARK: Cleaning up

    private static let registered = Mutex<(directory: String, root: String)?>(nil)

    /// Stops the cluster with `pg_ctl -m immediate` at process exit: no async work can run then.
    private static func stopAtExit(directory: String, root: String) {
        registered.withLock { $0 = (directory, root) }
        atexit {
            guard let (directory, root) = TestCluster.registered.withLock({ $0 }) else { return }
            TestCluster.stopCluster(dataDirectory: directory + "/data")
            try? FileManager.default.removeItem(atPath: root)
        }
    }

    /// Stops clusters left behind by test processes that died before their exit handler ran.
    private static func reapLeftovers() {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: "/tmp") else { return }
        for name in names where name.hasPrefix("stedenband-tests-") {
            guard let pid = Int32(name.dropFirst("stedenband-tests-".count)), pid != getpid() else { continue }
            if kill(pid, 0) == 0 || errno == EPERM { continue }
            stopCluster(dataDirectory: "/tmp/\(name)/postgres/data")
            try? FileManager.default.removeItem(atPath: "/tmp/\(name)")
        }
    }

    private static func stopCluster(dataDirectory: String) {
        guard FileManager.default.fileExists(atPath: dataDirectory + "/postmaster.pid"),
            let bin = serverBinDirectory()
        else { return }
        var arguments = ["\(bin)/pg_ctl", "-D", dataDirectory, "-m", "immediate", "-w", "stop"]
        if geteuid() == 0 { arguments = ["/usr/sbin/runuser", "-u", "postgres", "--"] + arguments }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: arguments[0])
        process.arguments = Array(arguments.dropFirst())
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try? process.run()
        process.waitUntilExit()
    }

    private static func serverBinDirectory() -> String? {
        let candidates = (try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []
        return candidates.compactMap { Int($0) }.sorted().reversed()
            .map { "/usr/lib/postgresql/\($0)/bin" }
            .first { FileManager.default.isExecutableFile(atPath: "\($0)/pg_ctl") }
    }
}
