/// Why a cell could not be decoded; the row adds which column and which Swift type.
public enum PostgresDecodingFailure: Error, Sendable, Hashable {
    /// The column's PostgreSQL type cannot be read as the Swift type.
    case typeMismatch
    /// The cell is NULL and the Swift type is not optional.
    case unexpectedNull
    /// The cell's text is not valid for the Swift type (out of range, NaN for `Decimal`, infinity for dates).
    case invalidValue(String)
}
