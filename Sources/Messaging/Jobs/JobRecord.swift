import Foundation

/// A job as an operator sees it.
public struct JobRecord: Sendable, Codable {
    public var id: JobID
    public var kind: String
    public var tenantID: UUID?
    public var state: JobState
    public var priority: Int
    public var runAt: Date
    public var attempt: Int
    public var maxAttempts: Int?
    public var errors: [JobAttemptError]
    public var uniqueKey: String?
    public var claimedBy: String?
    public var createdAt: Date
    public var finishedAt: Date?
    /// The `traceparent` it was enqueued in, if any (docs/logs-and-traces.md).
    public var traceParent: String? = nil
}
