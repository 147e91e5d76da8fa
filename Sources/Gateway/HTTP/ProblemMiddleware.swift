import HTTPTypes
import Hummingbird
import Logging

/// Turns every error into a problem+json response: ``Problem``s as they are, Hummingbird's own errors
/// (unknown route, body too large) with their status, anything else as a logged 500 without detail.
public struct ProblemMiddleware<Context: RequestContext>: RouterMiddleware {
    /// Makes the middleware.
    public init() {}

    public func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let problem as Problem {
            return try problem.response(from: request, context: context)
        } catch let error as any HTTPResponseError {
            let problem = Problem(
                type: error.status == .notFound ? "/problems/not-found" : "/problems/http-\(error.status.code)",
                title: error.status.reasonPhrase,
                status: error.status,
                detail: (error as? HTTPError)?.body
            )
            return try problem.response(from: request, context: context)
        } catch {
            // RequestIDMiddleware, which runs first, put the id in the logger's metadata.
            let requestID = context.logger[metadataKey: "request.id"].map { "\($0)" }
            context.logger.error("request failed", metadata: ["error": "\(String(reflecting: error))"])
            return try Problem.internalError(requestID: requestID).response(from: request, context: context)
        }
    }
}
