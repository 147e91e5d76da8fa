/// A column of a result: its name and type.
public struct PostgresColumn: Sendable, Hashable {
    /// The column's name (or alias).
    public var name: String
    /// The column's type.
    public var type: PostgresDataType
}
