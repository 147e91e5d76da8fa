import Foundation
import Logging
import Postgres

/// What a batch handler gets: the jobs (one kind, one tenant, in claim order), the database, and a way to
/// complete them all in its own transaction.
public struct JobBatchContext: Sendable {
    /// The jobs, oldest first.
    public let jobs: [ClaimedJob]
    /// The tenant every job of the batch works for, if any.
    public let tenantID: UUID?
    /// The pool to work with.
    public let pool: PostgresConnectionPool
    /// The queue, for enqueueing follow-up jobs.
    public let queue: PostgresJobQueue
    /// A logger with `job.kind` and `job.count` metadata.
    public let logger: Logger
    let completion: CompletionFlag

    /// Marks every job of the batch completed inside `connection`'s transaction, in one statement, so the
    /// completions commit with the handler's effects (or roll back with them); the workers then leave them
    /// alone.
    ///
    /// - Throws: ``JobClaimLost`` when this attempt no longer holds one of the jobs (the rescuer returned it
    ///   to the queue): the transaction must roll back; the workers then run the jobs one by one, and only
    ///   the lost one is left to the attempt that holds it.
    public func complete(in connection: PostgresConnection) async throws {
        let rows = try await connection.query(queue.completeQuery(jobs.map(\.jobClaim)))
        guard try rows[0].decode(Int.self, column: 0) == jobs.count else {
            throw JobClaimLost(id: jobs[0].id)
        }
        completion.set()
    }
}
