import Foundation
import Logging

/// The steps on one embedded cluster. Every method that decides to create, start or stop runs
/// with `control.lock` held by the caller (`EmbeddedPostgres.start()` and `Lease.release()`).
struct Cluster: Sendable {
    /// Where the cluster's files live.
    let layout: ClusterLayout
    /// The PostgreSQL programs.
    let binaries: PostgresBinaries
    /// Runs them, as the server user when root.
    let runner: CommandRunner
    /// Carries `postgres.directory` in its metadata.
    let logger: Logger
    /// `max_connections`.
    var maximumConnections = 200

    /// The superuser role created by initdb; connections over the private socket need no password.
    static let superuser = "postgres"
    /// How long `pg_ctl` waits for a start or stop, and a reused server is polled for readiness.
    static let timeoutSeconds = 60
    /// How many lines of `postgres.log` an error quotes.
    static let logLinesInErrors = 15

    /// The user that owns the cluster's files, when it differs from this process's user.
    var serverUser: ServerUser? { runner.serverUser }

    // MARK: Creating

    /// Lets the server user (when root) enter the folder, adding missing execute bits on it and its parents.
    func prepareFolder() throws {
        if let serverUser {
            try FileSystem.makeTraversable(layout.directory, for: serverUser, logger: logger)
        }
    }

    /// Creates the cluster with initdb unless `data/PG_VERSION` shows it exists.
    ///
    /// - Throws: `EmbeddedPostgresError` with code `initdbFailed` or `directoryFailed`.
    func createIfAbsent() async throws {
        let data = layout.dataDirectory
        if FileManager.default.fileExists(atPath: data + "/PG_VERSION") {
            return
        }
        try FileSystem.makePrivateFolder(data, owner: serverUser)
        try clearLeftovers(in: data)
        logger.notice("Creating the embedded PostgreSQL cluster", metadata: ["postgres.data": "\(data)"])
        let common = ["-D", data, "-U", Self.superuser, "--auth=trust", "-E", "UTF8"]
        var result = try await runner.run(binaries.initdb, common + ["--locale=C.UTF-8"])
        if !result.succeeded && result.standardError.localizedCaseInsensitiveContains("locale") {
            logger.warning("initdb refused the C.UTF-8 locale; retrying with the C locale")
            try clearLeftovers(in: data)
            result = try await runner.run(binaries.initdb, common + ["--locale=C"])
        }
        try result.check(.initdbFailed, "Could not create the PostgreSQL cluster")
        try appendSettingsInclude()
    }

    /// Empties a data folder that holds files but no cluster: what an interrupted initdb leaves behind.
    private func clearLeftovers(in data: String) throws {
        let leftovers = (try? FileManager.default.contentsOfDirectory(atPath: data)) ?? []
        guard !leftovers.isEmpty else { return }
        logger.warning(
            "The data folder holds files but no cluster (interrupted initdb?); clearing it",
            metadata: ["postgres.data": "\(data)"]
        )
        do {
            for name in leftovers {
                try FileManager.default.removeItem(atPath: data + "/" + name)
            }
        } catch {
            throw EmbeddedPostgresError(.directoryFailed, "Could not clear \(data) before initdb: \(error)")
        }
    }

    /// Makes `postgresql.conf` include `stedenband.conf` last, so those settings win over initdb's.
    private func appendSettingsInclude() throws {
        let path = layout.dataDirectory + "/postgresql.conf"
        let line =
            "\n# Added by stedenband: socket, limits and logging of the embedded cluster.\n"
            + "include_if_exists = '\(ClusterLayout.settingsFileName)'\n"
        guard let handle = FileHandle(forWritingAtPath: path) else {
            throw EmbeddedPostgresError(.directoryFailed, "Could not open \(path) to add the settings include")
        }
        defer { try? handle.close() }
        do {
            try handle.seekToEnd()
            try handle.write(contentsOf: Data(line.utf8))
        } catch {
            throw EmbeddedPostgresError(.directoryFailed, "Could not append to \(path): \(error)")
        }
    }

    /// The settings written to `stedenband.conf` before every start. The socket folder can change
    /// when the folder moves, so it is not baked into `postgresql.conf` once.
    var settings: String {
        // A list of folders: each may be double-quoted, with a double quote inside written twice.
        let socketList = "\"" + layout.socketDirectory.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        return """
            # Written by stedenband before every start of the embedded cluster; changes here are overwritten.
            # Put your own settings in postgresql.conf above the include line, or use ALTER SYSTEM.
            listen_addresses = ''
            port = \(ClusterLayout.port)
            unix_socket_directories = '\(Self.configurationString(socketList))'
            unix_socket_permissions = 0700
            max_connections = \(maximumConnections)
            shared_buffers = 128MB
            log_min_messages = warning

            """
    }

