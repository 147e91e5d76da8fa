import Foundation
import Synchronization
import Vocabulary

/// What a page handler knows about the browser: who is signed in (if anyone), the language to answer in, the
/// CSRF token every form carries, and work to do once the request's transaction committed.
public struct PageSession: Sendable {
    /// The signed-in person, when there is one.
    public struct Person: Sendable {
        /// The session's id (not its secret).
        public var sessionID: UUID
        /// The person's name.
        public var name: String
        /// Their municipality's name.
        public var municipality: String
        /// Their own language, as their settings hold it.
        public var locale: Language
    }

    /// The signed-in person; `nil` on a page a signed-out visitor sees.
    public var person: Person?
    /// The language the page is written in.
    public var language: Language
    /// The value of the hidden `csrf` field of every form on the page.
    public var csrfToken: String
    /// The requested path and query, for the locale switch's way back and the sign-in's `next`.
    public var path: String
    /// Runs after the request's transaction committed (a mail with a link that must exist first).
    public let afterCommit: AfterCommit
}

/// Work a handler leaves for after its request's transaction committed; dropped when it rolls back.
public final class AfterCommit: Sendable {
    private let work = Mutex<[@Sendable () async -> Void]>([])

    /// Nothing to do yet.
    public init() {}

    /// Adds `job`, to run once the transaction committed.
    public func add(_ job: @escaping @Sendable () async -> Void) {
        work.withLock { $0.append(job) }
    }

    /// Takes the jobs, leaving none.
    func take() -> [@Sendable () async -> Void] {
        work.withLock { jobs in
            defer { jobs = [] }
            return jobs
        }
    }
}
