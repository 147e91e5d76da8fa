/// One row of a result, decoded column by column or all at once into a tuple.
public struct PostgresRow: Sendable {
    let rows: PostgresRows
    let index: Int

    /// The number of columns.
    public var count: Int { rows.columns.count }

    /// The raw cell of a column.
    public subscript(column: Int) -> PostgresCell {
        let storage = rows.storage
        let cell = index * rows.columns.count + column
        let length = Int(storage.lengths[cell])
        let start = Int(storage.starts[cell])
        return PostgresCell(
            type: rows.columns[column].type,
            bytes: length < 0 ? nil : storage.bytes[start..<(start + length)]
        )
    }

    /// Decodes the column at `column` (0-based).
    public func decode<Value: PostgresDecodable>(
        _ type: Value.Type = Value.self,
        column: Int,
        file: String = #fileID,
        line: Int = #line
    ) throws(PostgresError) -> Value {
        guard column >= 0, column < count else {
            throw PostgresError(
                code: .decoding,
                reason: "the row has \(count) columns, column \(column) was asked for",
                file: file,
                line: line
            )
        }
        do {
            return try Value.decode(from: self[column])
        } catch {
            let described = rows.columns[column]
            let why: String
            switch error {
            case .typeMismatch:
                why = "its type \(described.type) cannot be decoded as \(Value.self)"
            case .unexpectedNull:
                why = "it is NULL and \(Value.self) is not optional"
            case .invalidValue(let reason):
                why = "its value cannot be decoded as \(Value.self): \(reason)"
            }
            throw PostgresError(
                code: .decoding,
                reason: "column \"\(described.name)\" (\(column)): \(why)",
                file: file,
                line: line
            )
        }
    }

    /// Decodes the column named `column`.
    public func decode<Value: PostgresDecodable>(
        _ type: Value.Type = Value.self,
        column: String,
        file: String = #fileID,
        line: Int = #line
    ) throws(PostgresError) -> Value {
        guard let position = rows.storage.columnIndex[column] else {
            throw PostgresError(
                code: .decoding,
                reason: "the row has no column \"\(column)\"",
                file: file,
                line: line
            )
        }
        return try decode(type, column: position, file: file, line: line)
    }

    /// Decodes the leading columns into a tuple: `let (id, name) = try row.decode((UUID, String).self)`.
    public func decode<each Value: PostgresDecodable>(
        _ types: (repeat each Value).Type,
        file: String = #fileID,
        line: Int = #line
    ) throws -> (repeat each Value) {
        var column = 0
        func next<Next: PostgresDecodable>(_ type: Next.Type) throws -> Next {
            defer { column += 1 }
            return try decode(type, column: column, file: file, line: line)
        }
        return (repeat try next((each Value).self))
    }
}
