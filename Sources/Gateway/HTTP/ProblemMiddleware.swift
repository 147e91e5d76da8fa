import HTTPTypes
import Hummingbird
import Logging
import Postgres

/// Turns every error into a problem+json response: ``Problem``s as they are, Hummingbird's own errors
/// (unknown route, body too large) with their status, a database that cannot be reached as a 503 with
/// `Retry-After` (a client can wait it out), anything else as a logged 500 without detail.
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
        } catch let error as TenancyValidationError {
            // Bad input for a tenant or user that reached the shared tenancy code unchecked: still the
            // client's to fix.
            return try Problem.validation(error.errors).response(from: request, context: context)
        } catch let error as any HTTPResponseError {
            let problem = Problem(
                type: error.status == .notFound ? "/problems/not-found" : "/problems/http-\(error.status.code)",
                title: error.status.reasonPhrase,
                status: error.status,
                detail: (error as? HTTPError)?.body
            )
            return try problem.response(from: request, context: context)
        } catch let error as PostgresError where error.meansDatabaseUnavailable {
            context.logger.warning("database unavailable", metadata: ["error": "\(error)"])
            return try Problem.databaseUnavailable().response(from: request, context: context)
        } catch {
            // RequestIDMiddleware, which runs first, put the id in the logger's metadata.
            let requestID = context.logger[metadataKey: "request.id"].map { "\($0)" }
            context.logger.error("request failed", metadata: ["error": "\(String(reflecting: error))"])
            return try Problem.internalError(requestID: requestID).response(from: request, context: context)
        }
    }
}

extension PostgresError {
    /// Whether the request failed because the database could not be reached or broke off, rather than
    /// because of the request: the connection failed or was lost, the server is shutting down or starting
    /// (SQLSTATE 08xxx, 57P01–57P03), or no pooled connection became free in time.
    var meansDatabaseUnavailable: Bool {
        isConnectionLost || code == .poolTimeout || code == .poolClosed
    }
}
