import Foundation

/// A JSON Schema (draft 2020-12, as OpenAPI 3.1 uses it), just the parts the API needs.
public indirect enum JSONSchema: Sendable {
    /// A string, optionally with a format (`uuid`, `date`, `date-time`, `email`), a pattern, an
    /// enumeration and length limits (in code points, as JSON Schema and the database's `length()` count).
    case string(
        format: String? = nil, enumeration: [String]? = nil, minLength: Int? = nil, maxLength: Int? = nil,
        pattern: String? = nil)
    /// A whole number within bounds.
    case integer(minimum: Int? = nil, maximum: Int? = nil)
    /// A number.
    case number
    /// true or false.
    case boolean
    /// An array of one kind of item, optionally each item once.
    case array(JSONSchema, maxItems: Int? = nil, uniqueItems: Bool = false)
    /// An object with named properties; `additionalProperties` is false, as the API refuses unknown fields.
    case object([String: JSONSchema], required: [String] = [])
    /// An object with named properties and any others, which are ignored: an object inside a request body,
    /// whose unknown fields the decoder passes over (only a body's own fields are checked by name).
    case openObject([String: JSONSchema], required: [String] = [])
    /// A schema in `components/schemas`.
    case reference(String)
    /// The value may also be null.
    case nullable(JSONSchema)
    /// A free-form object.
    case anyObject
    /// An object whose keys are data (currency codes, say) and whose values all follow one schema.
    case map(JSONSchema)

    /// The schema of a request body as the server decodes it: a field that may be left out may also be `null`,
    /// which means the same (an optional field decodes `null` as absent), in nested objects too; the body's
    /// own fields are checked by name, while an object inside it ignores fields it does not know.
    public var optionalFieldsNullable: JSONSchema {
        switch self.nullableFields {
        case .object(let properties, let required):
            // The body itself: its fields are checked by name (RequestBody.fields); objects inside are open.
            return .object(properties.mapValues(\.openingObjects), required: required)
        case let other:
            return other
        }
    }

    /// The schema with every object inside it (not itself) open to unknown fields.
    var openingObjects: JSONSchema {
        switch self {
        case .object(let properties, let required), .openObject(let properties, let required):
            return .openObject(properties.mapValues(\.openingObjects), required: required)
        case .nullable(let inner):
            return .nullable(inner.openingObjects)
        case .array(let items, let maxItems, let uniqueItems):
            return .array(items.openingObjects, maxItems: maxItems, uniqueItems: uniqueItems)
        default:
            return self
        }
    }

    /// Every optional field nullable, in nested objects too.
    var nullableFields: JSONSchema {
        switch self {
        case .object(let properties, let required):
            var fields: [String: JSONSchema] = [:]
            for (name, schema) in properties {
                let inner = schema.nullableFields
                if case .nullable = inner {
                    fields[name] = inner
                } else {
                    fields[name] = required.contains(name) ? inner : .nullable(inner)
                }
            }
            return .object(fields, required: required)
        case .nullable(let inner):
            return .nullable(inner.nullableFields)
        case .array(let items, let maxItems, let uniqueItems):
            return .array(items.nullableFields, maxItems: maxItems, uniqueItems: uniqueItems)
        default:
            return self
        }
    }

    /// The schema as JSON-compatible values.
    public var json: [String: Any] {
        switch self {
        case .string(let format, let enumeration, let minLength, let maxLength, let pattern):
            var schema: [String: Any] = ["type": "string"]
            if let format { schema["format"] = format }
            if let enumeration { schema["enum"] = enumeration }
            if let minLength { schema["minLength"] = minLength }
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
        case .array(let items, let maxItems, let uniqueItems):
            var schema: [String: Any] = ["type": "array", "items": items.json]
            if let maxItems { schema["maxItems"] = maxItems }
            if uniqueItems { schema["uniqueItems"] = true }
            return schema
        case .object(let properties, let required):
            var schema: [String: Any] = [
                "type": "object",
                "properties": properties.mapValues(\.json),
                "additionalProperties": false,
            ]
            if !required.isEmpty { schema["required"] = required.sorted() }
            return schema
        case .openObject(let properties, let required):
            var schema: [String: Any] = ["type": "object", "properties": properties.mapValues(\.json)]
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
