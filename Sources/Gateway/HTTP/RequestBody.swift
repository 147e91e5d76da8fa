import Foundation
import Hummingbird
import NIOCore

/// A JSON request body: its fields are checked before any handler sees it.
///
/// Malformed JSON is a 400; a missing field, a wrong type, an unknown field, or a value its ``validate()``
/// refuses is a 422 naming every such field. Nothing a client sends gives a 500.
public protocol RequestBody: Decodable, Sendable {
    /// Every field the body may have; any other is refused, so a typo is not silently ignored.
    static var fields: Set<String> { get }
    /// Checks values beyond their types (lengths, enumerations, control characters).
    func validate() -> [Problem.FieldError]
}

/// The most a request body may hold; a larger one gets 413.
public let maximumRequestBodySize = 1 << 20

extension Request {
    /// Reads and checks a JSON body.
    public func decodeBody<Body: RequestBody>(_ type: Body.Type, context: some RequestContext) async throws -> Body {
        let buffer: ByteBuffer
        do {
            buffer = try await body.collect(upTo: maximumRequestBodySize)
        } catch {
            throw Problem.payloadTooLarge()
        }
        let data = Data(buffer.readableBytesView)
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        } catch {
            throw Problem.badRequest("the body is not valid JSON")
        }
        guard let fields = object as? [String: Any] else {
            throw Problem.validation([.init(field: "", message: "the body must be a JSON object")])
        }
        let unknown = fields.keys.filter { !Body.fields.contains($0) }.sorted()
        var errors = unknown.map { Problem.FieldError(field: $0, message: "is not a known field") }
        let decoder = JSONDecoder()
        // As `.iso8601`, but its error names the field: the built-in strategy reports an empty coding path.
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = ISO8601DateFormatter().date(from: text) else {
                throw DecodingError.dataCorruptedError(
                    in: container, debugDescription: "must be an RFC 3339 instant such as 2026-01-31T12:00:00Z")
            }
            return date
        }
        do {
            let decoded = try decoder.decode(Body.self, from: data)
            errors += decoded.validate()
            if errors.isEmpty { return decoded }
        } catch let error as DecodingError {
            errors += Self.everyDecodingError(Body.self, object: fields, first: error, decoder: decoder)
        }
        throw Problem.validation(errors)
    }

    /// Every field a body fails to decode on, not only the first, and then what its ``RequestBody/validate()``
    /// says about the other fields.
    ///
    /// `JSONDecoder` stops at the first fault. So each faulty field is reported, then replaced by a stand-in
    /// of the type the decoder wanted (`null` first, to learn that type for a missing field), and the body
    /// decoded again, until it decodes or no stand-in helps. Stand-ins are never used: the decoded value
    /// serves only to run `validate()`, whose findings on fields already reported are dropped.
    static func everyDecodingError<Body: RequestBody>(
        _ type: Body.Type,
        object: [String: Any],
        first: DecodingError,
        decoder: JSONDecoder
    ) -> [Problem.FieldError] {
        var reported: [Problem.FieldError] = []
        var object: Any = object
        var error = first
        var replaced: [String: Int] = [:]
        func isReported(_ field: String) -> Bool {
            reported.contains {
                $0.field == field || field.hasPrefix($0.field + ".") || field.hasPrefix($0.field + "[")
            }
        }
        // Each round fixes one field; a body has few, and a field that resists two stand-ins ends the search.
        for _ in 0..<32 {
            let (path, standIn): ([any CodingKey], Any?)
            switch error {
            case .keyNotFound(let key, let context):
                path = context.codingPath + [key]
                standIn = NSNull()
            case .valueNotFound(let type, let context):
                path = context.codingPath
                standIn = Self.standIn(for: type)
            case .typeMismatch(let type, let context):
                path = context.codingPath
                standIn = Self.standIn(for: type)
            case .dataCorrupted(let context):
                path = context.codingPath
                standIn = NSNull()
            @unknown default:
                return reported
            }
            let field = Self.fieldName(path)
            if !isReported(field) { reported.append(Self.fieldError(error)) }
            replaced[field, default: 0] += 1
            guard !path.isEmpty, replaced[field]! <= 2, let standIn,
                let changed = Self.replacing(path[...], in: object, with: standIn),
                let data = try? JSONSerialization.data(withJSONObject: changed)
            else { return reported }
            object = changed
            do {
                let decoded = try decoder.decode(Body.self, from: data)
                return reported + decoded.validate().filter { !isReported($0.field) }
            } catch let next as DecodingError {
                error = next
            } catch {
                return reported
            }
        }
        return reported
    }

    /// A JSON value that decodes as `type`, for the types bodies are made of, else an empty object.
    static func standIn(for type: Any.Type) -> Any {
        switch type {
        case is String.Type: return ""
        case is Bool.Type: return false
        case is any BinaryInteger.Type, is any BinaryFloatingPoint.Type, is Decimal.Type: return 0
        case is UUID.Type: return "00000000-0000-0000-0000-000000000000"
        case is Date.Type: return "2000-01-01T00:00:00Z"
        case is any JSONArrayShaped.Type: return [Any]()
        // Objects, and any other type: a nested body's missing fields are then found in the next rounds.
        default: return [String: Any]()
        }
    }

    /// `object` with the value at `path` set to `value`; `nil` when the path leads nowhere.
    static func replacing(_ path: ArraySlice<any CodingKey>, in object: Any, with value: Any) -> Any? {
        guard let key = path.first else { return value }
        if let index = key.intValue, var array = object as? [Any] {
            guard array.indices.contains(index),
                let changed = replacing(path.dropFirst(), in: array[index], with: value)
            else { return nil }
            array[index] = changed
            return array
        }
        guard var dictionary = object as? [String: Any] else { return nil }
        if path.count == 1 {
            dictionary[key.stringValue] = value
            return dictionary
        }
        guard let inner = dictionary[key.stringValue], let changed = replacing(path.dropFirst(), in: inner, with: value)
        else { return nil }
        dictionary[key.stringValue] = changed
        return dictionary
    }

    /// The dotted name of a coding path, as ``Problem/FieldError/field`` names it: `partner.name`, `targets[0]`.
    static func fieldName(_ codingPath: [any CodingKey]) -> String {
        codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }
            .joined(separator: ".")
            .replacingOccurrences(of: ".[", with: "[")
    }

    static func fieldError(_ error: DecodingError) -> Problem.FieldError {
        func path(_ codingPath: [any CodingKey], _ last: (any CodingKey)? = nil) -> String {
            fieldName(codingPath + (last.map { [$0] } ?? []))
        }
        switch error {
        case .keyNotFound(let key, let context):
            return .init(field: path(context.codingPath, key), message: "is required")
        case .valueNotFound(_, let context):
            return .init(field: path(context.codingPath), message: "must not be null")
        case .typeMismatch(let type, let context):
            return .init(field: path(context.codingPath), message: "must be \(Self.describe(type))")
        case .dataCorrupted(let context):
            return .init(field: path(context.codingPath), message: context.debugDescription)
        @unknown default:
            return .init(field: "", message: "is not valid")
        }
    }

    static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: return "a string"
        case is Int.Type, is Int32.Type, is Int64.Type: return "a whole number"
        case is Double.Type: return "a number"
        case is Bool.Type: return "true or false"
        case is [Any].Type, is any JSONArrayShaped.Type: return "an array"
        case is [String: Any].Type: return "an object"
        default: return "of another type"
        }
    }
}

