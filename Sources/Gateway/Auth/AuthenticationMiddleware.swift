import Foundation
import HTTPTypes
import Hummingbird
import Logging
import Postgres

/// Authenticates `/api/v1` requests and gives each one database transaction, scoped to the caller's tenant
/// and run as the app role (the pool's connections switch to it at start): read-only for GET and HEAD.
///
/// `BEGIN` and the token lookup (`platform.authenticate`, which also sets the tenant) travel in one round
/// trip. The transaction commits when the response is a success or redirect, and rolls back otherwise, so
/// a failed request leaves nothing behind.
///
/// Limits come before the database: a client address whose bucket of failed attempts is empty is refused
/// (429) unless its token was accepted lately (``RecentTokens``), so made-up tokens cost no lookup once the
/// bucket is spent; a missing, malformed or refused token takes one from the address's bucket; and each
/// token has its own bucket.
///
/// When the database ends the transaction with a deadlock or a serialization failure, the whole request
/// runs again, up to ``maximumAttempts`` times: a handler's effects are its transaction's (events and jobs
/// are rows in it, and their NOTIFY is sent only after a commit), so a rolled-back attempt leaves nothing to
/// undo. Its body was read whole before (``BodyLimitMiddleware``), so it can be read again; after the last
/// attempt the client gets a 503 with `Retry-After`.
public struct AuthenticationMiddleware: RouterMiddleware {
    public typealias Context = GatewayRequestContext

    let pool: PostgresConnectionPool
    let limiter: RateLimiter
    let addressLimiter: RateLimiter
    let recentTokens: RecentTokens
    let statistics: AuthenticationStatistics
    let maximumAttempts: Int
    let usage: TokenUsageRecorder?

    /// How often a request is tried when its transaction meets a deadlock or a serialization failure.
    public static let defaultMaximumAttempts = 3

    /// Makes the middleware; `usage` notes when each token authenticated a request (`lastUsedAt`).
    public init(
        pool: PostgresConnectionPool,
        limiter: RateLimiter,
        addressLimiter: RateLimiter = RateLimiter(
            rate: RateLimiter.defaultAddressRate, burst: RateLimiter.defaultAddressBurst),
        recentTokens: RecentTokens = RecentTokens(),
        statistics: AuthenticationStatistics = AuthenticationStatistics(),
        maximumAttempts: Int = defaultMaximumAttempts,
        usage: TokenUsageRecorder? = nil
    ) {
        precondition(maximumAttempts >= 1, "a request is tried at least once")
        self.pool = pool
        self.limiter = limiter
        self.addressLimiter = addressLimiter
        self.recentTokens = recentTokens
        self.statistics = statistics
        self.maximumAttempts = maximumAttempts
        self.usage = usage
    }

