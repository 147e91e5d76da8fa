import HTTPTypes
import Hummingbird
import RequestTracing

extension HTTPField.Name {
    /// `traceparent` (W3C Trace Context): the caller's trace, followed when valid; answered with the server's
    /// own span in it.
    public static let traceParent = HTTPField.Name("traceparent")!
}

/// Puts every request in a W3C trace (docs/logs-and-traces.md): a valid incoming `traceparent` is followed
/// (its trace id kept, a span of the request's own made), an invalid or absent one starts a new trace, never
/// refused. The request runs with ``TraceParent/current`` set, so its log lines carry `trace_id` and
/// `span_id`, and the events it publishes and the jobs it enqueues keep the trace. The response's
/// `traceparent` names the request's span.
public struct TraceParentMiddleware<Context: RequestContext>: RouterMiddleware {
    /// Makes the middleware.
    public init() {}

    public func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let span = request.headers[.traceParent].flatMap(TraceParent.init(header:))?.child() ?? TraceParent.start()
        var response = try await TraceParent.$current.withValue(span) { try await next(request, context) }
        response.headers[.traceParent] = span.header
        return response
    }
}
