import Foundation
import RequestTracing
import Vocabulary

/// A job to enqueue.
public struct NewJob: Sendable {
    /// The job kind, which names its handler.
    public var kind: String
    /// The arguments as JSON text.
    public var args: String
    /// The tenant the job works for, if any; its handler's transaction is scoped to it.
    public var tenantID: UUID?
    /// 0 (first) to 4 (last); 1 by default.
    public var priority: Int
    /// When it may run; now when `nil`.
    public var runAt: Date?
    /// How many attempts before it is discarded; the kind's setting when `nil`.
    public var maxAttempts: Int?
    /// At most one job with this key is available or running at a time; a duplicate is not enqueued.
    public var uniqueKey: String?
    /// The `traceparent` of the work that enqueues it (``TraceParent/current`` when it was made, unless set):
    /// the job runs, and logs, in that trace.
    public var traceParent: String?

    /// Makes a job from arguments that encode as JSON.
    public init(
        kind: String,
        args: some Encodable = [String: String](),
        tenantID: UUID? = nil,
        priority: Int = 1,
        runAt: Date? = nil,
        maxAttempts: Int? = nil,
        uniqueKey: String? = nil
    ) throws {
        let encoder = LowercaseUUIDJSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        self.init(
            kind: kind,
            argsJSON: String(decoding: try encoder.encode(args), as: UTF8.self),
            tenantID: tenantID,
            priority: priority,
            runAt: runAt,
            maxAttempts: maxAttempts,
            uniqueKey: uniqueKey
        )
    }

    /// Makes a job from arguments already encoded as JSON.
    public init(
        kind: String,
        argsJSON: String,
        tenantID: UUID? = nil,
        priority: Int = 1,
        runAt: Date? = nil,
        maxAttempts: Int? = nil,
        uniqueKey: String? = nil
    ) {
        precondition((0...4).contains(priority), "job priority must be 0...4")
        self.kind = kind
        self.args = argsJSON
        self.tenantID = tenantID
        self.priority = priority
        self.runAt = runAt
        self.maxAttempts = maxAttempts
        self.uniqueKey = uniqueKey
        self.traceParent = TraceParent.current?.header
    }
}
