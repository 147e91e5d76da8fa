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
        var metadata: Logger.Metadata = [
            "http.method": "\(request.method.rawValue)",
            "http.route": "\(context.endpointPath ?? "unmatched")",
            "http.status": "\(response.status.code)",
            "http.duration_ms": "\(Self.milliseconds(elapsed))",
        ]
        if let tenant = context.notes.tenantID { metadata["tenant.id"] = "\(tenant.uuidString.lowercased())" }
        context.logger.info("request", metadata: metadata)
        return response
    }

    /// `elapsed` in milliseconds with two decimals: the text `String(format: "%.2f", milliseconds)` gave,
    /// without a format string's parsing and locale.
    ///
    /// `%.2f` rounds the binary value of `seconds × 1000 + attoseconds / 10¹⁵` to the nearest hundredth. From
    /// whole nanoseconds the decimal rounding is exact, but for a tie (a remainder of exactly 5 µs), where
    /// the double's side of the tie decides, as `%.2f` does: the fused `ms × 10⁶ − ns` has its sign exactly.
    public static func milliseconds(_ elapsed: Duration) -> String {
        let (seconds, attoseconds) = elapsed.components
        let nanoseconds = seconds * 1_000_000_000 + attoseconds / 1_000_000_000
        var hundredths = nanoseconds / 10_000
        let rest = nanoseconds % 10_000
        if rest > 5_000 {
            hundredths += 1
        } else if rest == 5_000 {
            let milliseconds = Double(seconds) * 1000 + Double(attoseconds) / 1e15
            let side = (-Double(nanoseconds)).addingProduct(milliseconds, 1e6)
            if side > 0 || (side == 0 && hundredths % 2 == 1) { hundredths += 1 }
        }
        let fraction = hundredths % 100
        return "\(hundredths / 100)." + (fraction < 10 ? "0" : "") + "\(fraction)"
    }
}
