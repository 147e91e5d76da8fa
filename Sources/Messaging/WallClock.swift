import Foundation

/// The time of day as the queue sees it, injected so tests control time (backoff, schedules, heartbeats).
public protocol WallClock: Sendable {
    /// The current instant.
    func now() -> Date
}
