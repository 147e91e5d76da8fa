import Foundation
import Logging

/// A private PostgreSQL cluster in a folder, made from the server binaries already on the machine.
///
/// Used when no `DATABASE_URL` is configured: ``start()`` creates the cluster on first use, starts it
/// unless it already runs, creates the database, and returns a ``Lease``. Any number of processes
/// (the server, `stedenband migrate` in another terminal) may hold leases on the same folder at once;
/// the cluster stops when the last lease is released. As root, PostgreSQL runs as the `postgres`
/// system user, which is created when absent.
///
/// The server listens on no TCP address, only on a unix socket that its own user alone may open, and
/// trusts every connection there: the folder's file permissions are the access control.
public struct EmbeddedPostgres: Sendable {
    /// The cluster folder, made absolute.
    public let directory: String
    /// The database that ``start()`` creates and the lease's URL names.
    public let databaseName: String
    /// `max_connections` of the server this starts.
    public let maximumConnections: Int
    private let logger: Logger
    private let locator: PostgresBinaryLocator

    /// Describes the cluster in `directory` (relative paths are taken from the working directory).
    ///
    /// - Parameters:
    ///   - directory: The cluster folder, usually ``defaultDirectory(environment:)``.
    ///   - databaseName: The database to create and connect to.
    ///   - maximumConnections: `max_connections`, written before every start; a server that already runs
    ///     keeps its own.
    ///   - logger: Receives what is created, started and stopped, under `postgres.*` metadata keys.
    public init(
        directory: String, databaseName: String = "stedenband", maximumConnections: Int = 200, logger: Logger
    ) {
        self.init(
            directory: directory, databaseName: databaseName, logger: logger, locator: .system(),
            maximumConnections: maximumConnections)
    }

    /// Describes the cluster with an explicit binary search, for tests.
    init(
        directory: String, databaseName: String, logger: Logger, locator: PostgresBinaryLocator,
        maximumConnections: Int = 200
    ) {
        let layout = ClusterLayout(directory: directory)
        self.directory = layout.directory
        self.databaseName = databaseName
        self.maximumConnections = maximumConnections
        var logger = logger
        logger[metadataKey: "postgres.directory"] = "\(layout.directory)"
        self.logger = logger
        self.locator = locator
    }

    /// The default cluster folder: `$STEDENBAND_HOME/postgres` when `STEDENBAND_HOME` is set and not
    /// empty, else `.stedenband/postgres` relative to the working directory.
    public static func defaultDirectory(
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> String {
        if let home = environment["STEDENBAND_HOME"], !home.isEmpty {
            return (home.hasSuffix("/") ? String(home.dropLast()) : home) + "/postgres"
        }
        return ".stedenband/postgres"
    }

    /// Creates the cluster if absent, starts it unless already running (by this or another process),
    /// creates the database if missing, and returns a lease. Holding the lease keeps the cluster up.
    ///
    /// Concurrent calls, in this process or others, are serialised by an flock on `control.lock` in the
    /// folder, so only one of them ever runs initdb or starts the server.
    ///
    /// - Throws: `EmbeddedPostgresError`: `binariesNotFound` when PostgreSQL is not installed (its
    ///   description names the package to install), `invalidDatabaseName`, else the step that failed,
    ///   with the command's output. A start that fails after starting the server stops it again unless
    ///   another lease uses it.
    public func start() async throws -> Lease {
        // Longer names are silently truncated by the server, and the next start would not find them.
        guard !databaseName.isEmpty, databaseName.utf8.count <= 63, !databaseName.contains("\0") else {
            throw EmbeddedPostgresError(
                .invalidDatabaseName,
                "The database name must be 1 to 63 bytes long without NUL characters: \(databaseName.debugDescription)"
            )
        }
        // Binaries first: without them, creating a system user would be a change for nothing.
        let binaries = try await locator.locate(runner: CommandRunner(serverUser: nil, logger: logger))
        let runner = CommandRunner(serverUser: try await ServerUser.forCurrentProcess(logger: logger), logger: logger)
        let cluster = Cluster(
            layout: ClusterLayout(directory: directory),
            binaries: binaries,
            runner: runner,
            logger: logger,
            maximumConnections: maximumConnections
        )
        logger.debug("Using the PostgreSQL binaries", metadata: ["postgres.bin": "\(binaries.directory)"])

        try FileSystem.makeFolder(cluster.layout.leasesDirectory)
        let control = try await FileLock.acquire(cluster.layout.controlLockFile)
        defer { control.release() }
        try cluster.prepareFolder()
        try await cluster.createIfAbsent()
        try await cluster.startIfStopped()
        let lease: LeaseFile
        do {
            try await cluster.createDatabaseIfMissing(databaseName)
            // Made while control.lock is held, so a releasing lease cannot miss this one and stop the server.
            lease = try LeaseFile.create(in: cluster.layout.leasesDirectory)
        } catch {
            await stopUnused(cluster)
            throw error
        }
        logger.info(
            "The embedded PostgreSQL is ready",
            metadata: ["postgres.socket": "\(cluster.layout.socketDirectory)"]
        )
        return Lease(cluster: cluster, databaseName: databaseName, file: lease)
    }

    /// After a failed start, stops the server unless a lease (of any process) still uses it, so that no
    /// server runs that nobody will release. Called with control.lock held.
    private func stopUnused(_ cluster: Cluster) async {
        guard LeaseFile.liveCount(in: cluster.layout.leasesDirectory, logger: logger) == 0 else { return }
        do {
            try await cluster.stopIfRunning()
        } catch {
            logger.warning("Could not stop PostgreSQL after a failed start", metadata: ["postgres.error": "\(error)"])
        }
    }
}
