/// A Swift value that can be sent as a query parameter, in PostgreSQL's text format.
public protocol PostgresEncodable: Sendable {
    /// The parameter type sent with the value; ``PostgresDataType/unknown`` lets the server infer it.
    static var postgresType: PostgresDataType { get }
    /// The value in PostgreSQL's text input format.
    var postgresText: String { get }
}

/// A Swift value that can be read from a result column in PostgreSQL's text format.
public protocol PostgresDecodable: Sendable {
    /// Reads the value from a cell, or throws ``PostgresDecodingFailure`` when the column's type does not
    /// fit, the cell is NULL, or its text is not valid for the type.
    static func decode(from cell: PostgresCell) throws(PostgresDecodingFailure) -> Self
}

/// A type that is both ``PostgresEncodable`` and ``PostgresDecodable``.
public typealias PostgresCodable = PostgresDecodable & PostgresEncodable

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

/// Why a cell could not be decoded; the row adds which column and which Swift type.
public enum PostgresDecodingFailure: Error, Sendable, Hashable {
    /// The column's PostgreSQL type cannot be read as the Swift type.
    case typeMismatch
    /// The cell is NULL and the Swift type is not optional.
    case unexpectedNull
    /// The cell's text is not valid for the Swift type (out of range, NaN for `Decimal`, infinity for dates).
    case invalidValue(String)
}

extension Optional: PostgresDecodable where Wrapped: PostgresDecodable {
    public static func decode(from cell: PostgresCell) throws(PostgresDecodingFailure) -> Wrapped? {
        guard cell.bytes != nil else { return nil }
        return try Wrapped.decode(from: cell)
    }
}
