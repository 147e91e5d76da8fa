import HTTPTypes
import Hummingbird
import Synchronization

/// Answers a method a route does not have with 405 and `Allow` naming the methods it has, for every route
/// of the router, plugins' included; a path no route has stays a 404.
///
/// Hummingbird answers both with 404. This middleware wraps the router's not-found answer: when the path is
/// one of a route's, the 404 becomes a 405 problem. It reads the route table from the router at the first
/// such request, when every route has been added (the server is running).
public struct MethodNotAllowedMiddleware<Context: RequestContext>: RouterMiddleware {
    let table: RouteTable

    /// Makes the middleware for the routes `router` will have.
    public init(router: Router<Context>) {
        let box = UncheckedRouter(router: router)
        table = RouteTable { box.routes() }
    }

    public func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            let allowed = table.methods(for: request.uri.path)
            guard !allowed.isEmpty, !allowed.contains(request.method) else { throw error }
            throw Problem.methodNotAllowed(allowed)
        }
    }
}

/// The router, read only once the server serves, when no route is added any more.
private struct UncheckedRouter<Context: RequestContext>: @unchecked Sendable {
    let router: Router<Context>

    func routes() -> [(path: RouterPath, method: HTTPRequest.Method)] {
        router.routes.map { ($0.path, $0.method) }
    }
}

/// The paths of the routes and their methods, loaded once.
final class RouteTable: Sendable {
    typealias Route = (path: RouterPath, method: HTTPRequest.Method)
    private enum State {
        case pending(@Sendable () -> [Route])
        case loaded([Route])
    }
    private let state: Mutex<State>

    init(_ load: @escaping @Sendable () -> [Route]) {
        state = Mutex(.pending(load))
    }

    /// The methods of the route `path` leads to, as the router's trie would choose it (a literal segment
    /// before a parameter), sorted; empty when no route has the path.
    func methods(for path: String) -> [HTTPRequest.Method] {
        let routes = state.withLock { state in
            switch state {
            case .loaded(let routes):
                return routes
            case .pending(let load):
                let routes = load()
                state = .loaded(routes)
                return routes
            }
        }
        let segments = path.split(separator: "/", omittingEmptySubsequences: true)
        var best: [Int] = []
        var methods: Set<HTTPRequest.Method> = []
        for route in routes {
            guard let rank = Self.rank(route.path, segments) else { continue }
            if rank.lexicographicallyPrecedes(best) { continue }
            if rank != best {
                best = rank
                methods = []
            }
            methods.insert(route.method)
        }
        return methods.sorted { $0.rawValue < $1.rawValue }
    }

    /// How closely `path` matches `segments`, segment by segment (2 for the same text, 1 for a parameter or
    /// wildcard), or `nil` when it does not match.
    static func rank(_ path: RouterPath, _ segments: [Substring]) -> [Int]? {
        var rank: [Int] = []
        for (index, element) in path.components.enumerated() {
            if element.description == "**" { return rank + [1] }
            guard index < segments.count, element ~= segments[index] else { return nil }
            rank.append(element == segments[index] ? 2 : 1)
        }
        return path.components.count == segments.count ? rank : nil
    }
}

extension Problem {
    /// 405: the route has other methods, named in `Allow`.
    public static func methodNotAllowed(_ allowed: [HTTPRequest.Method]) -> Problem {
        let names = allowed.map(\.rawValue).joined(separator: ", ")
        var headers = HTTPFields()
        headers[.allow] = names
        return Problem(
            type: "/problems/method-not-allowed",
            title: "Method not allowed",
            status: .methodNotAllowed,
            detail: "this path answers \(names)",
            headers: headers
        )
    }
}
