/// A job was rescued after its last attempt: its worker died while running it, every time.
public struct JobRescuedTooOften: Error, CustomStringConvertible {
    public var description: String { "the job was rescued after its last attempt" }
}
