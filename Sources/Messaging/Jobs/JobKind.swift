import Postgres

/// Runs one job; throwing fails the attempt (retried later, or discarded after the last one).
public typealias JobHandler = @Sendable (JobContext) async throws -> Void

/// A kind of job: its name, its handler and its limits.
public struct JobKind: Sendable {
    /// The kind's name, e.g. `notifications.deliver_digest`.
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
