import HTTPTypes
import Hummingbird

extension HTTPField.Name {
    /// `Referrer-Policy`.
    public static let referrerPolicy = HTTPField.Name("Referrer-Policy")!
    /// `X-Frame-Options`.
    public static let frameOptions = HTTPField.Name("X-Frame-Options")!
}

/// Adds the headers that keep browsers from misreading an answer: `X-Content-Type-Options: nosniff` on every
/// response (a CSV or JSON body is never run as script or shown as a page), and on every `text/html` answer
/// a `Content-Security-Policy` (the handler's, else ``PageSecurityPolicy/pages``), `Referrer-Policy:
/// same-origin` (an unsubscribe link's token does not leak to another site), and `X-Frame-Options: DENY` for
/// browsers that predate `frame-ancestors`.
///
/// One middleware in front of every route, problems and unknown paths included, so a new page cannot forget
/// them.
public struct SecurityHeadersMiddleware<Context: RequestContext>: RouterMiddleware {
    /// Makes the middleware.
    public init() {}

    public func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        var response = try await next(request, context)
        response.headers[.xContentTypeOptions] = "nosniff"
        if let type = response.headers[.contentType], type.lowercased().hasPrefix("text/html") {
            if response.headers[.contentSecurityPolicy] == nil {
                response.headers[.contentSecurityPolicy] = PageSecurityPolicy.pages.description
            }
            response.headers[.referrerPolicy] = "same-origin"
            response.headers[.frameOptions] = "DENY"
        }
        return response
    }
}
