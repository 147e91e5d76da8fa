/// An error from the PostgreSQL client: what went wrong, the SQLSTATE when the server said it, and context.
///
/// `description` never contains bound values or the server's message text, which can quote them
/// (`invalid input syntax for type uuid: "…"`); `debugDescription` adds the server's message, detail and
/// hint for logs. ``serverMessage`` and friends are there for callers that show them on purpose, such as
/// the migration runner.
public struct PostgresError: Error, Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    /// What kind of failure this is.
    public enum Code: String, Sendable, Hashable {
        /// The connection could not be opened.
        case connectionFailed
        /// The connection broke while in use, or was already closed.
        case connectionLost
        /// The server answered the query with an error; see ``PostgresError/sqlState``.
        case server
        /// A parameter cannot be sent, such as a string holding a NUL byte.
        case invalidParameter
        /// A column could not be decoded as the Swift type asked for.
        case decoding
        /// No pooled connection became free within the acquire timeout.
        case poolTimeout
        /// The pool was closed.
        case poolClosed
        /// The connection URL could not be parsed.
        case invalidConfiguration
        /// A `COMMIT` ended in a rollback because an earlier statement of the transaction failed.
        case transactionRolledBack
    }

    /// What kind of failure this is.
    public var code: Code
    /// The SQLSTATE the server sent, if any.
    public var sqlState: SQLState?
    /// A message safe to show anywhere: it never quotes data.
    public var reason: String
    /// The SQL text (with `$n` placeholders, never values) of the query that failed, if any.
    public var query: String?
    /// The fields of the server's error report, if the server sent one.
    public var server: ServerFields?
    /// Where the failing call was made.
    public var file: String
    /// Where the failing call was made.
    public var line: Int

    /// Makes an error; `file` and `line` default to the caller's location.
    public init(
        code: Code,
        sqlState: SQLState? = nil,
        reason: String,
        query: String? = nil,
        server: ServerFields? = nil,
        file: String = #fileID,
        line: Int = #line
    ) {
        self.code = code
        self.sqlState = sqlState
        self.reason = reason
        self.query = query
        self.server = server
        self.file = file
        self.line = line
    }

    /// The server's primary message, which may quote data: show it only where that is intended.
    public var serverMessage: String? { server?.message }

    /// True when the connection this error came from can no longer be used.
    public var isConnectionLost: Bool {
        code == .connectionLost || code == .connectionFailed || sqlState?.isConnectionException == true
    }

    public var description: String {
        var parts = ["PostgresError(\(code.rawValue)"]
        if let sqlState { parts.append("sqlState: \(sqlState.rawValue)") }
        parts.append("reason: \(reason)")
        if let constraint = server?.constraintName { parts.append("constraint: \(constraint)") }
        if let table = server?.tableName { parts.append("table: \(table)") }
        if let column = server?.columnName { parts.append("column: \(column)") }
        if let query { parts.append("query: \(query)") }
        return parts.joined(separator: ", ") + ")"
    }

    public var debugDescription: String {
        var text = description + " at \(file):\(line)"
        if let server {
            if let message = server.message { text += "\n  message: \(message)" }
            if let detail = server.detail { text += "\n  detail: \(detail)" }
            if let hint = server.hint { text += "\n  hint: \(hint)" }
            if let position = server.position { text += "\n  position: \(position)" }
        }
        return text
    }

    /// The fields of an error report sent by the server.
    public struct ServerFields: Sendable, Hashable {
        /// `ERROR`, `FATAL` or `PANIC`.
        public var severity: String?
        /// The primary message; it may quote data.
        public var message: String?
        /// The optional detail; it often quotes data (`Key (email)=(…) already exists`).
        public var detail: String?
        /// The optional hint.
        public var hint: String?
        /// The 1-based character position in the query where the error was found.
        public var position: Int?
        /// The 1-based position within an internally generated query (e.g. in a function body).
        public var internalPosition: Int?
        /// The context, such as the PL/pgSQL call stack.
        public var context: String?
        /// The schema of the object involved.
        public var schemaName: String?
        /// The table involved.
        public var tableName: String?
        /// The column involved.
        public var columnName: String?
        /// The constraint involved, such as the unique index that was violated.
        public var constraintName: String?

        /// Makes an empty set of fields.
        public init() {}
    }
}

/// A five-character SQLSTATE code, with names for the ones the application acts on.
public struct SQLState: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    /// The five characters, e.g. `23505`.
    public var rawValue: String

    /// Wraps a five-character code.
    public init(rawValue: String) { self.rawValue = rawValue }

    public var description: String { rawValue }

    /// `23505`: a unique constraint was violated.
    public static let uniqueViolation = SQLState(rawValue: "23505")
    /// `23503`: a foreign key was violated.
    public static let foreignKeyViolation = SQLState(rawValue: "23503")
    /// `23502`: a NOT NULL column received NULL.
    public static let notNullViolation = SQLState(rawValue: "23502")
    /// `23514`: a CHECK constraint was violated.
    public static let checkViolation = SQLState(rawValue: "23514")
    /// `40001`: the transaction could not be serialized; retry it.
    public static let serializationFailure = SQLState(rawValue: "40001")
    /// `40P01`: a deadlock was detected; retry the transaction.
    public static let deadlockDetected = SQLState(rawValue: "40P01")
    /// `55P03`: a lock could not be taken (`NOWAIT`, `lock_timeout`).
    public static let lockNotAvailable = SQLState(rawValue: "55P03")
    /// `57014`: the statement was cancelled, for instance by `statement_timeout`.
    public static let queryCanceled = SQLState(rawValue: "57014")
    /// `57P01`: the server is shutting down or the backend was terminated.
    public static let adminShutdown = SQLState(rawValue: "57P01")
    /// `42501`: the role lacks a privilege, including row-level security refusals.
    public static let insufficientPrivilege = SQLState(rawValue: "42501")
    /// `42P01`: the table does not exist.
    public static let undefinedTable = SQLState(rawValue: "42P01")
    /// `22P02`: a value's text could not be read as its type.
    public static let invalidTextRepresentation = SQLState(rawValue: "22P02")
    /// `25006`: a write was attempted in a read-only transaction.
    public static let readOnlySQLTransaction = SQLState(rawValue: "25006")

    /// True for class 08 (connection exception) and for a terminated backend.
    public var isConnectionException: Bool {
        rawValue.hasPrefix("08") || self == .adminShutdown || rawValue == "57P02" || rawValue == "57P03"
    }

    /// True when retrying the whole transaction may succeed (serialization failure, deadlock).
    public var isTransient: Bool {
        self == .serializationFailure || self == .deadlockDetected
    }
}
