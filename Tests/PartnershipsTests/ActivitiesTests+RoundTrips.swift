import Activities
import Foundation
import Gateway
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Kernel
import Messaging
import Partnerships
import Postgres
import Reporting
import TestSupport
import Testing

/// Issue 15 item 4: `POST /api/v1/partnerships/{id}/activities` in two round trips on a cached identity, with
/// every refusal answered as before and nothing written.
@Suite("Activities: a write in two round trips", .serialized)
struct ActivitiesRoundTripTests {
    static let database = SuiteDatabase("activitiesroundtrips")

    /// One server: a pool of one connection (so a test can count the request's round trips), the identity
    /// cache with its listener, and the plugins whose subscribers an activity's event reaches (Partnerships'
    /// count in the transaction, Reporting's queued read model).
    struct Server {
        let pool: PostgresConnectionPool
        let router: Router<GatewayRequestContext>
        let listening: Task<Void, Never>
        let cache: IdentityCache

        static func start(_ database: TestDatabase) async throws -> Server {
            let pool = PostgresConnectionPool(
                configuration: .init(connection: database.appConfiguration, maximumConnections: 1),
                logger: TestLogger.make("roundtrips"))
            // The entries outlive the test: the round trips counted must not depend on how long a loaded machine
            // takes between two requests (the default 10 s ran out between them once). Expiry has its own test.
            let cache = IdentityCache(ttl: 3_600)
            let listener = PostgresListener(
                configuration: database.appConfiguration, channels: [], reconnectDelay: .milliseconds(100),
                maximumReconnectDelay: .milliseconds(100), logger: TestLogger.make("roundtrips"))
            let listening = Task { await cache.listen(listener) }
            let deadline = ContinuousClock.now + .seconds(60)
            while !cache.isActive {
                guard ContinuousClock.now < deadline else { throw ListenerNotReady() }
                try await Task.sleep(for: .milliseconds(5))
            }
            let environment = GatewayEnvironment(
                pool: pool, readiness: Ready(), logger: TestLogger.make("roundtrips"),
                rateLimiter: RateLimiter(rate: 100_000, burst: 100_000), identityCache: cache)
            let router = buildRouter(environment: environment)
            _ = try Kernel.assemble(
                plugins: [PartnershipsPlugin(), ActivitiesPlugin(), ReportingPlugin()],
                configuration: KernelConfiguration(), router: router, environment: environment,
                queue: PostgresJobQueue(), logger: TestLogger.make("roundtrips"))
            return Server(pool: pool, router: router, listening: listening, cache: cache)
        }

        static func roundTrips(_ pool: PostgresConnectionPool) async throws -> Int {
            try await pool.withConnection { $0.roundTrips }
        }

        func stop() async {
            listening.cancel()
            await listening.value
            await pool.close()
        }
    }

    struct ListenerNotReady: Error {}

    /// What the database holds of the write: activities, their recorded events, jobs naming those (none: queued
    /// subscribers read the event log), and the partnership's count.
    struct Written: Equatable {
        var activities: Int
        var events: Int
        var jobs: Int
        var count: Int
    }

    static func written(_ database: TestDatabase, partnership: UUID) async throws -> Written {
        let admin = try await database.connectAsAdmin()
        let row = try await admin.query(
            """
            SELECT (SELECT count(*) FROM activities.activities WHERE partnership_id = \(partnership)),
                (SELECT count(*) FROM messaging.events WHERE name = 'activities.activity_recorded.v1'
                    AND (payload -> 'activity' ->> 'partnershipId')::uuid = \(partnership)),
                (SELECT count(*) FROM messaging.jobs j JOIN messaging.events e ON e.id = (j.args ->> 'eventID')::uuid
                    WHERE (e.payload -> 'activity' ->> 'partnershipId')::uuid = \(partnership)),
                (SELECT activity_count FROM partnerships.partnerships WHERE id = \(partnership))
            """)[0]
        await admin.close()
        let (activities, events, jobs, count) = try row.decode((Int, Int, Int, Int).self)
        return Written(activities: activities, events: events, jobs: jobs, count: count)
    }

