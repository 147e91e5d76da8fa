/// The configuration cannot be used.
public struct ConfigurationError: Error, CustomStringConvertible {
    /// Why.
    public var reason: String

    public var description: String { "configuration: \(reason)" }
}
