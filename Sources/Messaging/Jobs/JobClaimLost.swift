/// An attempt finished after losing its job to the rescuer; its result does not count.
public struct JobClaimLost: Error, CustomStringConvertible {
    /// The job.
    public var id: JobID

    public var description: String {
        "job \(id) was returned to the queue while this attempt ran (its heartbeats stalled); the result is dropped"
    }
}
