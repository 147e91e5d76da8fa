import Foundation
import Gateway
import Postgres

extension IdentityCache {
    /// Waits until the cache has heard every identity notification committed in `database` so far (new users and
    /// tokens notify when their transaction commits, and the listener hears it a little later): one sent after
    /// them is delivered after them. A test that counts a request's round trips settles first; otherwise a late
    /// notification can empty the cache between two requests, and the second looks its token up again.
    public func settle(_ database: TestDatabase, timeout: Duration = .seconds(30)) async throws {
        func generation() -> UInt64? {
            if case .unknown(let generation) = answer(for: "settle", at: Date()) { return generation }
            return nil
        }
        let before = generation()
        let admin = try await database.connectAsAdmin()
        try await admin.query("SELECT pg_notify(\(Self.channel), 'settle')")
        await admin.close()
        let deadline = ContinuousClock.now + timeout
        while generation() == before {
            guard ContinuousClock.now < deadline else {
                throw ChildProcessError(description: "the identity cache heard no notification within \(timeout)")
            }
            try await Task.sleep(for: .milliseconds(5))
        }
    }
}
