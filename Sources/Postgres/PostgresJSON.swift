import Foundation
import Vocabulary

/// A `Codable` value stored in a `jsonb` (or `json`) column.
///
/// ```swift
/// try await connection.query("INSERT INTO t (payload) VALUES (\(try PostgresJSON(event)))")
/// let event = try row.decode(PostgresJSON<Event>.self, column: "payload").value
/// ```
public struct PostgresJSON<Value: Codable & Sendable>: PostgresCodable {
    /// The wrapped value.
    public let value: Value
    /// The value as JSON text, made once when wrapping.
    public let postgresText: String

    /// Wraps a value, encoding it as JSON; throws `EncodingError` (non-finite floats, for instance).
    public init(_ value: Value) throws {
        let encoder = LowercaseUUIDJSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        self.init(value: value, text: String(decoding: try encoder.encode(value), as: UTF8.self))
    }

    private init(value: Value, text: String) {
        self.value = value
        self.postgresText = text
    }

    public static var postgresType: PostgresDataType { .jsonb }

    public static func decode(from cell: PostgresCell) throws(PostgresDecodingFailure) -> PostgresJSON<Value> {
        let bytes = try cell.utf8(accepting: [.jsonb, .json])
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        do {
            let value = try decoder.decode(Value.self, from: Data(bytes))
            return PostgresJSON(value: value, text: String(decoding: bytes, as: UTF8.self))
        } catch {
            throw .invalidValue("JSON does not match \(Value.self): \(error)")
        }
    }
}
