import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// An RFC 9457 problem: every error a client sees is one, served as `application/problem+json`.
public struct Problem: HTTPResponseError, Encodable, Sendable, Equatable {
    /// One invalid field of a request.
    public struct FieldError: Codable, Sendable, Equatable {
        /// The field's name as the client sent it (camelCase, dotted for nested fields).
        public var field: String
        /// What is wrong with it, in words a user can act on.
        public var message: String

        /// Makes a field error.
        public init(field: String, message: String) {
            self.field = field
            self.message = message
        }
    }

    /// A URI reference naming the kind of problem, e.g. `/problems/not-ready`.
    public var type: String
    /// A short summary that does not change between occurrences.
    public var title: String
    /// The HTTP status.
    public var status: HTTPResponse.Status
    /// What happened this time.
    public var detail: String?
    /// The invalid fields, for validation problems.
    public var errors: [FieldError]?
    /// Extra headers, such as `Retry-After` or `WWW-Authenticate`.
    public var headers: HTTPFields

    /// Makes a problem.
    public init(
        type: String,
        title: String,
        status: HTTPResponse.Status,
        detail: String? = nil,
        errors: [FieldError]? = nil,
        headers: HTTPFields = [:]
    ) {
        self.type = type
        self.title = title
        self.status = status
        self.detail = detail
        self.errors = errors
        self.headers = headers
    }

    /// The media type of a problem document.
    public static let mediaType = "application/problem+json"

    private enum CodingKeys: String, CodingKey {
        case type, title, status, detail, errors
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(type, forKey: .type)
        try container.encode(title, forKey: .title)
        try container.encode(status.code, forKey: .status)
        try container.encodeIfPresent(detail, forKey: .detail)
        try container.encodeIfPresent(errors, forKey: .errors)
    }

    /// The document's bytes: by hand, what `JSONEncoder` with `[.sortedKeys, .withoutEscapingSlashes]` made of
    /// ``encode(to:)`` (a test compares them).
    public var json: [UInt8] {
        var writer = JSONWriter(escapingSlashes: false, capacity: 256)
        writer.beginObject()
        if let detail {
            writer.key("detail")
            writer.string(detail)
        }
        if let errors {
            writer.key("errors")
            writer.beginArray()
            for error in errors {
                writer.beginObject()
                writer.key("field")
                writer.string(error.field)
                writer.key("message")
                writer.string(error.message)
                writer.endObject()
            }
            writer.endArray()
        }
        writer.key("status")
        writer.int(status.code)
        writer.key("title")
        writer.string(title)
        writer.key("type")
        writer.string(type)
        writer.endObject()
        return writer.bytes
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let data = json
        var headers = self.headers
        headers[.contentType] = Problem.mediaType
        return Response(
            status: status,
            headers: headers,
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: data))
        )
    }
}

extension Problem {
    /// 404: no such route or resource (also for another tenant's resources: no existence leak).
    public static func notFound(_ detail: String? = nil) -> Problem {
        Problem(type: "/problems/not-found", title: "Not found", status: .notFound, detail: detail)
    }

    /// 503: the server cannot serve yet (database unreachable, migrations pending).
    public static func notReady(_ detail: String) -> Problem {
        Problem(
            type: "/problems/not-ready",
            title: "Not ready",
            status: .serviceUnavailable,
            detail: detail
        )
    }

    /// 503 with `Retry-After`: the database cannot be reached (down, restarting, every connection busy).
    /// The request's transaction did not commit, unless the connection broke during its `COMMIT`.
    public static func databaseUnavailable(retryAfterSeconds: Int = 5) -> Problem {
        serviceUnavailable(
            type: "/problems/database-unavailable",
            detail: "The database cannot be reached at the moment; try again in a few seconds.",
            retryAfterSeconds: retryAfterSeconds
        )
    }

    /// 503 with `Retry-After`: the database ended the request's transaction to resolve a deadlock or a
    /// serialization failure with another one, and retrying it here did not help. Nothing was applied.
    public static func transactionConflict(retryAfterSeconds: Int = 1) -> Problem {
        serviceUnavailable(
            type: "/problems/transaction-conflict",
            detail: "The request met concurrent changes and was not applied; try again in a moment.",
            retryAfterSeconds: retryAfterSeconds
        )
    }

    /// 503 with `Retry-After`: a query ran past the database's `statement_timeout` and was cancelled.
    /// Nothing was applied.
    public static func statementTimeout(retryAfterSeconds: Int = 5) -> Problem {
        serviceUnavailable(
            type: "/problems/statement-timeout",
            detail: "The request took longer than the server allows and was not applied; try again later.",
            retryAfterSeconds: retryAfterSeconds
        )
    }

    /// 503 with `Retry-After`: what the database's 503s above have in common.
    private static func serviceUnavailable(type: String, detail: String, retryAfterSeconds: Int) -> Problem {
        var headers = HTTPFields()
        headers[.retryAfter] = "\(retryAfterSeconds)"
        return Problem(
            type: type,
            title: "Service unavailable",
            status: .serviceUnavailable,
            detail: detail,
            headers: headers
        )
    }

    /// 500: something failed that the client cannot fix; the detail stays in the log.
    public static func internalError(requestID: String?) -> Problem {
        Problem(
            type: "/problems/internal-error",
            title: "Internal server error",
            status: .internalServerError,
            detail: requestID.map { "The error was logged with request id \($0)." }
        )
    }

    /// 401, with `WWW-Authenticate: Bearer` so clients know what to send.
    public static func unauthorized(_ detail: String, invalidToken: Bool = false) -> Problem {
        var headers = HTTPFields()
        headers[.wwwAuthenticate] = invalidToken ? #"Bearer error="invalid_token""# : "Bearer"
        return Problem(
            type: "/problems/unauthorized",
            title: "Unauthorized",
            status: .unauthorized,
            detail: detail,
            headers: headers
        )
    }

    /// Whose bucket ran out.
    public enum RateLimitedBy: Sendable {
        /// The presented token's.
        case token
        /// The client address's, for failed credentials and public routes.
        case address
    }

    /// 429, with `Retry-After` in whole seconds.
    public static func tooManyRequests(retryAfter seconds: Double, by bucket: RateLimitedBy = .token) -> Problem {
        var headers = HTTPFields()
        headers[.retryAfter] = String(max(1, Int(seconds.rounded(.up))))
        return Problem(
            type: "/problems/rate-limited",
            title: "Too many requests",
            status: .tooManyRequests,
            detail: bucket == .token
                ? "this token sends requests faster than its limit; retry later"
                : "too many failed or unauthenticated requests from this address; retry later",
            headers: headers
        )
    }

    /// 403: authenticated, but the role does not allow this; `errors` names the fields of the request that ask
    /// for what the role may not do (a partner coordinator's `side`).
    public static func forbidden(_ detail: String, errors: [FieldError]? = nil) -> Problem {
        Problem(type: "/problems/forbidden", title: "Forbidden", status: .forbidden, detail: detail, errors: errors)
    }
}
