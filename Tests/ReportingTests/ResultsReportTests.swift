import Foundation
import Gateway
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Messaging
import NIOCore
import Postgres
import ResultsContracts
import TestSupport
import Testing
import Vocabulary

@testable import Reporting

@Suite("The results report")
struct ResultsReportTests {
    /// The scene's percentage indicator (baseline 61, SDG 16.9) with three periods: 2020 approved at 74 (target
    /// 70), 2021 reported at 80 and not yet approved (target 90), 2022 a draft (target 95); a unit indicator
    /// (baseline 100) whose 2020 value of 80 is approved although it went away from its target of 150; a
    /// returned value; and a qualitative indicator with an approved comment.
    private func setUp(_ label: String) async throws -> (
        fixture: ReportingFixture, coordinator: TestTenant, partnership: UUID, indicator: UUID, fell: UUID
    ) {
        let fixture = try await ReportingFixture.make(label)
        let coordinator = try await TestTenant.create(in: fixture.database, slug: "roeselare", role: .coordinator)
        let (partnership, activity) = try await ResultsScene.scene(fixture, as: coordinator)
        let defined = try await ResultsScene.define(fixture, as: coordinator, activity: activity)
        let (fell, returned, qualitative) = try await Application(router: fixture.router).test(.router) { client in
            func indicator(_ body: String) async throws -> UUID {
                let answer = try object(
                    try await client.send(
                        .post, "/api/v1/results/\(defined.result)/indicators", as: coordinator, json: body))
                return try #require((answer["id"] as? String).flatMap(UUID.init(uuidString:)))
            }
            return (
                try await indicator(
                    #"{"title": "Health staff trained", "measure": "unit", "baseline": {"year": 2019, "value": "100"}}"#
                ),
                try await indicator(#"{"title": "Waste collected (t)", "measure": "unit"}"#),
                try await indicator(#"{"title": "How the registry feels", "measure": "qualitative"}"#)
            )
        }
        func publish(
            _ indicator: UUID, _ year: Int, target: String?, actual: String?, status: PeriodStatus,
            comment: String = "Mobile teams"
        ) async throws {
            var state = ResultsScene.period(
                PeriodID(rawValue: UUID()), indicator: indicator, result: defined.result, partnership: partnership,
                activity: activity, status: status, actual: actual, version: 1)
            state.start = CalendarDate(year: year, month: 1, day: 1)!
            state.end = CalendarDate(year: year, month: 12, day: 31)!
            state.target = target.map { PeriodValue(value: IndicatorValue($0), comment: "") }
            if status != .draft {
                state.actual = PeriodValue(value: actual.flatMap(IndicatorValue.init), comment: comment)
            }
            let summary = IndicatorSummary(
                id: IndicatorID(rawValue: indicator), title: "", measure: .unit, baseline: nil)
            try await fixture.pool.withTransaction(tenantID: coordinator.tenantID) { connection in
                try await fixture.bus.publish(
                    PeriodDefined(period: state, indicator: summary), tenantID: coordinator.tenantID, in: connection)
            }
        }
        try await publish(defined.indicator, 2020, target: "70", actual: "74", status: .approved)
        try await publish(defined.indicator, 2021, target: "90", actual: "80", status: .submitted)
        try await publish(defined.indicator, 2022, target: "95", actual: nil, status: .draft)
        try await publish(fell, 2020, target: "150", actual: "80", status: .approved)
        try await publish(returned, 2020, target: "10", actual: "12", status: .returned)
        try await publish(qualitative, 2020, target: nil, actual: nil, status: .approved, comment: "Queues are shorter")
        try await fixture.workers.drain()
        return (fixture, coordinator, partnership, defined.indicator, fell)
    }

    private func report(_ fixture: ReportingFixture, as user: TestTenant, _ query: String = "") async throws
        -> [String: Any]
    {
        try await Application(router: fixture.router).test(.router) { client in
            let answer = try await client.send(.get, "/api/v1/reports/results" + query, as: user)
            #expect(answer.status == .ok)
            return try object(answer)
        }
    }

    @Test("only approved values count, progress runs from the baseline, and the SDG targets list their indicators")
    func approvedOnlyWithProgress() async throws {
        let scene = try await setUp("resultsreport")
        let report = try await report(scene.fixture, as: scene.coordinator)
        let indicators = try #require(report["indicators"] as? [[String: Any]])
        #expect(indicators.count == 4)
        let registered = try #require(
            indicators.first { $0["id"] as? String == scene.indicator.uuidString.lowercased() })
        let periods = try #require(registered["periods"] as? [[String: Any]])
        #expect(periods.map { $0["start"] as? String } == ["2020-01-01", "2021-01-01", "2022-01-01"])
        // 2020: (74 − 61) / (70 − 61); the 2021 value waits for approval, so it is nowhere.
        #expect(periods[0]["actual"] as? String == "74" && periods[0]["progress"] as? String == "144.4")
        #expect(periods[1]["actual"] == nil && periods[1]["progress"] == nil && periods[1]["target"] as? String == "90")
        #expect((registered["latest"] as? [String: String]) == ["end": "2020-12-31", "actual": "74"])
        // The final target is 2022's; the progress towards it is (74 − 61) / (95 − 61).
        #expect(registered["finalTarget"] as? String == "95" && registered["progress"] as? String == "38.2")
        #expect(registered["sdgTarget"] as? String == "16.9")
        #expect((registered["result"] as? [String: Any])?["type"] as? String == "outcome")

        let fell = try #require(indicators.first { $0["id"] as? String == scene.fell.uuidString.lowercased() })
        #expect(fell["progress"] as? String == "-40.0")
        let returned = try #require(indicators.first { $0["title"] as? String == "Waste collected (t)" })
        #expect(returned["latest"] == nil && (returned["periods"] as? [[String: Any]])?.first?["actual"] == nil)
        let qualitative = try #require(indicators.first { $0["title"] as? String == "How the registry feels" })
        #expect(
            (qualitative["comments"] as? [[String: String]]) == [
                ["end": "2020-12-31", "comment": "Queues are shorter"]
            ])
        #expect(qualitative["progress"] == nil && registered["comments"] == nil)

        let targets = try #require(report["sdgTargets"] as? [[String: Any]])
        #expect(
            targets.count == 1 && targets.first?["code"] as? String == "16.9" && targets.first?["goal"] as? Int == 16)
        #expect(targets.first?["indicators"] as? [String] == [scene.indicator.uuidString.lowercased()])
        let totals = try #require(report["totals"] as? [String: Any])
        #expect(totals["indicators"] as? Int == 4)
        // The percentage, the unit indicator that fell and the qualitative one; the returned value does not count.
        #expect(totals["withApprovedActual"] as? Int == 3)
        #expect((totals["byType"] as? [String: Int]) == ["output": 0, "outcome": 4, "impact": 0, "other": 0])
    }

    @Test("the filters, another municipality and a partner coordinator of another partnership")
    func filtersAndScope() async throws {
        let scene = try await setUp("resultsreportscope")
        let fixture = scene.fixture
        func ids(_ report: [String: Any]) -> [String] {
            ((report["indicators"] as? [[String: Any]]) ?? []).compactMap { $0["id"] as? String }
        }
        // 2021: only the indicator with a period that year, and only that period.
        let year = try await report(fixture, as: scene.coordinator, "?year=2021")
        #expect(ids(year) == [scene.indicator.uuidString.lowercased()])
        let periods = (year["indicators"] as? [[String: Any]])?.first?["periods"] as? [[String: Any]]
        #expect(periods?.map { $0["start"] as? String } == ["2021-01-01"])
        #expect(ids(try await report(fixture, as: scene.coordinator, "?country=SN")).isEmpty)
        #expect(ids(try await report(fixture, as: scene.coordinator, "?country=BJ")).count == 4)
        #expect(ids(try await report(fixture, as: scene.coordinator, "?partnershipId=\(UUID())")).isEmpty)

        let other = try await TestTenant.create(in: fixture.database, slug: "oostende", role: .coordinator)
        #expect(ids(try await report(fixture, as: other)).isEmpty)
        let outsider = try await TestTenant.create(
            in: fixture.database, slug: "roeselare", role: .partnerCoordinator)
        #expect(ids(try await report(fixture, as: outsider)).isEmpty)

    }

    @Test("the printable page: in the reader's language, approved values only, a progress bar drawn in a browser")
    func printablePage() async throws {
        let scene = try await setUp("resultsreportpage")
        let coordinator = scene.coordinator
        let (response, html) = try await Application(router: scene.fixture.router).test(.router) { client in
            let response = try await client.send(
                .get, "/api/v1/reports/results?format=html&lang=fr", as: coordinator)
            return (response, String(buffer: response.body))
        }
        #expect(response.status == .ok && response.headers[.contentType] == "text/html; charset=utf-8")
        #expect(response.headers[.contentSecurityPolicy] == PageSecurityPolicy.pages.description)
        #expect(html.hasPrefix("<!DOCTYPE html>") && html.contains("<html lang=\"fr\">"))
        #expect(html.contains("Rapport des résultats") && html.contains("<h2>Roeselare–Dogbo</h2>"))
        #expect(html.contains("<h3>Birth registrations within 90 days (%)</h3>"))
        // Decimal commas in French; the 2021 value waits for approval, so its cells are empty.
        #expect(
            html.contains(
                #"<td>2020-01-01 – 2020-12-31</td><td class="n">70</td><td class="n">74</td><td class="n">144,4</td>"#))
        #expect(
            html.contains(
                #"<td>2021-01-01 – 2021-12-31</td><td class="n">90</td><td class="n"></td><td class="n"></td>"#))
        // 38.2 % of the bar's 600 units; a progress below zero draws an empty bar.
        #expect(html.contains(##"width="229" height="16" fill="#19486a""##))
        #expect(html.contains(##"width="0" height="16" fill="#19486a""##))
        #expect(html.contains("Queues are shorter") && html.contains("Indicateurs par cible ODD"))
        // Per SDG target, each indicator with its latest approved value: 2021's waits for approval.
        #expect(html.contains("Birth registrations within 90 days (%): 74\u{00A0}% (2020)<br>"))
        #expect(!html.contains("style=\"") && !html.contains("<script"))
        try await Browser.checkDrawn(html, colours: ["19486A": true, "E4E7EB": true])
    }

    @Test("platform administrators see how the framework is used, in counts and codes, never a title or a value")
    func platformCounts() async throws {
        let scene = try await setUp("resultsplatform")
        let fixture = scene.fixture
        let coordinator = scene.coordinator
        let admin = try await fixture.database.connectAsAdmin()
        let token = APIToken.generate()
        try await admin.withTransaction { connection in
            let id = try await connection.query(
                "INSERT INTO platform.platform_admins (email, name) VALUES ('ops@platform.example.org', 'Ops') RETURNING id"
            )[0].decode(UUID.self, column: 0)
            try await Tenancy.insertToken(token, platformAdminID: id, name: "test", on: connection)
        }
        await admin.close()
        _ = try await TestTenant.create(in: fixture.database, slug: "leuven", role: .coordinator)
        try await Application(router: fixture.router).test(.router) { client in
            let headers: HTTPFields = [.authorization: "Bearer \(token.value)"]
            func get(_ query: String) async throws -> TestResponse {
                try await client.execute(
                    uri: "/api/v1/platform/reports/results" + query, method: .get, headers: headers)
            }
            let response = try await get("")
            #expect(response.status == .ok)
            let text = String(buffer: response.body)
            // Values are strings in the municipal report (`"74"`); counts here are numbers.
            for secret in ["Birth registrations", "Every birth", "Roeselare–Dogbo", "Mobile teams", "Queues", "\"74\""]
            {
                #expect(!text.contains(secret), "\(secret) reached a platform administrator")
            }
            let report = try object(response)
            let totals = try #require(report["totals"] as? [String: Any])
            func count(_ value: Any?) -> [Int] {
                let count = value as? [String: Any]
                return [count?["indicators"] as? Int ?? -1, count?["withApprovedActual"] as? Int ?? -1]
            }
            // Four indicators; the percentage, the unit one that fell and the qualitative one have an approved value.
            #expect(count(totals["total"]) == [4, 3])
            #expect(count((totals["byType"] as? [String: Any])?["outcome"]) == [4, 3])
            #expect(count((totals["byType"] as? [String: Any])?["impact"]) == [0, 0])
            let measures = totals["byMeasure"] as? [String: Any]
            #expect(count(measures?["percentage"]) == [1, 1] && count(measures?["unit"]) == [2, 1])
            #expect(count(measures?["qualitative"]) == [1, 1])
            #expect(count((totals["bySDGTarget"] as? [String: Any])?["16.9"]) == [1, 1])
            let municipalities = try #require(report["municipalities"] as? [[String: Any]])
            let bySlug = Dictionary(
                uniqueKeysWithValues: municipalities.compactMap { entry -> (String, [String: Any])? in
                    guard let slug = (entry["municipality"] as? [String: Any])?["slug"] as? String,
                        let report = entry["report"] as? [String: Any]
                    else { return nil }
                    return (slug, report)
                })
            #expect(count(bySlug["roeselare"]?["total"]) == [4, 3] && count(bySlug["leuven"]?["total"]) == [0, 0])
            // 2021: the percentage alone has a period that year, and its value then is not approved.
            #expect(count((try object(try await get("?year=2021"))["totals"] as? [String: Any])?["total"]) == [1, 0])
            #expect(
                String(buffer: try await get("?format=csv").body).contains(
                    "municipality,dimension,key,indicators,withApprovedActual\r\nall,all,,4,3\r\n"))
            #expect(try await get("?format=html").status == .unprocessableContent)
            #expect(
                try await client.send(.get, "/api/v1/platform/reports/results", as: coordinator).status == .notFound)
        }
        // The function refuses a municipality's connection.
        await #expect(throws: PostgresError.self) {
            try await fixture.pool.withTransaction(tenantID: coordinator.tenantID) { connection in
                try await connection.query(
                    "SELECT * FROM reporting.platform_result_counts(NULL, NULL, NULL, NULL, NULL)")
            }
        }
    }

    @Test("through the routes: the partner reports, the report waits for the coordinator's approval")
    func throughTheRoutes() async throws {
        let fixture = try await ReportingFixture.make("resultsreportroutes")
        let coordinator = try await TestTenant.create(in: fixture.database, slug: "roeselare", role: .coordinator)
        let partner = try await TestTenant.create(in: fixture.database, slug: "roeselare", role: .partnerCoordinator)
        let (partnership, activity) = try await ResultsScene.scene(fixture, as: coordinator)
        let defined = try await ResultsScene.define(fixture, as: coordinator, activity: activity)
        let period = try await Application(router: fixture.router).test(.router) { client in
            #expect(
                try await client.send(
                    .post, "/api/v1/partnerships/\(partnership)/members", as: coordinator,
                    json: #"{"userId": "\#(partner.userID)", "role": "partner_coordinator"}"#
                ).status == .created)
            let period = try object(
                try await client.send(
                    .post, "/api/v1/indicators/\(defined.indicator)/periods", as: coordinator,
                    json: #"{"start": "2020-01-01", "end": "2020-12-31", "target": {"value": "70"}}"#))
            let id = try #require(period["id"] as? String)
            #expect(
                try await client.send(
                    .put, "/api/v1/periods/\(id)/actual", as: partner,
                    json: #"{"value": "74", "comment": "Mobile registration teams"}"#
                ).status == .ok)
            return id
        }
        try await fixture.workers.drain()
        func latest() async throws -> Any? {
            let report = try await report(fixture, as: coordinator)
            return (report["indicators"] as? [[String: Any]])?.first?["latest"]
        }
        let before = try await latest()
        #expect(before == nil)
        try await Application(router: fixture.router).test(.router) { client in
            let approved = try await client.send(.post, "/api/v1/periods/\(period)/approve", as: coordinator)
            #expect(approved.status == .ok)
        }
        try await fixture.workers.drain()
        let after = try await latest()
        #expect((after as? [String: String]) == ["end": "2020-12-31", "actual": "74"])
        // The rebuild replays the routes' events to the same model.
        let live = try await fixture.snapshot()
        _ = try await ReportingPlugin.rebuild(tenants: [coordinator.tenantID], pool: fixture.pool)
        #expect(try await fixture.snapshot() == live)
    }

    @Test("the CSV has a row per indicator and period, and a negative progress stays a number")
    func csvRows() async throws {
        let scene = try await setUp("resultsreportcsv")
        let coordinator = scene.coordinator
        try await Application(router: scene.fixture.router).test(.router) { client in
            let comma = try await client.send(.get, "/api/v1/reports/results?format=csv", as: coordinator)
            #expect(comma.status == .ok)
            let lines = String(buffer: comma.body).dropFirst().components(separatedBy: "\r\n").filter { !$0.isEmpty }
            #expect(
                lines.first
                    == "partnership,activity,result,type,indicator,measure,sdgTarget,baselineYear,baselineValue,periodStart,periodEnd,target,actual,progress"
            )
            // Three periods of the percentage, one each for the other three.
            #expect(lines.count == 1 + 6)
            #expect(
                lines.contains(
                    "Roeselare–Dogbo,Mobile registration teams,Every birth registered in time,outcome,Health staff trained,unit,,2019,100,2020-01-01,2020-12-31,150,80,-40.0"
                ))
            let semicolon = try await client.send(
                .get, "/api/v1/reports/results?format=csv&delimiter=semicolon", as: coordinator)
            #expect(String(buffer: semicolon.body).contains(";2020-01-01;2020-12-31;70;74;144,4\r\n"))
        }
    }
}
