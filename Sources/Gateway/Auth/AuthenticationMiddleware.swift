import Encodings
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import Postgres

/// Authenticates `/api/v1` requests and gives each one database transaction, scoped to the caller's tenant
/// and run as the app role (the pool's connections switch to it at start).
///
/// With an ``IdentityCache`` that answers (switched on, its listener listening), the caller's identity comes
/// from memory, or from one lookup in a round trip of its own that fills the cache, and the settings of the
/// caller's transaction travel with the handler's statements: a read has no `BEGIN` or `COMMIT` at all
/// (``RequestTransaction/run(readOnly:logger:identify:_:)``). Without one, `BEGIN` and the token lookup
/// (`platform.authenticate`, which also sets the tenant) travel in one round trip. Limits come before the
/// database (``AuthenticationLimits``); the body is kept for a replay
/// (``ReplayableBody``); the transaction, its commit policy and its retry after a deadlock or a serialization
/// failure are ``RequestTransaction``'s.
public struct AuthenticationMiddleware: RouterMiddleware {
    public typealias Context = GatewayRequestContext

    let limits: AuthenticationLimits
    let transaction: RequestTransaction
    let usage: TokenUsageRecorder?
    let identities: IdentityCache?

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
        usage: TokenUsageRecorder? = nil,
        identities: IdentityCache? = nil
    ) {
        self.limits = AuthenticationLimits(
            tokens: limiter, addresses: addressLimiter, recentTokens: recentTokens, statistics: statistics)
        self.transaction = RequestTransaction(pool: pool, maximumAttempts: maximumAttempts)
        self.usage = usage
        self.identities = identities
    }

    public func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let address = context.addressKey
        guard let header = request.headers[.authorization] else {
            try limits.chargeAddress(address)
            throw Problem.unauthorized("send an API token as `Authorization: Bearer sbt_…`")
        }
        guard header.lowercased().hasPrefix("bearer "), let token = APIToken(String(header.dropFirst(7))) else {
            try limits.chargeAddress(address)
            throw Problem.unauthorized("the token is malformed", invalidToken: true)
        }
        // The token's one SHA-256 of this request: the limits, the lookup and the comparison all use it.
        let credential = token.credentialHash
        let hash = credential.bytes
        let hex = credential.hex
        try limits.admit(tokenHashHex: hex, from: address)
        let readOnly = request.method == .get || request.method == .head
        func refused() -> Problem {
            limits.refused(tokenHashHex: hex, from: address)
            return Problem.unauthorized("the token is unknown, expired or revoked", invalidToken: true)
        }
        // A hash refused lately is refused before its body is read; any other answer is asked again after,
        // since reading a body may take long enough for the cache to change.
        if case .refused = identities?.answer(for: hex, at: Date()) { throw refused() }
        var request = request
        try await ReplayableBody.buffer(&request)
        let answer = identities?.answer(for: hex, at: Date()) ?? .unavailable
        if case .refused = answer { throw refused() }
        if let identities, !answer.isUnavailable {
            return try await cached(
                answer, in: identities, credential: credential, address: address, readOnly: readOnly,
                request: request, context: context, next: next)
        }
        // Each attempt looks the token up afresh, at its own time, which is also the token's last use.
        var now = Date()
        func lookup() -> PostgresQuery {
            now = Date()
            limits.statistics.lookedUp()
            return """
                SELECT token_id, token_hash, tenant_id, user_id, platform_admin_id, role
                FROM platform.authenticate(decode(\(hex), 'hex'), \(now))
                """
        }
        return try await transaction.run(readOnly: readOnly, logger: context.logger, opening: lookup) {
            rows, connection in
            guard let row = rows.first, let identity = try Self.identity(from: row, expectedHash: hash) else {
                limits.refused(tokenHashHex: hex, from: address)
                throw Problem.unauthorized("the token is unknown, expired or revoked", invalidToken: true)
            }
            return try await proceed(
                identity, at: now, credential: credential, connection: connection, request: request, context: context,
                next: next)
        }
    }

    /// The request with the identity from the cache, or looked up once on the request's connection.
    private func cached(
        _ answer: IdentityCache.Answer,
        in identities: IdentityCache,
        credential: CredentialHash,
        address: String,
        readOnly: Bool,
        request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let hex = credential.hex
        var now = Date()
        func identify(_ connection: PostgresConnection) async throws -> IdentityCache.Grant {
            if case .granted(let grant) = answer { return grant }
            guard case .unknown(let generation) = answer else { preconditionFailure("the cache answered") }
            now = Date()
            limits.statistics.lookedUp()
            // An implicit transaction of its own: the settings platform.authenticate makes end with it.
            let rows = try await connection.query(
                """
                SELECT token_id, token_hash, tenant_id, user_id, platform_admin_id, role, expires_at
                FROM platform.identify(decode(\(hex), 'hex'), \(now))
                """)
            let grant = try rows.first.flatMap { row in try Self.grant(from: row, expectedHash: credential.bytes) }
            identities.store(grant, for: hex, generation: generation)
            guard let grant else {
                limits.refused(tokenHashHex: hex, from: address)
                throw Problem.unauthorized("the token is unknown, expired or revoked", invalidToken: true)
            }
            return grant
        }
        return try await transaction.run(readOnly: readOnly, logger: context.logger, identify: identify) {
            grant, connection in
            try await proceed(
                grant.identity, at: now, credential: credential, connection: connection, request: request,
                context: context, next: next)
        }
    }

    /// Hands the request on as `identity`, on `connection`: notes the token's use (in memory only: a read
    /// writes nothing, and TokenUsageFlusher writes it later) and its acceptance by the limits.
    private func proceed(
        _ identity: Identity,
        at now: Date,
        credential: CredentialHash,
        connection: PostgresConnection,
        request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        if let tokenID = identity.tokenID { usage?.record(tokenID, at: now) }
        limits.accepted(tokenHashHex: credential.hex)
        var context = context
        context.identity = identity
        context.credentialHash = credential
        context.connection = connection
        if let tenant = identity.tenantID {
            context.logger[metadataKey: "tenant.id"] = "\(tenant.uuidString.lowercased())"
            context.notes.tenantID = tenant
        }
        return try await next(request, context)
    }

    private static func grant(from row: PostgresRow, expectedHash: [UInt8]) throws -> IdentityCache.Grant? {
        let (tokenID, storedHex, tenantID, userID, adminID, role, expiresAt) = try row.decode(
            (UUID, String, UUID?, UUID?, UUID?, String, Date?).self
        )
        let stored = Hex.decode(storedHex.dropFirst(2)) ?? []
        guard APIToken.constantTimeEquals(stored, expectedHash), let role = Identity.Role(rawValue: role) else {
            return nil
        }
        let identity = Identity(
            tokenID: tokenID, tenantID: tenantID, userID: userID, platformAdminID: adminID, role: role)
        return IdentityCache.Grant(identity: identity, expiresAt: expiresAt)
    }

    private static func identity(from row: PostgresRow, expectedHash: [UInt8]) throws -> Identity? {
        let (tokenID, storedHex, tenantID, userID, adminID, role) = try row.decode(
            (UUID, String, UUID?, UUID?, UUID?, String).self
        )
        // bytea prints as \x…; compare the stored hash with ours without an early exit.
        let stored = Hex.decode(storedHex.dropFirst(2)) ?? []
        guard APIToken.constantTimeEquals(stored, expectedHash), let role = Identity.Role(rawValue: role) else {
            return nil
        }
        return Identity(tokenID: tokenID, tenantID: tenantID, userID: userID, platformAdminID: adminID, role: role)
    }
}