/// Arrays, whatever their elements: metatypes of arrays are not covariant, so `[String].self is [Any].Type`
/// is false.
protocol JSONArrayShaped {}
extension Array: JSONArrayShaped {}
extension Set: JSONArrayShaped {}

extension Problem {
    /// 400: the request cannot be read at all.
    public static func badRequest(_ detail: String) -> Problem {
        Problem(type: "/problems/bad-request", title: "Bad request", status: .badRequest, detail: detail)
    }

    /// 422: the request was read, and these fields are wrong.
    public static func validation(_ errors: [FieldError]) -> Problem {
        Problem(
            type: "/problems/validation",
            title: "Invalid fields",
            status: .unprocessableContent,
            detail: "\(errors.count) field(s) are invalid: \(errors.map(\.field).joined(separator: ", "))",
            errors: errors
        )
    }

    /// 413: the body is larger than the route's limit (1 MiB unless the route says otherwise).
    public static func payloadTooLarge(limit: Int = maximumRequestBodySize) -> Problem {
        Problem(
            type: "/problems/payload-too-large",
            title: "Payload too large",
            status: .contentTooLarge,
            detail: "request bodies may hold at most \(limit) bytes"
        )
    }

    /// 409: the request conflicts with the current state (a duplicate, a resource still in use).
    public static func conflict(_ detail: String, errors: [FieldError]? = nil) -> Problem {
        Problem(type: "/problems/conflict", title: "Conflict", status: .conflict, detail: detail, errors: errors)
    }

