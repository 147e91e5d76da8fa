/// A job as one claim of it: the fence for results, heartbeats and releases.
struct JobClaim: Hashable, Sendable {
    var id: JobID
    var claim: Int64
}
