import Foundation
import Hummingbird
import Logging

/// One structured line per request: method, route pattern, status, duration, tenant and request id.
/// Never a token, a query string or a body.
///
/// It runs outside authentication, so it reads the tenant from the request's shared ``RequestNotes`` after
/// the inner middleware ran; the request id is in the logger's metadata already.
public struct AccessLogMiddleware<Context: NotedRequestContext>: RouterMiddleware {
    /// Makes the middleware.
    public init() {}

    public func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let started = ContinuousClock.now
        let response = try await next(request, context)
        let elapsed = ContinuousClock.now - started
        let milliseconds = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        var metadata: Logger.Metadata = [
            "http.method": "\(request.method.rawValue)",
            "http.route": "\(context.endpointPath ?? "unmatched")",
            "http.status": "\(response.status.code)",
            "http.duration_ms": "\(String(format: "%.2f", milliseconds))",
        ]
        if let tenant = context.notes.tenantID { metadata["tenant.id"] = "\(tenant.uuidString.lowercased())" }
        context.logger.info("request", metadata: metadata)
        return response
    }
}
