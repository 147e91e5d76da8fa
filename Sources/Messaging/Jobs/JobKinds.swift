/// The job kinds a process runs, by name.
public struct JobKinds: Sendable {
    private(set) var byName: [String: JobKind] = [:]

    /// Makes an empty set.
    public init() {}

    /// Adds a kind; a second kind with the same name is a programming error.
    public mutating func register(_ kind: JobKind) {
        precondition(byName[kind.name] == nil, "job kind \(kind.name) is registered twice")
        byName[kind.name] = kind
    }

    /// The kind named `name`.
    public subscript(name: String) -> JobKind? { byName[name] }

    /// Every kind's name, sorted.
    public var names: [String] { byName.keys.sorted() }
}
