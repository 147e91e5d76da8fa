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

extension PostgresError {
    /// The same error, marked as coming from a prepared statement that went stale inside a transaction block:
    /// its SQLSTATE then counts as transient, so the transaction runs again.
    func stalePreparedStatement() -> PostgresError {
        var copy = self
        copy.sqlState?.isStalePreparedStatement = true
        return copy
    }
}
