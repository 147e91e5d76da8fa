import Foundation

/// The system's clock.
public struct SystemClock: WallClock {
    /// Makes the clock.
    public init() {}

    public func now() -> Date { Date() }
}
