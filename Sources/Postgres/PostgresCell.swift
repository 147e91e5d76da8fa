/// One value of a result row, as PostgreSQL's text, with its column's type.
public struct PostgresCell: Sendable {
    /// The column's type.
    public var type: PostgresDataType
    /// The UTF-8 text of the value; `nil` for NULL.
    public var bytes: ArraySlice<UInt8>?

    /// Makes a cell; tests and custom decoders use this.
    public init(type: PostgresDataType, bytes: ArraySlice<UInt8>?) {
        self.type = type
        self.bytes = bytes
    }

    /// Makes a cell from text.
    public init(type: PostgresDataType, text: String?) {
        self.type = type
        self.bytes = text.map { ArraySlice($0.utf8) }
    }

    /// The text of a non-NULL value, after checking the column's type against the accepted ones.
    public func text(accepting accepted: PostgresDataType...) throws(PostgresDecodingFailure) -> String {
        String(decoding: try utf8(accepting: accepted), as: UTF8.self)
    }

    /// The UTF-8 bytes of a non-NULL value, after checking the column's type against the accepted ones.
    public func utf8(accepting accepted: [PostgresDataType]) throws(PostgresDecodingFailure) -> ArraySlice<UInt8> {
        guard accepted.isEmpty || accepted.contains(type) else { throw .typeMismatch }
        guard let bytes else { throw .unexpectedNull }
        return bytes
    }
}
