import HTTPTypes
import Hummingbird
import Logging
import Postgres

/// Turns every error into a problem+json response: ``Problem``s as they are, Hummingbird's own errors
/// (unknown route, body too large) with their status, a database that cannot be reached or a transaction
/// ended by a deadlock or serialization failure as a 503 with `Retry-After` (a client can wait it out), a
/// statement cancelled by `statement_timeout` as a 503 with `Retry-After` too, a
/// foreign-key violation as a 409, a value the database refuses (a `CHECK`, a NUL) as a 422, anything else
/// as a logged 500 without detail.
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
        } catch let error as PostgresError where error.sqlState?.isTransient == true {
            // The authentication middleware already tried again where it could.
            context.logger.warning("request transaction conflicted", metadata: ["error": "\(error)"])
            return try Problem.transactionConflict().response(from: request, context: context)
        } catch let error as PostgresError where error.sqlState == .queryCanceled {
            // statement_timeout: a limit the server sets to keep its connections free, not the client's
            // fault; the same request may well pass when the database is less busy.
            context.logger.warning("statement cancelled", metadata: ["error": "\(error)"])
            return try Problem.statementTimeout().response(from: request, context: context)
        } catch let error as PostgresError where error.sqlState == .foreignKeyViolation {
            // A handler that did not check a reference first: the client named something that is not there
            // (or removed something still referred to). Its conflict to resolve, not a server fault.
            context.logger.notice("foreign key violation", metadata: ["error": "\(error)"])
            return try Problem.conflict(
                "the request refers to something that does not exist, or removes something still referred to"
            ).response(from: request, context: context)
        } catch let error as PostgresError where error.code == .invalidParameter || error.sqlState == .checkViolation {
            // Input a body's checks let through (a NUL in a text, a length counted differently): still bad
            // input, so a 422; logged as an error, since the checks should have named the field.
            context.logger.error("input refused by the database", metadata: ["error": "\(error)"])
            return try Problem(
                type: "/problems/validation",
                title: "Invalid fields",
                status: .unprocessableContent,
                detail: "a value is not one the database can store (too long, or with a NUL character)",
                errors: []
            ).response(from: request, context: context)
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
