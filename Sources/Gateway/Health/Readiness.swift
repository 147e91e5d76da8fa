/// Whether the server can do its work: the database answers and its schema is up to date.
public protocol ReadinessCheck: Sendable {
    /// `nil` when ready, else why not, in words an operator can act on.
    func notReadyReason() async -> String?
    /// What an operator should know although the server is ready (e.g. a database login that could leave
    /// its role); shown in `/readyz`'s body.
    var warnings: [String] { get }
}

extension ReadinessCheck {
    /// None, unless the check says otherwise.
    public var warnings: [String] { [] }
}
