/// A rate-limit setting that cannot be used.
public struct RateLimitSettingError: Error, CustomStringConvertible, Equatable {
    /// The environment variable.
    public var name: String
    /// What it held.
    public var value: String
    /// What it should hold.
    public var expected: String

    public var description: String { "\(name) must be \(expected), not \"\(value)\"" }
}
