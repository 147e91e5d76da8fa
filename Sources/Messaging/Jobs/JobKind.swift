import Postgres

/// Runs one job; throwing fails the attempt (retried later, or discarded after the last one).
public typealias JobHandler = @Sendable (JobContext) async throws -> Void

/// Runs a batch of claimed jobs of one kind and one tenant together; throwing fails none of them yet: the
/// workers then run each job alone through the kind's ``JobHandler``, so only the jobs that fail alone use up
/// an attempt.
public typealias JobBatchHandler = @Sendable (JobBatchContext) async throws -> Void

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
    /// Runs several jobs of this kind and one tenant at once, when set (event deliveries); the workers claim
    /// this kind's jobs in batches of ``JobWorkers/Configuration/batchSize``.
    public var batchHandler: JobBatchHandler?

    /// The default time one attempt may take.
    public static let defaultTimeout = Duration.seconds(60)

    /// Describes a kind.
    public init(
        name: String,
        maxAttempts: Int = PostgresJobQueue.defaultMaxAttempts,
        timeout: Duration = JobKind.defaultTimeout,
        batchHandler: JobBatchHandler? = nil,
        handler: @escaping JobHandler
    ) {
        precondition(maxAttempts >= 1, "a job kind needs at least one attempt")
        self.name = name
        self.maxAttempts = maxAttempts
        self.timeout = timeout
        self.handler = handler
        self.batchHandler = batchHandler
    }
}
