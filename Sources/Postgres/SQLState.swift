/// A five-character SQLSTATE code, with names for the ones the application acts on.
public struct SQLState: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    /// The five characters, e.g. `23505`.
    public var rawValue: String
    /// True when the error came from a statement the client had prepared on this connection earlier and the
    /// server can no longer run in that form (`0A000` "cached plan must not change result type" after a
    /// table changed, `26000` after the server deallocated it), inside a transaction block: the client has
    /// forgotten it, so running the whole transaction again prepares it afresh. Does not take part in `==`.
    public internal(set) var isStalePreparedStatement = false

    /// Wraps a five-character code.
    public init(rawValue: String) { self.rawValue = rawValue }

    public static func == (left: SQLState, right: SQLState) -> Bool { left.rawValue == right.rawValue }

    public func hash(into hasher: inout Hasher) { hasher.combine(rawValue) }

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
    /// `0A000`: a feature is not supported; also "cached plan must not change result type".
    public static let featureNotSupported = SQLState(rawValue: "0A000")
    /// `26000`: no prepared statement of that name.
    public static let invalidSQLStatementName = SQLState(rawValue: "26000")
    /// `25006`: a write was attempted in a read-only transaction.
    public static let readOnlySQLTransaction = SQLState(rawValue: "25006")

    /// True for class 08 (connection exception) and for a terminated backend.
    public var isConnectionException: Bool {
        rawValue.hasPrefix("08") || self == .adminShutdown || rawValue == "57P02" || rawValue == "57P03"
    }

    /// True when retrying the whole transaction may succeed (serialization failure, deadlock, a stale
    /// prepared statement: ``isStalePreparedStatement``).
    public var isTransient: Bool {
        self == .serializationFailure || self == .deadlockDetected || isStalePreparedStatement
    }
}
