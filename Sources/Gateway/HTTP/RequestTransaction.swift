import Foundation
import Hummingbird
import Logging
import Postgres

/// One request's database transaction: borrowed connection, `BEGIN` (read-only for GET and HEAD), the commit
/// policy, and the retry after a deadlock or a serialization failure.
///
/// The transaction commits when the response is a success or redirect, and rolls back otherwise, so a failed
/// request leaves nothing behind.
///
/// When the database ends the transaction with a deadlock or a serialization failure, the whole attempt
/// runs again, up to ``maximumAttempts`` times: a handler's effects are its transaction's (events and jobs
/// are rows in it, and their NOTIFY is sent only after a commit), so a rolled-back attempt leaves nothing to
/// undo. Its body was read whole before (``ReplayableBody``), so it can be read again; after the last
/// attempt the error reaches ``ProblemMiddleware``, which answers 503 with `Retry-After`.
struct RequestTransaction: Sendable {
    let pool: PostgresConnectionPool
    let maximumAttempts: Int

    init(pool: PostgresConnectionPool, maximumAttempts: Int) {
        precondition(maximumAttempts >= 1, "a request is tried at least once")
        self.pool = pool
        self.maximumAttempts = maximumAttempts
    }

    /// Runs `body` in a transaction on one pooled connection, retrying it after a transient failure.
    ///
    /// - Parameters:
    ///   - readOnly: Whether the transaction begins `READ ONLY`.
    ///   - logger: Where a retry is noted.
    ///   - opening: The first statement of each attempt, sent in one round trip with `BEGIN`.
    ///   - body: Given the opening statement's rows and the connection; its response decides the commit.
    func run(
        readOnly: Bool,
        logger: Logger,
        opening: () -> PostgresQuery,
        _ body: (PostgresRows, PostgresConnection) async throws -> Response
    ) async throws -> Response {
        try await pool.withConnection { connection in
            // The attempt rolled back already where it failed in the handler; the ROLLBACK covers the rest
            // (outside a transaction ROLLBACK only warns).
            try await retrying(logger: logger, rollback: connection) {
                try await once(readOnly: readOnly, opening: opening(), on: connection, body)
            }
        }
    }

    /// Runs `attempt` until it succeeds, fails otherwise than transiently, or was tried ``maximumAttempts``
    /// times; before each retry notes it, rolls back on `rollback` (when given) and waits a little.
    private func retrying(
        logger: Logger,
        rollback: PostgresConnection?,
        _ attempt: () async throws -> Response
    ) async throws -> Response {
        var number = 1
        while true {
            do {
                return try await attempt()
            } catch let error as PostgresError where error.sqlState?.isTransient == true && number < maximumAttempts {
                logger.notice(
                    "request transaction retried",
                    metadata: ["postgres.sqlstate": "\(error.sqlState!.rawValue)", "http.attempt": "\(number + 1)"]
                )
                if let rollback { _ = try? await rollback.query("ROLLBACK") }
                // A little jitter, so that two requests that deadlocked do not meet again at once.
                try await Task.sleep(for: .milliseconds(Int.random(in: 1...10) * number))
                number += 1
            }
        }
    }

    /// Runs `body` on one pooled connection with the caller's settings sent in front of its statements, never
    /// in a round trip of their own, retrying it after a transient failure as ``run(readOnly:logger:opening:_:)``.
    ///
    /// `identify` runs once, first, on the same connection: from ``IdentityCache`` without a round trip, or
    /// with one lookup in an implicit transaction of its own. Then:
    /// - for a read (`readOnly`), no `BEGIN` and no `COMMIT`: each statement travels in one pipeline, under one
    ///   sync, behind the settings and `transaction_read_only`, so statement and settings form one implicit
    ///   transaction and the settings are gone after it. Under READ COMMITTED every statement took a snapshot
    ///   of its own inside a transaction too, so a read of several statements sees what it saw before.
    /// - for a write, `BEGIN` and the settings travel with the handler's first statement; then the commit
    ///   policy of ``run(readOnly:logger:opening:_:)``. A handler that sent nothing has nothing to end.
    func run(
        readOnly: Bool,
        logger: Logger,
        identify: (PostgresConnection) async throws -> IdentityCache.Grant,
        _ body: (IdentityCache.Grant, PostgresConnection) async throws -> Response
    ) async throws -> Response {
        try await pool.withConnection { connection in
            let grant = try await identify(connection)
            let settings = grant.settings(readOnly: readOnly)
            return try await retrying(logger: logger, rollback: readOnly ? nil : connection) {
                try await once(readOnly: readOnly, settings: settings, on: connection) {
                    try await body(grant, connection)
                }
            }
        }
    }

    /// One attempt with the settings in front of the statements; the prelude is cleared before the
    /// connection goes back to the pool, whatever happens.
    private func once(
        readOnly: Bool,
        settings: PostgresQuery,
        on connection: PostgresConnection,
        _ body: () async throws -> Response
    ) async throws -> Response {
        if readOnly {
            await connection.setPrelude([settings], everyStatement: true)
            let response: Response
            do {
                response = try await body()
            } catch {
                await connection.clearPrelude()
                throw error
            }
            await connection.clearPrelude()
            return response
        }
        await connection.setPrelude(["BEGIN", settings], everyStatement: false)
        let response: Response
        do {
            response = try await body()
        } catch {
            if !(await connection.clearPrelude()) { _ = try? await connection.query("ROLLBACK") }
            throw error
        }
        // Nothing was sent: no transaction began, so none ends.
        if await connection.clearPrelude() { return response }
        if Self.commits(response) {
            try await connection.commit()
        } else {
            try await connection.query("ROLLBACK")
        }
        return response
    }

    /// Whether a request's transaction commits: when its response is a success or a redirect.
    static func commits(_ response: Response) -> Bool {
        response.status.code < 400
    }

    /// One attempt: `BEGIN` with the opening statement, the body, then commit or rollback.
    private func once(
        readOnly: Bool,
        opening: PostgresQuery,
        on connection: PostgresConnection,
        _ body: (PostgresRows, PostgresConnection) async throws -> Response
    ) async throws -> Response {
        let results = try await connection.pipeline([readOnly ? "BEGIN READ ONLY" : "BEGIN", opening])
        let response: Response
        do {
            response = try await body(results[1], connection)
        } catch {
            _ = try? await connection.query("ROLLBACK")
            throw error
        }
        if Self.commits(response) {
            try await connection.commit()
        } else {
            try await connection.query("ROLLBACK")
        }
        return response
    }
}
