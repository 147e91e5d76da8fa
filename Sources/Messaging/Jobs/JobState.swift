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