    public func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let address = context.addressKey
        guard let header = request.headers[.authorization] else {
            try chargeAddress(address)
            throw Problem.unauthorized("send an API token as `Authorization: Bearer sbt_…`")
        }
        guard header.lowercased().hasPrefix("bearer "), let token = APIToken(String(header.dropFirst(7))) else {
            try chargeAddress(address)
            throw Problem.unauthorized("the token is malformed", invalidToken: true)
        }
        let hash = token.hash
        let hex = token.hashHex
        // Before the database: an address that used up its failures gets through only with a token that
        // worked lately, so a flood of made-up tokens costs neither a connection nor a lookup.
        if !addressLimiter.wouldAllow(address), !recentTokens.contains(hex) {
            statistics.refusedByAddressLimit()
            throw Problem.tooManyRequests(retryAfter: 1 / addressLimiter.rate, by: .address)
        }
        if let wait = limiter.acquire(hex) {
            throw Problem.tooManyRequests(retryAfter: wait, by: .token)
        }
        let readOnly = request.method == .get || request.method == .head
        var request = request
        try await Self.bufferForReplay(&request)
        return try await pool.withConnection { connection in
            var attempt = 1
            while true {
                do {
                    return try await transaction(
                        request, context, hash: hash, hex: hex, readOnly: readOnly, on: connection, next)
                } catch let error as PostgresError
                    where error.sqlState?.isTransient == true && attempt < maximumAttempts
                {
                    context.logger.notice(
                        "request transaction retried",
                        metadata: [
                            "postgres.sqlstate": "\(error.sqlState!.rawValue)", "http.attempt": "\(attempt + 1)",
                        ]
                    )
                    // The attempt rolled back already where it failed in the handler; this covers the rest
                    // (outside a transaction ROLLBACK only warns).
                    _ = try? await connection.query("ROLLBACK")
                    // A little jitter, so that two requests that deadlocked do not meet again at once.
                    try await Task.sleep(for: .milliseconds(Int.random(in: 1...10) * attempt))
                    attempt += 1
                }
            }
        }
    }

    /// Takes one request from the address's bucket for a credential that failed; 429 when it is empty.
    private func chargeAddress(_ address: String) throws {
        if let wait = addressLimiter.acquire(address) {
            throw Problem.tooManyRequests(retryAfter: wait, by: .address)
        }
    }

    /// Makes `request`'s body readable again, so that the request can be replayed. ``BodyLimitMiddleware``,
    /// which runs first, has read every body already (within its route's limit and in time), so this only
    /// keeps that promise where the middleware is left out: no connection is borrowed while a body arrives.
    static func bufferForReplay(_ request: inout Request) async throws {
        let limit = BodyLimitMiddleware<GatewayRequestContext>.limit(forPath: request.uri.path)
        do {
            _ = try await request.collectBody(upTo: limit)
        } catch {
            throw Problem.payloadTooLarge(limit: limit)
        }
    }

    /// One attempt: the transaction, authentication inside it, the handler, then commit or rollback.
    private func transaction(
        _ request: Request,
        _ context: Context,
        hash: [UInt8],
        hex: String,
        readOnly: Bool,
        on connection: PostgresConnection,
        _ next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let now = Date()
        statistics.lookedUp()
        let results = try await connection.pipeline([
            readOnly ? "BEGIN READ ONLY" : "BEGIN",
            """
            SELECT token_id, token_hash, tenant_id, user_id, platform_admin_id, role
            FROM platform.authenticate(decode(\(hex), 'hex'), \(now))
            """,
        ])
        guard let row = results[1].first,
            let identity = try Self.identity(from: row, expectedHash: hash)
        else {
            try await connection.query("ROLLBACK")
            recentTokens.refused(hex)
            // Charged after the lookup, so this answer is still the 401; the next ones may be 429s.
            _ = addressLimiter.acquire(context.addressKey)
            throw Problem.unauthorized("the token is unknown, expired or revoked", invalidToken: true)
        }
        // In memory only: the read-only transaction writes nothing, and TokenUsageFlusher writes it later.
        if let tokenID = identity.tokenID { usage?.record(tokenID, at: now) }
        recentTokens.accepted(hex)
        var context = context
        context.identity = identity
        context.connection = connection
        if let tenant = identity.tenantID {
            context.logger[metadataKey: "tenant.id"] = "\(tenant.uuidString.lowercased())"
            context.notes.tenantID = tenant
        }
        let response: Response
        do {
            response = try await next(request, context)
        } catch {
            _ = try? await connection.query("ROLLBACK")
            throw error
        }
        if response.status.code < 400 {
            let commit = try await connection.query("COMMIT")
            if commit.commandTag == "ROLLBACK" {
                throw PostgresError(code: .transactionRolledBack, reason: "the request's transaction rolled back")
            }
        } else {
            try await connection.query("ROLLBACK")
        }
        return response
    }

    private static func identity(from row: PostgresRow, expectedHash: [UInt8]) throws -> Identity? {
        let (tokenID, storedHex, tenantID, userID, adminID, role) = try row.decode(
            (UUID, String, UUID?, UUID?, UUID?, String).self
        )
        // bytea prints as \x…; compare the stored hash with ours without an early exit.
        let stored = stride(from: 2, to: storedHex.count, by: 2).compactMap { offset -> UInt8? in
            let start = storedHex.index(storedHex.startIndex, offsetBy: offset)
            return UInt8(storedHex[start..<storedHex.index(start, offsetBy: 2)], radix: 16)
        }
        guard APIToken.constantTimeEquals(stored, expectedHash), let role = Identity.Role(rawValue: role) else {
            return nil
        }
        return Identity(tokenID: tokenID, tenantID: tenantID, userID: userID, platformAdminID: adminID, role: role)
    }
}

extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}

extension Problem {
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

    /// 403: authenticated, but the role does not allow this.
    public static func forbidden(_ detail: String) -> Problem {
        Problem(type: "/problems/forbidden", title: "Forbidden", status: .forbidden, detail: detail)
    }
}