    /// `value` escaped for the inside of a single-quoted `postgresql.conf` string.
    static func configurationString(_ value: String) -> String {
        value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "''")
    }

    // MARK: Starting

    /// Starts the server unless it already runs (started by this or another process), clearing a stale
    /// `postmaster.pid` first, and waits until it accepts connections.
    ///
    /// - Throws: `EmbeddedPostgresError` with code `startFailed`, `directoryFailed` or `commandFailed`.
    func startIfStopped() async throws {
        switch PostmasterPIDFile.inspect(layout.postmasterPIDFile, dataDirectory: layout.dataDirectory) {
        case .running(let pid):
            logger.info("Reusing the running embedded PostgreSQL", metadata: ["postgres.pid": "\(pid)"])
            try await waitUntilReady()
            return
        case .stale(let pid):
            logger.warning(
                "Removing a stale postmaster.pid left by a server that is gone",
                metadata: ["postgres.pid": "\(pid.map(String.init) ?? "unreadable")"]
            )
            try remove(layout.postmasterPIDFile)
        case .absent:
            break
        }
        try removeStaleSocketLock()
        try FileSystem.makePrivateFolder(layout.socketDirectory, owner: serverUser)
        try FileSystem.makeFile(layout.logFile, owner: serverUser)
        try FileSystem.write(settings, to: layout.settingsFile, owner: serverUser)

        logger.info(
            "Starting the embedded PostgreSQL",
            metadata: ["postgres.socket": "\(layout.socketDirectory)", "postgres.log": "\(layout.logFile)"]
        )
        let arguments = [
            "-D", layout.dataDirectory, "-l", layout.logFile, "-w", "-t", "\(Self.timeoutSeconds)", "start",
        ]
        let result = try await runner.run(binaries.pgCtl, arguments)
        guard result.succeeded else {
            throw result.error(.startFailed, "Could not start PostgreSQL", extra: logTail())
        }
    }

    /// Removes the socket's lock file (and socket) when the process it names is not this cluster's postmaster.
    private func removeStaleSocketLock() throws {
        let lock = layout.socketLockFile
        guard FileManager.default.fileExists(atPath: lock) else { return }
        if case .running = PostmasterPIDFile.inspect(lock, dataDirectory: layout.dataDirectory) {
            return
        }
        logger.warning("Removing a stale socket lock file", metadata: ["postgres.file": "\(lock)"])
        try remove(lock)
        if FileManager.default.fileExists(atPath: layout.socketFile) {
            try remove(layout.socketFile)
        }
    }

    /// Polls `pg_isready` until the server accepts connections, for at most `timeoutSeconds`.
    private func waitUntilReady() async throws {
        let deadline = ContinuousClock.now + .seconds(Self.timeoutSeconds)
        let arguments = [
            "-q", "-h", layout.socketDirectory, "-p", "\(ClusterLayout.port)", "-U", Self.superuser, "-d", "postgres",
        ]
        while true {
            let result = try await runner.run(binaries.pgIsReady, arguments)
            if result.succeeded {
                return
            }
            guard ContinuousClock.now < deadline else {
                throw result.error(
                    .startFailed,
                    "The running PostgreSQL did not accept connections within \(Self.timeoutSeconds) s",
                    extra: logTail()
                )
            }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    // MARK: The database

    /// Creates the application database unless it exists.
    ///
    /// - Throws: `EmbeddedPostgresError` with code `commandFailed`.
    func createDatabaseIfMissing(_ name: String) async throws {
        let connection = ["-h", layout.socketDirectory, "-p", "\(ClusterLayout.port)", "-U", Self.superuser]
        let literal = "'" + name.replacingOccurrences(of: "'", with: "''") + "'"
        let query = "SELECT 1 FROM pg_catalog.pg_database WHERE datname = \(literal)"
        let exists = try await runner.run(
            binaries.psql,
            ["-X", "-q", "-v", "ON_ERROR_STOP=1"] + connection + ["-d", "postgres", "-tA", "-c", query]
        ).check(.commandFailed, "Could not check whether the database \(name) exists")
        if exists.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines) == "1" {
            return
        }
        logger.notice("Creating the database", metadata: ["postgres.database": "\(name)"])
        try await runner.run(binaries.createdb, connection + ["--", name])
            .check(.commandFailed, "Could not create the database \(name)")
    }

    // MARK: Stopping

    /// Stops the server (fast shutdown: open sessions are ended, transactions rolled back) if it runs.
    ///
    /// - Throws: `EmbeddedPostgresError` with code `stopFailed`.
    func stopIfRunning() async throws {
        switch PostmasterPIDFile.inspect(layout.postmasterPIDFile, dataDirectory: layout.dataDirectory) {
        case .absent:
            logger.info("The embedded PostgreSQL is already stopped")
        case .stale:
            logger.warning("The embedded PostgreSQL is already gone; removing its stale postmaster.pid")
            try remove(layout.postmasterPIDFile)
        case .running(let pid):
            logger.info("Stopping the embedded PostgreSQL", metadata: ["postgres.pid": "\(pid)"])
            let arguments = ["-D", layout.dataDirectory, "-m", "fast", "-w", "-t", "\(Self.timeoutSeconds)", "stop"]
            let result = try await runner.run(binaries.pgCtl, arguments)
            guard result.succeeded else {
                throw result.error(.stopFailed, "Could not stop PostgreSQL", extra: logTail())
            }
        }
    }

    // MARK: Helpers

    /// The last lines of `postgres.log`, introduced for an error message; empty when unreadable.
    func logTail() -> String {
        guard let log = try? String(contentsOfFile: layout.logFile, encoding: .utf8) else { return "" }
        let tail = CommandResult.tail(of: log, lines: Self.logLinesInErrors)
        return tail.isEmpty ? "" : "Last lines of \(layout.logFile):\n\(tail)"
    }

    /// Removes the file at `path`.
    private func remove(_ path: String) throws {
        do {
            try FileManager.default.removeItem(atPath: path)
        } catch {
            throw EmbeddedPostgresError(.directoryFailed, "Could not remove \(path): \(error)")
        }
    }
}
