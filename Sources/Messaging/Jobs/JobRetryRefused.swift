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
