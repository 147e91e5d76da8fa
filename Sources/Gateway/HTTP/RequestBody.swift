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
        decoder.dateDecodingStrategy = .iso8601
        do {
            let decoded = try decoder.decode(Body.self, from: data)
            errors += decoded.validate()
            if errors.isEmpty { return decoded }
        } catch let error as DecodingError {
            errors.append(Self.fieldError(error))
        }
        throw Problem.validation(errors)
    }

    static func fieldError(_ error: DecodingError) -> Problem.FieldError {
        func path(_ codingPath: [any CodingKey], _ last: (any CodingKey)? = nil) -> String {
            (codingPath + (last.map { [$0] } ?? [])).map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }
                .joined(separator: ".")
                .replacingOccurrences(of: ".[", with: "[")
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
        case is [Any].Type: return "an array"
        default: return "of another type"
        }
    }
}

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

    /// 413: the body is larger than 1 MiB.
    public static func payloadTooLarge() -> Problem {
        Problem(
            type: "/problems/payload-too-large",
            title: "Payload too large",
            status: .contentTooLarge,
            detail: "request bodies may hold at most \(maximumRequestBodySize) bytes"
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
    public static func name(_ value: String?, field: String, maximum: Int = 200) -> [Problem.FieldError] {
        guard let value else { return [] }
        if value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty || value.count > maximum {
            return [.init(field: field, message: "must be 1 to \(maximum) characters")]
        }
        if value.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            return [.init(field: field, message: "must not contain control characters")]
        }
        return []
    }

    /// One of the allowed values.
    public static func oneOf(_ value: String?, _ allowed: [String], field: String) -> [Problem.FieldError] {
        guard let value, !allowed.contains(value) else { return [] }
        return [.init(field: field, message: "must be one of \(allowed.joined(separator: ", "))")]
    }

    /// An IANA time zone.
    public static func timeZone(_ value: String?, field: String) -> [Problem.FieldError] {
        guard let value, TimeZone(identifier: value) == nil else { return [] }
        return [.init(field: field, message: "must be an IANA time zone such as Europe/Brussels")]
    }

    /// An e-mail address (the shape only: delivery proves the rest).
    public static func email(_ value: String?, field: String) -> [Problem.FieldError] {
        guard let value else { return [] }
        return Tenancy.validateEmail(value, field: field)
    }
}
