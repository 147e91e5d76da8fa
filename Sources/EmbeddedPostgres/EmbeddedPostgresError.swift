/// A failure to find, create, start or stop the embedded PostgreSQL cluster.
///
/// The description is meant for an operator: it names what failed and, for a subprocess, the command,
/// its exit status and the last lines of its output. There are no passwords anywhere in this setup.
public struct EmbeddedPostgresError: Error, CustomStringConvertible, Sendable {
    /// What kind of step failed.
    public enum Code: String, Sendable, Hashable {
        /// No PostgreSQL server binaries (`postgres`, `initdb`, `pg_ctl`) were found on this machine.
        case binariesNotFound
        /// The database name is empty or longer than PostgreSQL's 63-byte identifier limit.
        case invalidDatabaseName
        /// The `postgres` system user could not be found or created (only when running as root).
        case systemUserFailed
        /// The cluster folder, its sub-folders or files could not be prepared.
        case directoryFailed
        /// `initdb` failed to create the cluster.
        case initdbFailed
        /// The server did not start, or did not become ready in time.
        case startFailed
        /// The server did not stop.
        case stopFailed
        /// Another command (`psql`, `createdb`, `pg_isready`, ...) failed.
        case commandFailed
        /// A lock file could not be opened or locked.
        case lockFailed
    }

    /// What kind of step failed.
    public var code: Code
    /// What happened, with the command, exit status and output tail where a subprocess failed.
    public var message: String

    /// Creates an error of `code` with an operator-facing `message`.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// The message, prefixed with the code.
    public var description: String {
        "EmbeddedPostgres.\(code.rawValue): \(message)"
    }
}
