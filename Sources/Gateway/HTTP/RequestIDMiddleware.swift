import Foundation
import HTTPTypes
import Hummingbird
import Logging
import Postgres

extension HTTPField.Name {
    /// `X-Request-Id`: kept from the client when sensible, else made; echoed on every response.
    public static let requestID = HTTPField.Name("X-Request-Id")!
}

/// Gives every request an id: the client's `X-Request-Id` when it is a short token, else a new UUID.
/// The id is echoed on the response, so a client can quote it when reporting a problem.
public struct RequestIDMiddleware<Context: RequestContext>: RouterMiddleware {
    /// Makes the middleware.
    public init() {}

    public func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let id: String
        if let given = request.headers[.requestID], Self.isAcceptable(given) {
            id = given
        } else {
            id = UUID.timeOrdered().uuidString.lowercased()
        }
        var context = context
        context.logger[metadataKey: "request.id"] = "\(id)"
        var response = try await next(request, context)
        response.headers[.requestID] = id
        return response
    }

    /// 1 to 128 visible ASCII characters with no spaces: anything else could forge log lines.
    static func isAcceptable(_ id: String) -> Bool {
        (1...128).contains(id.utf8.count) && id.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F }
    }
}
