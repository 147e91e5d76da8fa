import Foundation

/// A JSON Schema (draft 2020-12, as OpenAPI 3.1 uses it), just the parts the API needs.
public indirect enum JSONSchema: Sendable {
    /// A string, optionally with a format (`uuid`, `date`, `date-time`, `email`), a pattern, an
    /// enumeration and a length limit.
    case string(format: String? = nil, enumeration: [String]? = nil, maxLength: Int? = nil, pattern: String? = nil)
    /// A whole number within bounds.
    case integer(minimum: Int? = nil, maximum: Int? = nil)
    /// A number.
    case number
    /// true or false.
    case boolean
    /// An array of one kind of item.
    case array(JSONSchema, maxItems: Int? = nil)
    /// An object with named properties; `additionalProperties` is false, as the API refuses unknown fields.
    case object([String: JSONSchema], required: [String] = [])
    /// A schema in `components/schemas`.
    case reference(String)
    /// The value may also be null.
    case nullable(JSONSchema)
    /// A free-form object.
    case anyObject
    /// An object whose keys are data (currency codes, say) and whose values all follow one schema.
    case map(JSONSchema)

    /// The schema as JSON-compatible values.
    public var json: [String: Any] {
        switch self {
        case .string(let format, let enumeration, let maxLength, let pattern):
            var schema: [String: Any] = ["type": "string"]
            if let format { schema["format"] = format }
            if let enumeration { schema["enum"] = enumeration }
            if let maxLength { schema["maxLength"] = maxLength }
            if let pattern { schema["pattern"] = pattern }
            return schema
        case .integer(let minimum, let maximum):
            var schema: [String: Any] = ["type": "integer"]
            if let minimum { schema["minimum"] = minimum }
            if let maximum { schema["maximum"] = maximum }
            return schema
        case .number:
            return ["type": "number"]
        case .boolean:
            return ["type": "boolean"]
        case .array(let items, let maxItems):
            var schema: [String: Any] = ["type": "array", "items": items.json]
            if let maxItems { schema["maxItems"] = maxItems }
            return schema
        case .object(let properties, let required):
            var schema: [String: Any] = [
                "type": "object",
                "properties": properties.mapValues(\.json),
                "additionalProperties": false,
            ]
            if !required.isEmpty { schema["required"] = required.sorted() }
            return schema
        case .reference(let name):
            return ["$ref": "#/components/schemas/\(name)"]
        case .nullable(let inner):
            var schema = inner.json
            if let type = schema["type"] as? String {
                schema["type"] = [type, "null"]
                if var enumeration = schema["enum"] as? [Any] {
                    enumeration.append(NSNull())
                    schema["enum"] = enumeration
                }
                return schema
            }
            return ["oneOf": [schema, ["type": "null"]]]
        case .anyObject:
            return ["type": "object"]
        case .map(let values):
            return ["type": "object", "additionalProperties": values.json]
        }
    }
}
