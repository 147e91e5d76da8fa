/// A job attempt ran longer than its kind allows.
public struct JobTimedOut: Error, CustomStringConvertible {
    /// The kind's timeout.
    public var timeout: Duration

    public var description: String { "the job ran longer than its timeout of \(timeout)" }
}
