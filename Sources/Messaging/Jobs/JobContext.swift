import Logging
import Postgres
import Synchronization

/// What a job handler gets: the job, the database, and a way to complete the job in its own transaction.
public struct JobContext: Sendable {
    /// The job being run.
    public let job: ClaimedJob
    /// The pool to work with.
    public let pool: PostgresConnectionPool
    /// The queue, for enqueueing follow-up jobs.
    public let queue: PostgresJobQueue
    /// A logger with `job.id` and `job.kind` metadata.
    public let logger: Logger
    let completion: CompletionFlag

    /// Marks the job completed inside `connection`'s transaction, so the completion commits with the
    /// handler's effects (or rolls back with them); the worker then leaves it alone.
    ///
    /// - Throws: ``JobClaimLost`` when this attempt no longer holds the job (the rescuer returned it to the
    ///   queue after its heartbeats stalled, and another attempt may be running it): the transaction must
    ///   roll back, so that the effects are left to the attempt that holds the job.
    public func complete(in connection: PostgresConnection) async throws {
        let rows = try await connection.query(queue.completeQuery(job))
        guard try rows[0].decode(Int.self, column: 0) == 1 else { throw JobClaimLost(id: job.id) }
        completion.set()
    }
}

/// Whether a handler completed its job itself.
final class CompletionFlag: Sendable {
    private let value = Mutex(false)

    func set() { value.withLock { $0 = true } }

    var isSet: Bool { value.withLock { $0 } }
}
