import Foundation
import Gateway
import Hummingbird
import HummingbirdTesting
import Messaging
import Postgres
import ResultsContracts
import TestSupport
import Testing
import Vocabulary

@testable import Reporting

/// What the results suites set up: a partnership with an activity, results and indicators through the API, and
/// periods through the bus, as the Results plugin publishes them.
enum ResultsScene {
    /// A partnership with one activity; answers their ids.
    static func scene(_ fixture: ReportingFixture, as coordinator: TestTenant) async throws -> (UUID, UUID) {
        try await Application(router: fixture.router).test(.router) { client in
            let partnership = try object(
                try await client.send(
                    .post, "/api/v1/partnerships", as: coordinator,
                    json: #"{"title": "Roeselare–Dogbo", "partner": {"name": "Dogbo", "country": "BJ"}}"#))
            let id = try #require((partnership["id"] as? String).flatMap(UUID.init(uuidString:)))
            let activity = try object(
                try await client.send(
                    .post, "/api/v1/partnerships/\(id)/activities", as: coordinator,
                    json:
                        #"{"title": "Mobile registration teams", "kind": "knowledge_exchange", "direction": "mutual"}"#
                ))
            return (id, try #require((activity["id"] as? String).flatMap(UUID.init(uuidString:))))
        }
    }

    /// Defines a result with one percentage indicator (baseline 2019: 61) and a result that is then deleted.
    static func define(
        _ fixture: ReportingFixture, as coordinator: TestTenant, activity: UUID
    ) async throws -> (result: UUID, indicator: UUID, deleted: UUID) {
        try await Application(router: fixture.router).test(.router) { client in
            let result = try object(
                try await client.send(
                    .post, "/api/v1/activities/\(activity)/results", as: coordinator,
                    json: #"{"title": "Every birth registered", "type": "outcome"}"#))
            let resultID = try #require((result["id"] as? String).flatMap(UUID.init(uuidString:)))
            let indicator = try object(
                try await client.send(
                    .post, "/api/v1/results/\(resultID)/indicators", as: coordinator,
                    json: #"""
                        {"title": "Birth registrations within 90 days (%)", "measure": "percentage",
                         "sdgTarget": "16.9", "baseline": {"year": 2019, "value": "61", "comment": "Civil registry"}}
                        """#))
            let indicatorID = try #require((indicator["id"] as? String).flatMap(UUID.init(uuidString:)))
            #expect(
                try await client.send(
                    .patch, "/api/v1/results/\(resultID)", as: coordinator,
                    json: #"{"title": "Every birth registered in time"}"#
                ).status == .ok)
            let dropped = try object(
                try await client.send(
                    .post, "/api/v1/activities/\(activity)/results", as: coordinator,
                    json: #"{"title": "A dropped idea", "type": "output"}"#))
            let droppedID = try #require((dropped["id"] as? String).flatMap(UUID.init(uuidString:)))
            #expect(
                try await client.send(.delete, "/api/v1/results/\(droppedID)", as: coordinator).status == .noContent)
            return (resultID, indicatorID, droppedID)
        }
    }

    /// A period's state at `version`, as the Results plugin publishes it.
    static func period(
        _ id: PeriodID, indicator: UUID, result: UUID, partnership: UUID, activity: UUID, status: PeriodStatus,
        actual: String?, version: Int
    ) -> PeriodState {
        PeriodState(
            id: id, indicatorId: IndicatorID(rawValue: indicator), resultId: ResultID(rawValue: result),
            partnershipId: partnership, activityId: activity, start: CalendarDate("2020-01-01")!,
            end: CalendarDate("2020-12-31")!, target: PeriodValue(value: IndicatorValue("70"), comment: ""),
            actual: actual.map { PeriodValue(value: IndicatorValue($0), comment: "Mobile teams") }, status: status,
            reportedBy: actual == nil ? nil : UUID(), reportedAt: actual == nil ? nil : Date(),
            reviewedBy: status == .approved ? UUID() : nil, reviewedAt: status == .approved ? Date() : nil,
            reviewComment: "", version: version)
    }

}

@Suite("The read model's results, indicators and periods")
struct ResultsReadModelTests {
    @Test(
        "results and indicators follow their routes, periods their events (a late one changes nothing), and a rebuild equals live"
    )
    func followsTheEventsAndRebuilds() async throws {
        let fixture = try await ReportingFixture.make("reportresults")
        let coordinator = try await TestTenant.create(in: fixture.database, slug: "roeselare", role: .coordinator)
        let other = try await TestTenant.create(in: fixture.database, slug: "oostende", role: .coordinator)
        let (partnership, activity) = try await ResultsScene.scene(fixture, as: coordinator)
        let defined = try await ResultsScene.define(fixture, as: coordinator, activity: activity)

        // The partner reports 74 for 2020 and the coordinator approves it; the report arrives again afterwards.
        let id = PeriodID(rawValue: UUID())
        let summary = IndicatorSummary(
            id: IndicatorID(rawValue: defined.indicator), title: "Birth registrations within 90 days (%)",
            measure: .percentage, baseline: nil)
        func state(_ status: PeriodStatus, _ actual: String?, _ version: Int) -> PeriodState {
            ResultsScene.period(
                id, indicator: defined.indicator, result: defined.result, partnership: partnership,
                activity: activity, status: status, actual: actual, version: version)
        }
        let reported = ValueReported(
            period: state(.submitted, "74", 2), indicator: summary, reporterSide: .partner,
            partnerName: "Dogbo")
        try await fixture.pool.withTransaction(tenantID: coordinator.tenantID) { connection in
            try await fixture.bus.publish(
                PeriodDefined(period: state(.draft, nil, 1), indicator: summary), tenantID: coordinator.tenantID,
                in: connection)
            try await fixture.bus.publish(reported, tenantID: coordinator.tenantID, in: connection)
            try await fixture.bus.publish(
                ValueApproved(period: state(.approved, "74", 3), indicator: summary), tenantID: coordinator.tenantID,
                in: connection)
            try await fixture.bus.publish(reported, tenantID: coordinator.tenantID, in: connection)
        }
        try await fixture.workers.drain()

        let live = try await fixture.snapshot()
        let results = live.filter { $0.hasPrefix("R ") }
        #expect(results.count == 2)
        #expect(
            results.contains {
                $0.contains(defined.result.uuidString.lowercased()) && $0.contains("Every birth registered in time")
                    && $0.contains(",outcome,") && $0.hasSuffix(",2,f)")
            })
        // The deleted result stays as a tombstone, so a late event cannot bring it back.
        #expect(results.contains { $0.contains(defined.deleted.uuidString.lowercased()) && $0.hasSuffix(",t)") })
        let indicator = try #require(live.first { $0.hasPrefix("I ") })
        #expect(indicator.contains(",percentage,t,16.9,2019,61,\"Civil registry\",1,f)"))
        // The approved value stands: the report that came again after it was older.
        let kept = try #require(live.first { $0.hasPrefix("P ") })
        #expect(kept.contains(",2020-01-01,2020-12-31,70,\"\",74,\"Mobile teams\",approved,3,f)"))

        // Another municipality's transaction sees none of it.
        let seen = try await fixture.pool.withTransaction(tenantID: other.tenantID) { connection in
            try await connection.query(
                """
                SELECT (SELECT count(*) FROM reporting.results) + (SELECT count(*) FROM reporting.indicators)
                    + (SELECT count(*) FROM reporting.indicator_periods)
                """
            ).first?.decode(Int.self)
        }
        #expect(seen == 0)

        // A rebuild starts afresh: a row gone wrong or missing is put right from the events.
        let admin = try await fixture.database.connectAsAdmin()
        try await admin.query("UPDATE reporting.indicator_periods SET status = 'returned'")
        try await admin.query("DELETE FROM reporting.indicators")
        await admin.close()
        #expect(try await fixture.snapshot() != live)
        let replayed = try await ReportingPlugin.rebuild(tenants: [coordinator.tenantID], pool: fixture.pool)
        #expect(replayed[coordinator.tenantID] ?? 0 >= 10)
        #expect(try await fixture.snapshot() == live)
    }
}
