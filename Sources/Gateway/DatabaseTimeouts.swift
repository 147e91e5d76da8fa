import Foundation
import Postgres

/// The limits every app-role connection sets for its session, so that no statement and no forgotten
/// transaction holds a connection (and its locks) for long: `statement_timeout` and
/// `idle_in_transaction_session_timeout`.
///
/// They apply to the server's and the workers' pool alike, and to one-off commands that use it (`reporting
/// rebuild`, `import`), which run many short statements; an operator who needs more for one run sets the
/// variable for that command, and `0` turns a limit off, as in PostgreSQL. Migrations connect with the
/// owner's login and are not limited: an index built on a large table may take minutes.
public struct DatabaseTimeouts: Sendable, Equatable {
    /// The longest a statement runs before the database cancels it (SQLSTATE 57014).
    public var statement: Duration = defaultStatement
    /// The longest a transaction may sit idle before the database ends its session (SQLSTATE 25P03).
    public var idleInTransaction: Duration = defaultIdleInTransaction

    /// Makes the timeouts.
    public init(statement: Duration = defaultStatement, idleInTransaction: Duration = defaultIdleInTransaction) {
        self.statement = statement
        self.idleInTransaction = idleInTransaction
    }

    /// `DATABASE_STATEMENT_TIMEOUT`'s default: 30 seconds. A request's queries take milliseconds; a report
    /// over all of a municipality's years takes well under a second at the benchmark's sizes.
    public static let defaultStatement: Duration = .seconds(30)
    /// `DATABASE_IDLE_IN_TRANSACTION_TIMEOUT`'s default: 60 seconds. Request bodies are read before a
    /// transaction opens, so a request's transaction is idle only between its own statements; a minute is
    /// far beyond that, and beyond the statement timeout, and still ends a transaction that a bug or a job
    /// waiting on the network left open before it holds its locks and connection for long.
    public static let defaultIdleInTransaction: Duration = .seconds(60)

    /// The timeouts in `environment` (seconds; `0` for none), with the defaults for those unset.
    ///
    /// - Throws: ``GatewaySettingError`` for a value that is not a number of seconds.
    public static func load(from environment: [String: String]) throws -> DatabaseTimeouts {
        func seconds(_ name: String, default value: Duration) throws -> Duration {
            guard let text = environment[name] else { return value }
            guard let number = Double(text.trimmingCharacters(in: .whitespaces)), number.isFinite, number >= 0 else {
                throw GatewaySettingError(name: name, value: text, expected: "a number of seconds (0 for none)")
            }
            return .milliseconds(Int64((number * 1000).rounded()))
        }
        return DatabaseTimeouts(
            statement: try seconds("DATABASE_STATEMENT_TIMEOUT", default: defaultStatement),
            idleInTransaction: try seconds("DATABASE_IDLE_IN_TRANSACTION_TIMEOUT", default: defaultIdleInTransaction)
        )
    }

    /// `configuration` with both settings in its session options, in milliseconds.
    public func applied(to configuration: PostgresConfiguration) -> PostgresConfiguration {
        func milliseconds(_ duration: Duration) -> String {
            String(duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000)
        }
        return
            configuration
            .withSessionSetting("statement_timeout", milliseconds(statement))
            .withSessionSetting("idle_in_transaction_session_timeout", milliseconds(idleInTransaction))
    }
}
