/// One database shared by the tests of a suite, made on first use.
///
/// ```swift
/// static let database = SuiteDatabase("pool")
/// let db = try await Self.database.get()
/// ```
public actor SuiteDatabase {
    private let label: String
    private let migrated: Bool
    private var creation: Task<TestDatabase, any Error>?

    /// Describes the database; nothing is created until ``get()``.
    public init(_ label: String, migrated: Bool = true) {
        self.label = label
        self.migrated = migrated
    }

    /// The database, created by the first caller; later callers wait for the same one.
    public func get() async throws -> TestDatabase {
        if let creation { return try await creation.value }
        let creation = Task { [label, migrated] in
            migrated ? try await TestDatabase.migrated(label) : try await TestDatabase.empty(label)
        }
        self.creation = creation
        return try await creation.value
    }
}
