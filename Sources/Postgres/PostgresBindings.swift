/// The parameter values of a query, as PostgreSQL text with their type OIDs.
public struct PostgresBindings: Sendable, Hashable {
    /// The text of each value, `nil` for NULL.
    public private(set) var values: [String?] = []
    /// The type OID of each value; 0 lets the server infer it from the context.
    public private(set) var types: [PostgresDataType] = []

    /// Makes an empty list.
    public init() {}

    init(capacity: Int) {
        values.reserveCapacity(capacity)
        types.reserveCapacity(capacity)
    }

    /// The number of values.
    public var count: Int { values.count }

    /// Appends a value.
    public mutating func append(_ value: some PostgresEncodable) {
        values.append(value.postgresText)
        types.append(type(of: value).postgresType)
    }

    /// Appends the values of another list, in order.
    public mutating func append(contentsOf other: PostgresBindings) {
        values.append(contentsOf: other.values)
        types.append(contentsOf: other.types)
    }

    /// Appends NULL of the given type.
    public mutating func appendNull(type: PostgresDataType = .unknown) {
        values.append(nil)
        types.append(type)
    }

    /// Throws when a value cannot travel as a C string: libpq would cut it at a NUL byte.
    func validate(query: String) throws(PostgresError) {
        for (index, value) in values.enumerated() {
            guard let value else { continue }
            if value.utf8.contains(0) {
                throw PostgresError(
                    code: .invalidParameter,
                    reason: "parameter $\(index + 1) contains a NUL byte, which PostgreSQL text cannot hold",
                    query: query
                )
            }
        }
    }
}
