import Foundation

/// One failed attempt, kept in the job's error history.
public struct JobAttemptError: Sendable, Codable, Hashable {
    /// The attempt's number.
    public var attempt: Int
    /// When it failed.
    public var at: Date
    /// What went wrong.
    public var error: String
}
