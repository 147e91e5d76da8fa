import Hummingbird

/// Keeps a request's body in memory, so that the request can run again after its transaction is retried.
enum ReplayableBody {
    /// Makes `request`'s body readable again. ``BodyLimitMiddleware``, which runs first, has read every body
    /// already (within its route's limit and in time), so this only keeps that promise where the middleware
    /// is left out: no connection is borrowed while a body arrives.
    static func buffer(_ request: inout Request) async throws {
        let limit = BodyLimitMiddleware<GatewayRequestContext>.limit(forPath: request.uri.path)
        do {
            _ = try await request.collectBody(upTo: limit)
        } catch {
            throw Problem.payloadTooLarge(limit: limit)
        }
    }
}
