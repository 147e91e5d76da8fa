import Foundation
import RequestTracing

/// A job a worker claimed and is about to run.
public struct ClaimedJob: Sendable {
    /// Its id.
    public var id: JobID
    /// Its kind.
    public var kind: String
    /// The tenant it works for, if any.
    public var tenantID: UUID?
    /// Its arguments as JSON text.
    public var args: String
    /// This attempt's number, from 1.
    public var attempt: Int
    /// How many attempts it gets; `nil` for its kind's setting.
    public var maxAttempts: Int?
    /// When it was due: the queue latency is the time from here to the start.
    public var runAt: Date
    /// Which claim of the job this is (each claim counts up); the worker's results count only while no later
    /// claim exists, so a worker that lost the job to the rescuer cannot overwrite the next run's outcome.
    public var claim: Int64
    /// The trace of the request, event delivery or job that enqueued it, if it was traced.
    public var traceParent: TraceParent? = nil

    /// The job and claim, as the fenced statements match them.
    var jobClaim: JobClaim { JobClaim(id: id, claim: claim) }

    /// Decodes the arguments.
    public func decodeArgs<Args: Decodable>(_ type: Args.Type = Args.self) throws -> Args {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(type, from: Data(args.utf8))
    }
}
