import Foundation
import Hummingbird
import Synchronization

/// What inner middleware learn about a request for the outer ones to log: one box per request, shared by
/// every copy of its context (contexts are values, so a field set further in is not seen further out).
public final class RequestNotes: Sendable {
    private let tenant = Mutex<UUID?>(nil)

    /// Makes empty notes.
    public init() {}

    /// The caller's municipality, once authentication found it.
    public var tenantID: UUID? {
        get { tenant.withLock { $0 } }
        set { tenant.withLock { $0 = newValue } }
    }
}

/// A request context that carries ``RequestNotes``, as the access log needs.
public protocol NotedRequestContext: RequestContext {
    /// This request's notes.
    var notes: RequestNotes { get }
}
