import Foundation
import Gateway
import Hummingbird
import HummingbirdTesting
import Messaging
import Postgres
import TestSupport
import Testing

@testable import Reporting

@Suite("The read model applied in batches")
struct BatchedReadModelTests {
    @Test("the read model and figures after a batch equal those after the same events one by one")
    func batchEqualsOneByOne() async throws {
        let fixture = try await ReportingFixture.make("reportbatch", batchSize: 1)
        let coordinator = try await TestTenant.create(in: fixture.database, slug: "herent", role: .coordinator)
        try await Application(router: fixture.router).test(.router) { client in
            var partnerships: [String] = []
            for (title, country) in [("Herent–Nimlaha'kok", "GT"), ("Leuven–Para", "BR")] {
                let created = try object(
                    try await client.send(
                        .post, "/api/v1/partnerships", as: coordinator,
                        json:
                            #"{"title": "\#(title)", "partner": {"name": "P", "country": "\#(country)"}, "status": "active"}"#
                    ))
                partnerships.append(try #require(created["id"] as? String))
            }
            var activities: [String] = []
            for (index, partnership) in (partnerships + partnerships + partnerships).enumerated() {
                let body =
                    #"{"title": "A\#(index)", "kind": "knowledge_exchange", "direction": "mutual", "startsOn": "2021-0\#(index + 1)-01", "sdgTargets": ["6.2", "\#(index % 2 == 0 ? "3.d" : "16.6")"], "budget": {"planned": "\#(100 + index)", "spent": "\#(index)", "currency": "EUR"}}"#
                let created = try object(
                    try await client.send(
                        .post, "/api/v1/partnerships/\(partnership)/activities", as: coordinator, json: body))
                activities.append(try #require(created["id"] as? String))
            }
            #expect(
                try await client.send(.delete, "/api/v1/activities/\(activities[0])", as: coordinator).status.code < 300
            )
        }
        // One by one.
        #expect(try await fixture.workers.drain() >= 9)
        let oneByOne = try await fixture.snapshot()
        #expect(oneByOne.contains { $0.hasPrefix("f ") })

        // The same events again, in batches, into an empty read model.
        #expect(try await replayInBatches(fixture) == oneByOne)
    }

    @Test("a batch that names one activity several times, with every optional field, equals the events one by one")
    func repeatedActivitiesInABatch() async throws {
        let fixture = try await ReportingFixture.make("reportrepeat", batchSize: 1)
        let coordinator = try await TestTenant.create(in: fixture.database, slug: "herent", role: .coordinator)
        try await Application(router: fixture.router).test(.router) { client in
            let partnership = try #require(
                try object(
                    try await client.send(
                        .post, "/api/v1/partnerships", as: coordinator,
                        json:
                            #"{"title": "Herent–Dogbo", "partner": {"name": "P", "country": "BJ"}, "status": "active"}"#
                    ))["id"] as? String)
            var activities: [String] = []
            for index in 0..<2 {
                let body = #"""
                    {"title": "A\#(index)", "kind": "knowledge_exchange", "direction": "mutual",
                     "startsOn": "2020-04-01", "endsOn": "2020-06-30", "participants": 4\#(index), "fundingSource": "own",
                     "sdgTargets": ["6.2"], "themes": ["water"], "budget": {"planned": "50\#(index).25", "currency": "EUR"}}
                    """#
                let created = try object(
                    try await client.send(
                        .post, "/api/v1/partnerships/\(partnership)/activities", as: coordinator, json: body))
                activities.append(try #require(created["id"] as? String))
            }
            // Consecutive updates: the first activity twice, then the second, then budgets and a status.
            for (activity, change) in [
                (activities[0], #"{"title": "A0 again"}"#),
                (activities[0], #"{"title": "A0 once more", "endsOn": null}"#),
                (activities[1], #"{"title": "A1 again", "participants": null}"#),
                (activities[0], #"{"budget": {"planned": "7", "spent": "3", "currency": "EUR"}}"#),
                (activities[1], #"{"budget": null}"#),
                (activities[0], #"{"budget": {"planned": "8", "currency": "EUR"}}"#),
                (activities[1], #"{"status": "completed"}"#),
            ] {
                #expect(
                    try await client.send(.patch, "/api/v1/activities/\(activity)", as: coordinator, json: change)
                        .status
                        == .ok)
            }
        }
        // One at a time, in publication order, as a batch applies them: a change of status or budget publishes
        // two events of one version, and the first of them applied sets `updated_at`.
        let inOrder = EventCursorWorkers(
            configuration: .init(batchSize: 1, concurrency: 1), subscriptions: fixture.bus.subscriptions,
            pool: fixture.pool, clock: fixture.queue.clock, retryPolicy: RetryPolicy(random: { 0 }), listenOn: nil,
            logger: TestLogger.make("in-order"))
        #expect(await inOrder.drain() >= 10)
        let oneByOne = try await fixture.snapshot()
        #expect(oneByOne.contains { $0.contains("A0 once more") })
        let batched = try await replayInBatches(fixture)
        #expect(batched == oneByOne)
    }

    /// Empties the read model and delivers its events again, in batches; returns the snapshot after.
    private func replayInBatches(_ fixture: ReportingFixture) async throws -> [String] {
        let admin = try await fixture.database.connectAsAdmin()
        try await admin.query(
            """
            TRUNCATE reporting.activities, reporting.members, reporting.partnerships, reporting.figures,
                reporting.figure_partnerships, reporting.figure_reach, reporting.activity_spending
            """)
        // Back to the start of the log, for the read model's cursors only.
        try await admin.query(
            """
            UPDATE messaging.event_cursors SET (xid, position) = (SELECT xid, position FROM messaging.cursor_origin)
            WHERE subscriber = \(ReadModel.subscriber)
            """)
        await admin.close()
        #expect(try await fixture.snapshot().isEmpty)
        let batched = EventCursorWorkers(
            subscriptions: fixture.bus.subscriptions, pool: fixture.pool, clock: fixture.queue.clock,
            retryPolicy: RetryPolicy(random: { 0 }), listenOn: nil, logger: TestLogger.make("batched"))
        #expect(await batched.drain() > 0)
        return try await fixture.snapshot()
    }
}
