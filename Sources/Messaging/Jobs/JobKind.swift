import Foundation
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

/// An attempt finished after losing its job to the rescuer; its result does not count.
public struct JobClaimLost: Error, CustomStringConvertible {
    /// The job.
    public var id: JobID

    public var description: String {
        "job \(id) was returned to the queue while this attempt ran (its heartbeats stalled); the result is dropped"
    }
}

/// Whether a handler completed its job itself.
final class CompletionFlag: Sendable {
    private let value = Mutex(false)

    func set() { value.withLock { $0 = true } }

    var isSet: Bool { value.withLock { $0 } }
}

/// Runs one job; throwing fails the attempt (retried later, or discarded after the last one).
public typealias JobHandler = @Sendable (JobContext) async throws -> Void

/// A kind of job: its name, its handler and its limits.
public struct JobKind: Sendable {
    /// The kind's name, e.g. `notifications.send_digest`.
    public var name: String
    /// Attempts before a job is discarded.
    public var maxAttempts: Int
    /// How long one attempt may run before it is cancelled and counted as failed.
    public var timeout: Duration
    /// The handler.
    public var handler: JobHandler

    /// The default time one attempt may take.
    public static let defaultTimeout = Duration.seconds(60)

    /// Describes a kind.
    public init(
        name: String,
        maxAttempts: Int = PostgresJobQueue.defaultMaxAttempts,
        timeout: Duration = JobKind.defaultTimeout,
        handler: @escaping JobHandler
    ) {
        precondition(maxAttempts >= 1, "a job kind needs at least one attempt")
        self.name = name
        self.maxAttempts = maxAttempts
        self.timeout = timeout
        self.handler = handler
    }
}

/// The job kinds a process runs, by name.
public struct JobKinds: Sendable {
    private(set) var byName: [String: JobKind] = [:]

    /// Makes an empty set.
    public init() {}

    /// Adds a kind; a second kind with the same name is a programming error.
    public mutating func register(_ kind: JobKind) {
        precondition(byName[kind.name] == nil, "job kind \(kind.name) is registered twice")
        byName[kind.name] = kind
    }

    /// The kind named `name`.
    public subscript(name: String) -> JobKind? { byName[name] }

    /// Every kind's name, sorted.
    public var names: [String] { byName.keys.sorted() }
}

/// When a failed attempt is tried again: exponential in the attempt number, with jitter so that jobs that
/// failed together do not retry together.
public struct RetryPolicy: Sendable {
    /// A number in 0..<1 for the jitter; injected so tests can fix it.
    public var random: @Sendable () -> Double

    /// The policy, with the system's random numbers by default.
    public init(random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }) {
        self.random = random
    }

    /// Seconds to wait after failed attempt number `attempt` (from 1): `attempt⁴ + 15`, plus up to 10 %
    /// jitter. Attempt 1 waits about 16 s, attempt 5 about 11 minutes, attempt 20 about 2 days.
    public func delay(afterAttempt attempt: Int) -> TimeInterval {
        let base = pow(Double(max(1, attempt)), 4) + 15
        return base + base * 0.1 * random()
    }
}
