import Crypto
import Encodings
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Postgres

/// `Idempotency-Key` on POST: a client that lost the answer to a POST (a dropped connection, a server that
/// died) sends it again with the same key and gets the first answer instead of a second partnership.
///
/// The key and the answer are kept in `platform.idempotency_keys` inside the request's own transaction, so
/// they commit or roll back with the work: a request that failed or never committed left no key, and its
/// retry does the work. Two requests with one key at once: the second waits on the first one's row, then
/// answers what the first answered. A key sent again with another method, path or body is a 422. Keys are
/// per user and kept 24 hours. An answer marked `Cache-Control: no-store` (it carries a secret shown once,
/// such as a new API token) is not kept: its retry is a 409 saying the request was carried out.
struct IdempotencyMiddleware: RouterMiddleware {
    typealias Context = GatewayRequestContext

    /// How long a key is remembered.
    static let retention: TimeInterval = 24 * 60 * 60
    /// The request header, as in the IETF draft `draft-ietf-httpapi-idempotency-key-header`.
    static let header = HTTPField.Name("Idempotency-Key")!
    /// Set on an answer that repeats the first one.
    static let replayedHeader = HTTPField.Name("Idempotency-Replayed")!
    /// The headers kept with an answer; the others (request id, rate limits) belong to each request.
    static let keptHeaders: [HTTPField.Name] = [.contentType, .location, .eTag]
    /// The largest body fingerprinted: an import's limit; each route still applies its own.
    static let maximumBodySize = 16 << 20

    let now: @Sendable () -> Date

    init(now: @escaping @Sendable () -> Date = Date.init) {
        self.now = now
    }

    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard request.method == .post, let key = request.headers[Self.header] else {
            return try await next(request, context)
        }
        guard (1...255).contains(key.unicodeScalars.count),
            key.unicodeScalars.allSatisfy({ (0x21...0x7E).contains($0.value) })
        else {
            throw Problem.validation([
                .init(field: "Idempotency-Key", message: "must be 1 to 255 visible ASCII characters, e.g. a UUID")
            ])
        }
        let identity = try context.requireIdentity()
        guard let tenantID = identity.tenantID, let userID = identity.userID else {
            throw Problem.validation([
                .init(field: "Idempotency-Key", message: "is taken from a municipality's users only")
            ])
        }
        var request = request
        let body: ByteBuffer
        do {
            body = try await request.collectBody(upTo: Self.maximumBodySize)
        } catch {
            throw Problem.payloadTooLarge()
        }
        let fingerprint = Self.fingerprint(request, body: body)
        let connection = try context.requireConnection()
        let now = now()
        let expired = now.addingTimeInterval(-Self.retention)
        // The user's expired keys go first, this one too, so that it can be used afresh.
        let claimed = try await connection.pipeline([
            """
            DELETE FROM platform.idempotency_keys
            WHERE tenant_id = \(tenantID) AND user_id = \(userID) AND created_at < \(expired)
            """,
            """
            INSERT INTO platform.idempotency_keys (tenant_id, user_id, key, fingerprint, created_at)
            VALUES (\(tenantID), \(userID), \(key), \(fingerprint), \(now))
            ON CONFLICT DO NOTHING RETURNING true
            """,
        ])
        if claimed[1].isEmpty {
            return try await replay(
                key: key, fingerprint: fingerprint, tenantID: tenantID, userID: userID, on: connection)
        }
        let response = try await next(request, context)
        // Only a committed answer is worth keeping; a failed request rolls the key back with the rest.
        guard response.status.code < 400 else { return response }
        return try await keep(response, key: key, tenantID: tenantID, userID: userID, on: connection)
    }

    /// SHA-256 over what makes two requests the same request.
    static func fingerprint(_ request: Request, body: ByteBuffer) -> String {
        var hash = SHA256()
        for part in [request.method.rawValue, request.uri.description, request.headers[.contentType] ?? ""] {
            hash.update(data: Data(part.utf8))
            hash.update(data: [0])
        }
        hash.update(data: Data(body.readableBytesView))
        return Hex.encode(hash.finalize())
    }

    private func keep(
        _ response: Response,
        key: String,
        tenantID: UUID,
        userID: UUID,
        on connection: PostgresConnection
    ) async throws -> Response {
        var response = response
        var headers: [String: String] = [:]
        for name in Self.keptHeaders { headers[name.canonicalName] = response.headers[name] }
        let secret = response.headers[.cacheControl]?.contains("no-store") == true
        var body: String?
        if !secret {
            let collector = BodyCollector()
            try await response.body.write(collector)
            body = Data(collector.buffer.readableBytesView).base64EncodedString()
            response.body = ResponseBody(byteBuffer: collector.buffer)
        }
        try await connection.query(
            """
            UPDATE platform.idempotency_keys
            SET status = \(Int(response.status.code)), headers = \(try PostgresJSON(headers)),
                body = decode(\(body), 'base64')
            WHERE tenant_id = \(tenantID) AND user_id = \(userID) AND key = \(key)
            """
        )
        return response
    }

    private func replay(
        key: String,
        fingerprint: String,
        tenantID: UUID,
        userID: UUID,
        on connection: PostgresConnection
    ) async throws -> Response {
        let rows = try await connection.query(
            """
            SELECT fingerprint, status, headers, encode(body, 'base64') FROM platform.idempotency_keys
            WHERE tenant_id = \(tenantID) AND user_id = \(userID) AND key = \(key)
            """
        )
        guard let row = rows.first else {
            // Only a key deleted between the two statements: as good as a conflict with a request in flight.
            throw Problem.conflict("a request with this Idempotency-Key is being carried out; retry it later")
        }
        let (kept, status, headers, body) = try row.decode(
            (String, Int?, PostgresJSON<[String: String]>?, String?).self)
        guard kept == fingerprint else {
            throw Problem.validation([
                .init(
                    field: "Idempotency-Key",
                    message: "was used for another request (method, path or body); use a new key for a new request")
            ])
        }
        guard let status else {
            throw Problem.conflict("a request with this Idempotency-Key is being carried out; retry it later")
        }
        // PostgreSQL breaks base64 into lines of 76 characters.
        guard let body, let bytes = Data(base64Encoded: body, options: .ignoreUnknownCharacters) else {
            throw Problem.conflict(
                "this request was carried out already; its answer held a secret that is shown only once")
        }
        var fields = HTTPFields()
        for (name, value) in headers?.value ?? [:] {
            if let name = HTTPField.Name(name) { fields[name] = value }
        }
        fields[Self.replayedHeader] = "true"
        return Response(
            status: HTTPResponse.Status(code: status), headers: fields,
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}

/// Gathers a response body as it is written, to keep it and to send it.
private final class BodyCollector: ResponseBodyWriter {
    var buffer = ByteBuffer()

    func write(_ buffer: ByteBuffer) async throws {
        var buffer = buffer
        self.buffer.writeBuffer(&buffer)
    }

    func finish(_ trailingHeaders: HTTPFields?) async throws {}
}
