import Foundation
import Gateway
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Postgres
import TestSupport
import Testing

@Suite("A pooled connection carries no tenant from one request to the next")
struct PooledConnectionTenantTests {
    static let database = SuiteDatabase("pooledtenant")

    @Test("after tenant A's request, the same app-role connection sees no rows, and B's request sees only B's")
    func noTenantLeftBehind() async throws {
        let database = try await Self.database.get()
        let first = try await TestTenant.create(in: database, slug: "sint-niklaas")
        let second = try await TestTenant.create(in: database, slug: "roeselare")
        // One connection: every request and the check below borrow the same backend.
        let pool = PostgresConnectionPool(
            configuration: .init(connection: database.appConfiguration, maximumConnections: 1),
            logger: TestLogger.make("pooledtenant")
        )
        let environment = GatewayEnvironment(
            pool: pool, readiness: NeverChecked(), logger: TestLogger.make("pooledtenant"))
        try await Application(router: buildRouter(environment: environment)).test(.router) { client in
            let mine = try await client.execute(
                uri: "/api/v1/users", method: .get, headers: [.authorization: first.authorization])
            #expect(mine.status == .ok)
            #expect(String(buffer: mine.body).contains(first.userID.uuidString.lowercased()))

            let leftover = try await pool.withConnection { connection in
                try await connection.query(
                    """
                    SELECT current_user::text, coalesce(current_setting('app.tenant_id', true), ''),
                        (SELECT count(*) FROM platform.users)
                    """
                )[0].decode((String, String, Int).self)
            }
            #expect(leftover.0 == "stedenband_app")
            #expect(leftover.1 == "")
            #expect(leftover.2 == 0)

            let theirs = try await client.execute(
                uri: "/api/v1/users", method: .get, headers: [.authorization: second.authorization])
            let text = String(buffer: theirs.body)
            #expect(
                text.contains(second.userID.uuidString.lowercased())
                    && !text.contains(first.userID.uuidString.lowercased()))
        }
        await pool.close()
    }
}