    /// 412: `If-Match` named a version that is no longer current.
    public static func preconditionFailed(current version: Int) -> Problem {
        Problem(
            type: "/problems/stale-version",
            title: "Precondition failed",
            status: .preconditionFailed,
            detail: "the resource changed since version you sent; it is now at version \(version)"
        )
    }
}

/// Field checks shared by request bodies.
public enum FieldCheck {
    /// A name: 1 to `maximum` characters, not blank, no control characters.
    ///
    /// Characters are counted as Unicode code points, as the database's `length()` counts them: a Swift
    /// `Character` can hold several (`"e\u{301}"` is one), and a name that passed a grapheme count could
    /// still break a `CHECK` and fail as a 500.
    public static func name(_ value: String?, field: String, maximum: Int = 200) -> [Problem.FieldError] {
        guard let value else { return [] }
        if value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty || value.unicodeScalars.count > maximum {
            return [.init(field: field, message: "must be 1 to \(maximum) characters")]
        }
        if containsControlCharacters(value) {
            return [.init(field: field, message: "must not contain control characters")]
        }
        return []
    }

    /// A free text (a description, results, a note): at most `maximum` code points, as `length()` counts
    /// them, and no NUL, which the database cannot store; line breaks and tabs are welcome.
    public static func text(_ value: String?, field: String, maximum: Int = 20_000) -> [Problem.FieldError] {
        guard let value else { return [] }
        if value.unicodeScalars.count > maximum {
            return [.init(field: field, message: "must be at most \(maximum) characters")]
        }
        if value.unicodeScalars.contains("\u{0}") {
            return [.init(field: field, message: "must not contain a NUL character")]
        }
        return []
    }

    /// Whether `value` holds a control character (C0, DEL, C1), NUL included: the database cannot store a
    /// NUL at all, and the others forge lines in logs and mails.
    public static func containsControlCharacters(_ value: String) -> Bool {
        value.unicodeScalars.contains { $0.properties.generalCategory == .control }
    }

    /// One of the allowed values.
    public static func oneOf(_ value: String?, _ allowed: [String], field: String) -> [Problem.FieldError] {
        guard let value, !allowed.contains(value) else { return [] }
        return [.init(field: field, message: "must be one of \(allowed.joined(separator: ", "))")]
    }

    /// An IANA time zone, at most 64 code points as the database's columns allow.
    public static func timeZone(_ value: String?, field: String) -> [Problem.FieldError] {
        guard let value else { return [] }
        guard value.unicodeScalars.count > 64 || containsControlCharacters(value) || TimeZone(identifier: value) == nil
        else { return [] }
        return [.init(field: field, message: "must be an IANA time zone such as Europe/Brussels")]
    }

    /// An e-mail address (the shape only: delivery proves the rest).
    public static func email(_ value: String?, field: String) -> [Problem.FieldError] {
        guard let value else { return [] }
        return Tenancy.validateEmail(value, field: field)
    }
}
