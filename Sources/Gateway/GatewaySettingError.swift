/// A gateway setting that cannot be used: refused at start rather than ignored.
public struct GatewaySettingError: Error, CustomStringConvertible, Equatable {
    /// The environment variable.
    public var name: String
    /// What it held.
    public var value: String
    /// What it should hold.
    public var expected: String

    /// Makes the error.
    public init(name: String, value: String, expected: String) {
        self.name = name
        self.value = value
        self.expected = expected
    }

    public var description: String { "\(name) must be \(expected), not \"\(value)\"" }
}
