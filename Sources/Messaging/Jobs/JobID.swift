/// The id of a job in `messaging.jobs`.
public struct JobID: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible {
    /// The row's id.
    public var rawValue: Int64

    /// Wraps a row id.
    public init(rawValue: Int64) { self.rawValue = rawValue }

    public var description: String { String(rawValue) }
}
