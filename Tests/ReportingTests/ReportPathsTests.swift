import Foundation
import Gateway
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Messaging
import Postgres
import TestSupport
import Testing
import Vocabulary

@testable import Reporting

@Suite("A municipality's reports from the kept figures and from PostgreSQL's sums")
struct ReportPathsTests {
    /// Four partnerships of Roeselare (one of them the partner coordinator's, one later deleted), 36
    /// activities across goals, several targets per goal, goal-less activities, three currencies and none, every status,
    /// `covid-19` or not, dated or not; and Oostende's own partnership, which none of Roeselare's figures may
    /// count. Answers Roeselare's partnership ids and activity ids.
    private func scenario(
        _ fixture: ReportingFixture, coordinator: TestTenant, partner: TestTenant, neighbour: TestTenant
    ) async throws -> (partnerships: [String], activities: [String]) {
        try await Application(router: fixture.router).test(.router) { client in
            var partnerships: [String] = []
            var activities: [String] = []
            let targets = [
                #"["3.d", "6.2", "16.6"]"#, #"["6.2", "6.b"]"#, "[]", #"["1.1", "1.a", "1.2"]"#, #"["3.3", "3.b"]"#,
                #"["17.16"]"#,
            ]
            let budgets = [
                #", "budget": {"planned": "100", "spent": "10", "currency": "EUR"}"#,
                #", "budget": {"planned": "250", "currency": "XOF"}"#, "",
                #", "budget": {"planned": "0.07", "spent": "0.05", "currency": "USD"}"#,
                #", "budget": {"planned": "33.33", "spent": "33.33", "currency": "EUR"}"#,
            ]
            let statuses = ["planned", "ongoing", "completed", "cancelled"]
            let kinds = ["emergency_support", "knowledge_exchange", "study_visit", "other"]
            let directions = ["north_to_south", "south_to_north", "mutual"]
            for (number, country) in ["BJ", "SN", "BJ", "PE"].enumerated() {
                let partnership = try object(
                    try await client.send(
                        .post, "/api/v1/partnerships", as: coordinator,
                        json: #"{"title": "P\#(number)", "partner": {"name": "P", "country": "\#(country)"}}"#))
                let id = try #require(partnership["id"] as? String)
                partnerships.append(id)
                for index in 0..<9 {
                    let n = number * 9 + index
                    let dates =
                        n % 5 == 4
                        ? "" : #", "startsOn": "\#(2019 + n % 4)-03-01", "endsOn": "\#(2019 + n % 4 + n % 2)-06-30""#
                    let themes = n % 3 == 0 ? #"["covid-19", "water"]"# : #"["water"]"#
                    let body =
                        #"{"title": "A\#(n)", "kind": "\#(kinds[n % 4])", "direction": "\#(directions[n % 3])", "status": "\#(statuses[n % 4])", "themes": \#(themes), "sdgTargets": \#(targets[n % 6])\#(budgets[n % 5])\#(dates)}"#
                    let created = try await client.send(
                        .post, "/api/v1/partnerships/\(id)/activities", as: coordinator, json: body)
                    #expect(created.status == .created, "\(body)")
                    activities.append(try #require(try object(created)["id"] as? String))
                }
            }
            #expect(
                try await client.send(
                    .post, "/api/v1/partnerships/\(partnerships[0])/members", as: coordinator,
                    json: #"{"userId": "\#(partner.userID)", "role": "partner_coordinator"}"#
                ).status == .created)
            let theirs = try object(
                try await client.send(
                    .post, "/api/v1/partnerships", as: neighbour,
                    json: #"{"title": "Oostende–Lima", "partner": {"name": "Lima", "country": "PE"}}"#))
            let theirID = try #require(theirs["id"] as? String)
            #expect(
                try await client.send(
                    .post, "/api/v1/partnerships/\(theirID)/activities", as: neighbour,
                    json:
                        #"{"title": "Secret", "kind": "other", "direction": "mutual", "sdgTargets": ["3.d"], "budget": {"planned": "999", "currency": "EUR"}}"#
                ).status == .created)
            return (partnerships, activities)
        }
    }

    /// The filters the reports are asked with: none, each alone, and together.
    private static func filters(_ partnerships: [String]) -> [ReportFilter] {
        var filters: [ReportFilter] = [ReportFilter()]
        for id in partnerships + [UUID().uuidString] {
            var filter = ReportFilter()
            filter.partnershipID = UUID(uuidString: id)
            filters.append(filter)
        }
        for year in [2019, 2020, 2023] {
            var filter = ReportFilter()
            filter.year = year
            filters.append(filter)
        }
        for country in ["BJ", "PE"] {
            var filter = ReportFilter()
            filter.country = country
            filters.append(filter)
        }
        for status in ["cancelled", "ongoing"] {
            var filter = ReportFilter()
            filter.status = status
            filters.append(filter)
        }
        var theme = ReportFilter()
        theme.theme = "covid-19"
        var together = ReportFilter()
        together.partnershipID = UUID(uuidString: partnerships[0])
        together.year = 2020
        together.theme = "water"
        return filters + [theme, together]
    }

    private static func json(_ value: some Encodable) throws -> String {
        let encoder = LowercaseUUIDJSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    /// Every filter, for each caller: the report answered, and the report summed in Swift from the same rows,
    /// byte for byte; answers how many were compared.
    @discardableResult
    private static func compare(
        _ fixture: ReportingFixture, _ callers: [(TestTenant, Identity.Role)], _ partnerships: [String],
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> Int {
        let service = try ReportsService()
        var compared = 0
        for (caller, role) in callers {
            let access = TenantAccess(tenantID: caller.tenantID, userID: caller.userID, role: role)
            for filter in filters(partnerships) {
                try await fixture.pool.withTransaction(tenantID: caller.tenantID) { connection in
                    let sdg = try json(try await service.sdg(filter, access: access, on: connection))
                    let summed = try json(try await service.summedSDG(filter, access: access, on: connection))
                    #expect(sdg == summed, "sdg, \(role), \(filter)", sourceLocation: sourceLocation)
                    let overview = try json(try await service.overview(filter, access: access, on: connection))
                    let summedOverview = try json(
                        try await service.summedOverview(filter, access: access, on: connection))
                    #expect(
                        overview == summedOverview, "overview, \(role), \(filter)",
                        sourceLocation: sourceLocation)
                }
                compared += 1
            }
        }
        return compared
    }

    @Test("answer the same bytes as summing every activity, for every filter and scope, after changes and deletions")
    func sameBytesAsSummingActivities() async throws {
        let fixture = try await ReportingFixture.make("reportpaths")
        let coordinator = try await TestTenant.create(in: fixture.database, slug: "roeselare", role: .coordinator)
        let partner = try await TestTenant.create(in: fixture.database, slug: "roeselare", role: .partnerCoordinator)
        let neighbour = try await TestTenant.create(in: fixture.database, slug: "oostende", role: .coordinator)
        let administrator = try await TestTenant.create(in: fixture.database, slug: "roeselare", role: .admin)
        let (partnerships, activities) = try await scenario(
            fixture, coordinator: coordinator, partner: partner, neighbour: neighbour)
        try await fixture.workers.drain()
        let callers: [(TestTenant, Identity.Role)] = [
            (coordinator, .coordinator), (partner, .partnerCoordinator), (neighbour, .coordinator),
        ]
        #expect(try await Self.compare(fixture, callers, partnerships) == 3 * Self.filters(partnerships).count)

        // The figures hold what the report shows: 36 activities, 30 of them with goals.
        try await fixture.pool.withTransaction(tenantID: coordinator.tenantID) { connection in
            let access = TenantAccess(tenantID: coordinator.tenantID, userID: coordinator.userID, role: .coordinator)
            let report = try await ReportsService().sdg(ReportFilter(), access: access, on: connection)
            #expect(report.totals.activities == 30 && report.totals.activitiesWithoutGoal == 6)
            #expect(report.totals.partnerships == 4)
            #expect(report.totals.budget.byCurrency["EUR"]?.planned.description == "899.98")
        }

        // Changes: goals, budgets and currencies move; activities and a partnership are deleted; a partnership
        // moves country and ends, another loses its activities and is deleted; the partner coordinator leaves one partnership for another.
        try await Application(router: fixture.router).test(.router) { client in
            for (index, change) in [
                #"{"sdgTargets": ["4.1", "4.7"], "budget": {"planned": "12.34", "spent": "1", "currency": "XOF"}}"#,
                #"{"sdgTargets": [], "status": "completed"}"#,
                #"{"budget": {"planned": "1000", "currency": "USD"}, "startsOn": "2023-01-01"}"#,
                #"{"themes": ["covid-19"], "sdgTargets": ["3.d"]}"#,
            ].enumerated() {
                let patched = try await client.send(
                    .patch, "/api/v1/activities/\(activities[index * 7])", as: coordinator, json: change)
                #expect(patched.status == .ok, "\(change)")
            }
            for id in [activities[1], activities[10], activities[35]] {
                #expect(
                    try await client.send(.delete, "/api/v1/activities/\(id)", as: coordinator).status == .noContent)
            }
            #expect(
                try await client.send(
                    .patch, "/api/v1/partnerships/\(partnerships[2])", as: coordinator,
                    json: #"{"status": "ended", "partner": {"name": "P", "country": "SN"}}"#
                ).status == .ok)
            // A partnership is deleted once its activities are.
            for id in activities[27..<35] {
                #expect(
                    try await client.send(.delete, "/api/v1/activities/\(id)", as: coordinator).status == .noContent)
            }
            #expect(
                try await client.send(.delete, "/api/v1/partnerships/\(partnerships[3])", as: administrator).status
                    == .noContent)
            #expect(
                try await client.send(
                    .delete, "/api/v1/partnerships/\(partnerships[0])/members/\(partner.userID)", as: coordinator
                ).status == .noContent)
            #expect(
                try await client.send(
                    .post, "/api/v1/partnerships/\(partnerships[1])/members", as: coordinator,
                    json: #"{"userId": "\#(partner.userID)", "role": "partner_coordinator"}"#
                ).status == .created)
        }
        try await fixture.workers.drain()
        try await Self.compare(fixture, callers, partnerships)

        // The answers over HTTP are the summed report's bytes, and the deleted partnership's activities are gone.
        let summed = try await fixture.pool.withTransaction(tenantID: coordinator.tenantID) { connection in
            let access = TenantAccess(tenantID: coordinator.tenantID, userID: coordinator.userID, role: .coordinator)
            return try Self.json(try await ReportsService().summedSDG(ReportFilter(), access: access, on: connection))
        }
        try await Application(router: fixture.router).test(.router) { client in
            let response = try await client.send(.get, "/api/v1/reports/sdg", as: coordinator)
            #expect(response.status == .ok)
            #expect(String(buffer: response.body) == summed)
            let totals = try #require(try object(response)["totals"] as? [String: Any])
            #expect(totals["partnerships"] as? Int == 3)
        }
    }
}
