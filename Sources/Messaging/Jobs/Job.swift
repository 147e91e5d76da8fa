import Foundation
import Postgres

/// The id of a job in `messaging.jobs`.
public struct JobID: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible {
    /// The row's id.
    public var rawValue: Int64

    /// Wraps a row id.
    public init(rawValue: Int64) { self.rawValue = rawValue }

    public var description: String { String(rawValue) }
}

/// Where a job stands.
public enum JobState: String, Sendable, Codable, CaseIterable {
    /// Waiting to be claimed once `runAt` has come (a job scheduled for later, or one waiting to retry).
    case available
    /// Claimed by a worker, which keeps its heartbeat fresh.
    case running
    /// Done.
    case completed
    /// Failed its last attempt; kept with its errors until an operator retries it or the cleaner prunes it.
    case discarded
    /// Cancelled by an operator.
    case cancelled
}

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
        let encoder = JSONEncoder()
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
    }
}

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

    /// The job and claim, as the fenced statements match them.
    var jobClaim: JobClaim { JobClaim(id: id, claim: claim) }

    /// Decodes the arguments.
    public func decodeArgs<Args: Decodable>(_ type: Args.Type = Args.self) throws -> Args {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(type, from: Data(args.utf8))
    }
}

/// A job as one claim of it: the fence for results, heartbeats and releases.
struct JobClaim: Hashable, Sendable {
    var id: JobID
    var claim: Int64
}

/// `retry` refused a job, and why.
public struct JobRetryRefused: Error, Hashable, CustomStringConvertible {
    /// Why a job cannot be retried.
    public enum Reason: Sendable, Hashable {
        /// No job has that id (or the cleaner pruned it).
        case noSuchJob
        /// The job is in a state retry does not apply to (running or completed).
        case notRetryable(JobState)
        /// The job was cancelled while it ran, and its worker has not ended the attempt yet.
        case stillRunning
        /// Another waiting or running job holds the job's unique key; its id when known.
        case duplicate(of: JobID?)
    }

    /// The job.
    public var id: JobID
    /// Why.
    public var reason: Reason

    /// Describes a refusal (the queue makes them; tests compare with them).
    public init(id: JobID, reason: Reason) {
        self.id = id
        self.reason = reason
    }

    public var description: String {
        switch reason {
        case .noSuchJob:
            return "job \(id) does not exist"
        case .notRetryable(let state):
            return "job \(id) is \(state.rawValue); only discarded, cancelled or waiting jobs can be retried"
        case .stillRunning:
            return "job \(id) was cancelled while running and its attempt has not ended; retry it once it has"
        case .duplicate(let other):
            let holder = other.map { "job \($0)" } ?? "another job"
            return "job \(id) cannot be retried: \(holder) with the same unique key is waiting or running"
        }
    }
}

/// One failed attempt, kept in the job's error history.
public struct JobAttemptError: Sendable, Codable, Hashable {
    /// The attempt's number.
    public var attempt: Int
    /// When it failed.
    public var at: Date
    /// What went wrong.
    public var error: String
}

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
}

/// Counts by kind and state, and how long the oldest due job has waited.
public struct JobStats: Sendable, Codable {
    /// One kind's counts.
    public struct KindCounts: Sendable, Codable {
        public var kind: String
        public var counts: [String: Int]
    }

    /// Counts per kind, in kind order.
    public var kinds: [KindCounts]
    /// Counts per state over all kinds.
    public var totals: [String: Int]
    /// Seconds since the oldest available job became due; 0 when none is due.
    public var oldestAvailableAgeSeconds: Double
}