    static let body = #"""
        {"title": "Handwashing stations at the market", "kind": "emergency_support", "status": "completed",
         "startsOn": "2020-04-01", "endsOn": "2020-06-30", "direction": "north_to_south",
         "sdgTargets": ["6.2", "3.d"], "themes": ["covid-19", "hygiene"],
         "budget": {"planned": "12500", "spent": "11800.5", "currency": "EUR"}, "participants": 1200}
        """#

    @Test("a POST of an activity costs two round trips and writes the activity, its event and the count, no job")
    func postInTwoRoundTrips() async throws {
        let database = try await Self.database.get()
        let coordinator = try await TestTenant.create(in: database, slug: "roeselare", role: .coordinator)
        let server = try await Server.start(database)
        try await server.cache.settle(database)
        let pool = server.pool
        try await Application(router: server.router).test(.router) { client in
            let partnership = try decode(
                Partnership.self,
                try await client.send(
                    .post, "/api/v1/partnerships", as: coordinator,
                    json: #"{"title": "Roeselare–Dogbo", "partner": {"name": "Dogbo", "country": "BJ"}}"#))
            let before = try await Server.roundTrips(pool)
            let response = try await client.send(
                .post, "/api/v1/partnerships/\(partnership.id)/activities", as: coordinator, json: Self.body)
            // BEGIN, the settings and the insert; the event, the count, COMMIT and NOTIFY.
            #expect(try await Server.roundTrips(pool) - before == 2)
            #expect(response.status == .created)
            let recorded = try decode(Activity.self, response)
            #expect(recorded.budget == Activity.Money(planned: "12500.00", spent: "11800.50", currency: "EUR"))
            #expect(response.headers[.location] == "/api/v1/activities/\(recorded.id.uuidString.lowercased())")
            // The answer is the activity as stored: the same bytes a later read gives.
            let read = try await client.send(.get, "/api/v1/activities/\(recorded.id)", as: coordinator)
            #expect(String(buffer: read.body) == String(buffer: response.body))

            let written = try await Self.written(database, partnership: partnership.id)
            #expect(written.activities == 1)
            #expect(written.events == 1)
            #expect(written.jobs == 0)
            #expect(written.count == 1)
            // The event is the stored row's: its budget as numeric(14, 2) wrote it.
            let admin = try await database.connectAsAdmin()
            let planned = try await admin.query(
                """
                SELECT payload -> 'activity' -> 'budget' ->> 'planned' FROM messaging.events
                WHERE aggregate_id = \(recorded.id)
                """)[0].decode(String.self, column: 0)
            await admin.close()
            #expect(planned == "12500.00")
        }
        await server.stop()
    }

    @Test("a POST the partnership or the caller refuses answers as before and writes nothing")
    func refusalsWriteNothing() async throws {
        let database = try await Self.database.get()
        let coordinator = try await TestTenant.create(in: database, slug: "dogbo", role: .coordinator)
        let viewer = try await TestTenant.create(in: database, slug: "dogbo", role: .viewer)
        let stranger = try await TestTenant.create(in: database, slug: "leuven", role: .admin)
        let server = try await Server.start(database)
        try await Application(router: server.router).test(.router) { client in
            let partnership = try decode(
                Partnership.self,
                try await client.send(
                    .post, "/api/v1/partnerships", as: coordinator,
                    json: #"{"title": "Dogbo–Roeselare", "partner": {"name": "Roeselare", "country": "BE"}}"#))
            let uri = "/api/v1/partnerships/\(partnership.id)/activities"
            let missing = "/api/v1/partnerships/\(UUID())/activities"
            let cases: [(String, TestTenant, String, HTTPResponse.Status, String)] = [
                ("another municipality's partnership", stranger, Self.body, .notFound, "no such partnership"),
                ("a partnership that does not exist", coordinator, Self.body, .notFound, "no such partnership"),
                (
                    "a bad body for a partnership that does not exist", coordinator, #"{"title": ""}"#, .notFound,
                    "no such partnership"
                ),
                (
                    "a viewer, for a partnership that does not exist", viewer, Self.body, .notFound,
                    "no such partnership"
                ),
                (
                    "another municipality's, with a bad body", stranger, #"{"kind": "party"}"#, .notFound,
                    "no such partnership"
                ),
            ]
            for (what, caller, body, status, detail) in cases {
                let target = what.contains("another municipality") ? uri : missing
                let response = try await client.send(.post, target, as: caller, json: body)
                #expect(response.status == status, "\(what)")
                #expect(response.headers[.contentType] == "application/problem+json", "\(what)")
                #expect(String(buffer: response.body).contains(detail), "\(what)")
            }
            let refused = try await client.send(.post, uri, as: viewer, json: Self.body)
            #expect(refused.status == .forbidden)
            #expect(refused.headers[.contentType] == "application/problem+json")
            let invalid = try await client.send(
                .post, uri, as: coordinator,
                json: #"{"title": "", "kind": "party", "startsOn": "2020-04-01", "direction": "mutual"}"#)
            #expect(invalid.status == .unprocessableContent)
            #expect(invalid.headers[.contentType] == "application/problem+json")
            #expect(String(buffer: invalid.body).contains(#""field":"kind""#))
        }
        #expect(
            try await Self.written(database, partnership: try await Self.onlyPartnership(database, tenant: coordinator))
                == Written(activities: 0, events: 0, jobs: 0, count: 0))
        await server.stop()
    }

    /// The notifications on the queue's channel, read in turn.
    actor WakeUps {
        var iterator: AsyncStream<PostgresListener.Event>.Iterator

        init(_ events: AsyncStream<PostgresListener.Event>) { iterator = events.makeAsyncIterator() }

        func next() async -> PostgresListener.Event? {
            // An actor cannot call a mutating async method on its property: through a copy (the same stream).
            var copy = iterator
            defer { iterator = copy }
            return await copy.next(isolation: self)
        }

        /// The wake-ups before a marker sent now: notifications arrive in commit order, so every wake-up of
        /// the writes before comes before it.
        func beforeMarker(_ pool: PostgresConnectionPool) async throws -> Int {
            try await pool.query("SELECT pg_notify('messaging_jobs', 'marker')")
            var count = 0
            while case .notification(let notification)? = await next() {
                if notification.payload == "marker" { break }
                count += 1
            }
            return count
        }
    }

    static func onlyPartnership(_ database: TestDatabase, tenant: TestTenant) async throws -> UUID {
        let admin = try await database.connectAsAdmin()
        let rows = try await admin.query(
            "SELECT id FROM partnerships.partnerships WHERE tenant_id = \(tenant.tenantID)")
        await admin.close()
        #expect(rows.count == 1)
        return try rows[0].decode(UUID.self, column: 0)
    }

    @Test("an update that publishes three events wakes the workers once, with its COMMIT")
    func oneWakeUpPerCommit() async throws {
        let database = try await Self.database.get()
        let coordinator = try await TestTenant.create(in: database, slug: "herent", role: .coordinator)
        let server = try await Server.start(database)
        try await server.cache.settle(database)
        let pool = server.pool
        let listener = PostgresListener(
            configuration: database.appConfiguration, channels: [PostgresJobQueue.channel],
            logger: TestLogger.make("roundtrips"))
        let notifications = WakeUps(listener.events())
        #expect(await notifications.next() == .listening)
        try await Application(router: server.router).test(.router) { client in
            let partnership = try decode(
                Partnership.self,
                try await client.send(
                    .post, "/api/v1/partnerships", as: coordinator,
                    json: #"{"title": "Herent–Nimlaha'kok", "partner": {"name": "Nimlaha'kok", "country": "GT"}}"#))
            func wakeUps() async throws -> Int { try await notifications.beforeMarker(pool) }
            _ = try await wakeUps()  // the partnership's
            let activity = try decode(
                Activity.self,
                try await client.send(
                    .post, "/api/v1/partnerships/\(partnership.id)/activities", as: coordinator, json: Self.body))
            #expect(try await wakeUps() == 1)

            let before = try await Server.roundTrips(pool)
            let changed = try await client.send(
                .patch, "/api/v1/activities/\(activity.id)", as: coordinator,
                json: #"{"status": "cancelled", "budget": {"planned": "100.00", "currency": "EUR"}}"#)
            #expect(changed.status == .ok)
            // The lock and read, the UPDATE, the read back; the three events with the COMMIT and its NOTIFY.
            #expect(try await Server.roundTrips(pool) - before == 4)
            #expect(try await wakeUps() == 1)

            let admin = try await database.connectAsAdmin()
            let names = try await admin.query(
                "SELECT name FROM messaging.events WHERE aggregate_id = \(activity.id) ORDER BY position"
            ).map { try $0.decode(String.self, column: 0) }
            await admin.close()
            #expect(
                names == [
                    "activities.activity_recorded.v1", "activities.activity_updated.v1",
                    "activities.activity_status_changed.v1", "activities.activity_budget_changed.v1",
                ])
        }
        await server.stop()
    }
}
