import ActivitiesContracts
import Foundation
import Gateway
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Kernel
import Messaging
import PartnershipsContracts
import Postgres
import TestSupport
import Testing
import Vocabulary

@testable import Reporting

@Suite("The platform's pre-summed figures")
struct FigureKeeperTests {
    static let activityID = ActivityID(rawValue: UUID(uuidString: "00000000-0000-4000-8000-0000000000A1")!)

    static func partnership(_ id: UUID, version: Int, country: String = "BJ") -> PartnershipState {
        PartnershipState(
            id: PartnershipID(rawValue: id), title: "Roeselare–Dogbo",
            partner: Partner(name: "Dogbo", country: country, region: nil, website: nil), status: .active,
            startedOn: nil, endedOn: nil, sdgFocus: [], members: [], version: version)
    }

    static func activity(
        _ version: Int, partnership: UUID, targets: [String], goals: [Int], budget: Budget?
    ) -> ActivityState {
        ActivityState(
            id: activityID, partnershipId: partnership, title: "Handwashing stations", kind: .emergencySupport,
            status: .ongoing, startsOn: CalendarDate("2020-04-01"), endsOn: nil, direction: .mutual,
            sdgTargets: targets, sdgGoals: goals, themes: ["covid-19"], budget: budget, fundingSource: nil,
            participants: nil, version: version)
    }

    /// The municipality's kept figures, as its own connection sees them.
    static func kept(_ fixture: ReportingFixture, _ tenant: UUID) async throws -> Figures {
        try await fixture.pool.withTransaction(tenantID: tenant) { connection in
            var figures = Figures()
            for row in try await connection.query(
                """
                SELECT dimension, value, currency, activities, planned_cents, spent_cents FROM reporting.figures
                WHERE activities <> 0
                """)
            {
                let (dimension, value, currency, activities, planned, spent) = try row.decode(
                    (String, String, String, Int, Int64, Int64).self)
                figures.tallies[Figures.Key(dimension: dimension, value: value, currency: currency)] = Figures.Tally(
                    activities: activities, planned: planned, spent: spent)
            }
            for row in try await connection.query(
                "SELECT dimension, value, partnerships FROM reporting.figure_reach WHERE partnerships <> 0")
            {
                let (dimension, value, partnerships) = try row.decode((String, String, Int).self)
                figures.reach[Figures.Reach(dimension: dimension, value: value)] = partnerships
            }
            return figures
        }
    }

    /// The figures summed from the municipality's activities, as its own report sums them.
    static func summed(_ fixture: ReportingFixture, _ tenant: UUID) async throws -> Figures {
        try await fixture.pool.withTransaction(tenantID: tenant) { connection in
            Figures(
                try await ReportsRepository().activities(
                    ReportFilter(), scope: .municipality, tenant: tenant, on: connection))
        }
    }

    static func tally(_ figures: Figures, _ dimension: String, _ value: String, _ currency: String) -> Figures.Tally? {
        figures.tallies[Figures.Key(dimension: dimension, value: value, currency: currency)]
    }

    @Test("events of different activities applied at once add up to the figures their activities give")
    func concurrentPartnershipsAddUp() async throws {
        let fixture = try await ReportingFixture.make("figuresconcurrent")
        let coordinator = try await TestTenant.create(in: fixture.database, slug: "roeselare", role: .coordinator)
        let three = (0..<3).map { _ in UUID() }
        let partnerships = three + three  // two tasks for each partnership
        let goals = [[3, 6], [6], [3, 16], [17], [6, 17]]
        let targets = [["3.d", "6.2"], ["6.b"], ["3.8", "16.6"], ["17.16"], ["6.2", "17.17"]]
        let countries = ["BJ", "SN", "PE"]
        // Each task applies its own events in their own transactions, as eight workers would, all at once:
        // three partnerships' activities meet in the same goal, target and currency rows.
        let pool = fixture.pool
        let tenant = coordinator.tenantID
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (index, partnership) in partnerships.enumerated() {
                group.addTask {
                    try await pool.withTransaction(tenantID: tenant) { connection in
                        try await ReadModel.apply(
                            Self.partnership(partnership, version: 1, country: countries[index % 3]), deleted: false,
                            tenant: tenant, on: connection)
                    }
                    for number in 0..<25 {
                        var state = Self.activity(
                            1, partnership: partnership, targets: targets[number % 5], goals: goals[number % 5],
                            budget: Budget(
                                planned: Amount("\(100 + number).00")!, spent: Amount("\(number).50")!, currency: "EUR")
                        )
                        state.id = ActivityID(rawValue: UUID())
                        try await pool.withTransaction(tenantID: tenant) { connection in
                            try await ReadModel.apply(
                                state, deleted: false, tenant: tenant, at: Date(), on: connection)
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
        let kept = try await Self.kept(fixture, coordinator.tenantID)
        #expect(Self.tally(kept, "all", "", "EUR")?.activities == 150)
        #expect(kept == (try await Self.summed(fixture, coordinator.tenantID)))
    }

    @Test("duplicate and older events leave the figures as they are; new goals, budget or currency move them")
    func figuresFollowTheVersions() async throws {
        let fixture = try await ReportingFixture.make("figuresversions")
        let tenant = try await TestTenant.create(in: fixture.database, slug: "roeselare", role: .coordinator)
            .tenantID
        let partnership = UUID()
        func apply(_ state: ActivityState, deleted: Bool = false) async throws {
            try await fixture.pool.withTransaction(tenantID: tenant) { connection in
                try await ReadModel.apply(state, deleted: deleted, tenant: tenant, at: Date(), on: connection)
            }
        }
        let first = Self.activity(
            1, partnership: partnership, targets: ["3.d", "6.2", "6.b"], goals: [3, 6],
            budget: Budget(planned: Amount("100.01")!, spent: Amount("10.00")!, currency: "EUR"))
        // Before its partnership is known, an activity counts nowhere (the reports join the two).
        try await apply(first)
        #expect(try await Self.kept(fixture, tenant) == Figures())
        try await fixture.pool.withTransaction(tenantID: tenant) { connection in
            try await ReadModel.apply(
                Self.partnership(partnership, version: 1), deleted: false, tenant: tenant, on: connection)
        }
        let counted = try await Self.kept(fixture, tenant)
        #expect(counted == (try await Self.summed(fixture, tenant)))
        #expect(Self.tally(counted, "goal", "3", "EUR") == Figures.Tally(activities: 1, planned: 5001, spent: 500))
        #expect(Self.tally(counted, "goal", "6", "EUR") == Figures.Tally(activities: 1, planned: 5000, spent: 500))
        #expect(Self.tally(counted, "target", "6.b", "EUR") == Figures.Tally(activities: 1, planned: 2500, spent: 250))
        #expect(Self.tally(counted, "sdg", "", "EUR") == Figures.Tally(activities: 1, planned: 10001, spent: 1000))
        #expect(Self.tally(counted, "country", "BJ", "EUR")?.activities == 1)
        #expect(counted.reach[Figures.Reach(dimension: "goal", value: "6")] == 1)

        // The same event again, and an older one after it: nothing moves.
        try await apply(first)
        try await apply(Self.activity(0, partnership: partnership, targets: [], goals: [], budget: nil))
        #expect(try await Self.kept(fixture, tenant) == counted)

        // New goals, budget and currency: the old contribution leaves, the new one arrives.
        let second = Self.activity(
            2, partnership: partnership, targets: ["16.6"], goals: [16],
            budget: Budget(planned: Amount("250.00")!, spent: Amount("0.00")!, currency: "XOF"))
        try await apply(second)
        try await apply(first)
        let moved = try await Self.kept(fixture, tenant)
        #expect(moved == (try await Self.summed(fixture, tenant)))
        #expect(Self.tally(moved, "goal", "3", "EUR") == nil)
        #expect(Self.tally(moved, "all", "", "EUR") == nil)
        #expect(Self.tally(moved, "goal", "16", "XOF") == Figures.Tally(activities: 1, planned: 25000, spent: 0))
        #expect(moved.reach[Figures.Reach(dimension: "goal", value: "6")] == nil)
        #expect(moved.reach[Figures.Reach(dimension: "target", value: "16.6")] == 1)

        // A deletion takes it out, and a late update does not bring it back.
        try await apply(second, deleted: true)
        try await apply(Self.activity(2, partnership: partnership, targets: ["3.d"], goals: [3], budget: nil))
        #expect(try await Self.kept(fixture, tenant) == Figures())
    }

    @Test("a partnership's deletion takes its activities' figures out; a new partner country moves them")
    func partnershipsMoveTheirActivities() async throws {
        let fixture = try await ReportingFixture.make("figurespartnership")
        let tenant = try await TestTenant.create(in: fixture.database, slug: "roeselare", role: .coordinator)
            .tenantID
        let partnership = UUID()
        try await fixture.pool.withTransaction(tenantID: tenant) { connection in
            try await ReadModel.apply(
                Self.partnership(partnership, version: 1), deleted: false, tenant: tenant, on: connection)
            try await ReadModel.apply(
                Self.activity(
                    1, partnership: partnership, targets: ["3.d"], goals: [3],
                    budget: Budget(planned: Amount("10.00")!, spent: Amount("1.00")!, currency: "EUR")),
                deleted: false, tenant: tenant, at: Date(), on: connection)
            try await ReadModel.apply(
                Self.partnership(partnership, version: 2, country: "SN"), deleted: false, tenant: tenant,
                on: connection)
        }
        let moved = try await Self.kept(fixture, tenant)
        #expect(moved == (try await Self.summed(fixture, tenant)))
        #expect(Self.tally(moved, "country", "SN", "EUR")?.activities == 1)
        #expect(Self.tally(moved, "country", "BJ", "EUR") == nil)
        try await fixture.pool.withTransaction(tenantID: tenant) { connection in
            try await ReadModel.apply(
                Self.partnership(partnership, version: 3, country: "SN"), deleted: true, tenant: tenant, on: connection)
        }
        #expect(try await Self.kept(fixture, tenant) == Figures())
    }

    @Test("platform totals are the sum of every municipality's own SDG report, figures only, each kept apart")
    func platformTotalsAreTheMunicipalitiesSum() async throws {
        let fixture = try await ReportingFixture.make("figuresplatform")
        let roeselare = try await TestTenant.create(in: fixture.database, slug: "roeselare", role: .coordinator)
        let leuven = try await TestTenant.create(in: fixture.database, slug: "leuven", role: .coordinator)
        try await Application(router: fixture.router).test(.router) { client in
            for (coordinator, bodies) in [
                (
                    roeselare,
                    [
                        #"{"title": "A", "kind": "emergency_support", "direction": "north_to_south", "themes": ["covid-19"], "startsOn": "2020-04-01", "sdgTargets": ["3.d", "6.2", "16.6"], "budget": {"planned": "100", "spent": "10", "currency": "EUR"}}"#,
                        #"{"title": "B", "kind": "knowledge_exchange", "direction": "mutual", "sdgTargets": ["6.2", "6.b"], "budget": {"planned": "250", "currency": "XOF"}}"#,
                    ]
                ),
                (
                    leuven,
                    [
                        #"{"title": "C", "kind": "study_visit", "direction": "south_to_north", "sdgTargets": ["6.2", "4.7"], "budget": {"planned": "33.33", "spent": "0.01", "currency": "EUR"}}"#,
                        #"{"title": "D", "kind": "study_visit", "direction": "mutual", "budget": {"planned": "50", "currency": "EUR"}}"#,
                    ]
                ),
            ] {
                let partnership = try object(
                    try await client.send(
                        .post, "/api/v1/partnerships", as: coordinator,
                        json:
                            #"{"title": "Stedenband", "partner": {"name": "Partner", "country": "BJ"}, "status": "active"}"#
                    ))
                let id = try #require(partnership["id"] as? String)
                for body in bodies {
                    #expect(
                        try await client.send(
                            .post, "/api/v1/partnerships/\(id)/activities", as: coordinator, json: body
                        )
                        .status == .created)
                }
            }
        }
        try await fixture.workers.drain()
        let admin = try await fixture.database.connectAsAdmin()
        let token = APIToken.generate()
        try await admin.withTransaction { connection in
            let id = try await connection.query(
                "INSERT INTO platform.platform_admins (email, name) VALUES ('ops@platform.example.org', 'Ops') RETURNING id"
            )[0].decode(UUID.self, column: 0)
            try await Tenancy.insertToken(token, platformAdminID: id, name: "test", on: connection)
        }
        await admin.close()
        try await Application(router: fixture.router).test(.router) { client in
            let response = try await client.execute(
                uri: "/api/v1/platform/reports/sdg", method: .get, headers: [.authorization: "Bearer \(token.value)"])
            #expect(response.status == .ok)
            let text = String(buffer: response.body)
            for word in ["Stedenband", "Partner", "\"title\"", "emergency_support", "BJ"] {
                #expect(!text.contains(word))
            }
            let platform = try object(response)
            let municipalities = try #require(platform["municipalities"] as? [[String: Any]])
            var sum: [String: Int] = [:]
            for (slug, coordinator) in [("leuven", leuven), ("roeselare", roeselare)] {
                let own = try object(try await client.send(.get, "/api/v1/reports/sdg", as: coordinator))
                let theirs = try #require(
                    municipalities.first { ($0["municipality"] as? [String: Any])?["slug"] as? String == slug })
                #expect(
                    NSDictionary(dictionary: try #require(theirs["report"] as? [String: Any]))
                        == NSDictionary(dictionary: own))
                for goal in try #require(own["goals"] as? [[String: Any]]) {
                    sum["\(goal["goal"] ?? "")", default: 0] += goal["activities"] as? Int ?? 0
                }
            }
            let totals = try #require(platform["totals"] as? [String: Any])
            for goal in try #require(totals["goals"] as? [[String: Any]]) {
                #expect(goal["activities"] as? Int == sum["\(goal["goal"] ?? "")"])
            }
            let goal6 = try #require((totals["goals"] as? [[String: Any]])?[5])
            #expect(goal6["partnerships"] as? Int == 2)
            // A's 100.00 over goals 3, 6, 16 (33.33 to goal 6) and C's 33.33 over goals 4 and 6 (16.66).
            #expect((goal6["budget"] as? [String: [String: String]])?["EUR"] == ["planned": "49.99", "spent": "3.33"])
            let all = try #require(totals["totals"] as? [String: Any])
            #expect(all["activities"] as? Int == 3)
            #expect(all["activitiesWithoutGoal"] as? Int == 1)
            #expect((all["budget"] as? [String: [String: String]])?["EUR"] == ["planned": "133.33", "spent": "10.01"])
        }
        // Row-level security keeps the municipalities' figures apart; the platform function refuses them.
        let seen = try await fixture.pool.withTransaction(tenantID: leuven.tenantID) { connection in
            try await connection.query(
                """
                SELECT count(*) FILTER (WHERE tenant_id <> \(leuven.tenantID)), count(*) FROM (
                    SELECT tenant_id FROM reporting.figures UNION ALL SELECT tenant_id FROM reporting.figure_partnerships
                    UNION ALL SELECT tenant_id FROM reporting.figure_reach) t
                """)[0].decode((Int, Int).self)
        }
        #expect(seen.0 == 0 && seen.1 > 0)
        await #expect(throws: PostgresError.self) {
            try await fixture.pool.withTransaction(tenantID: roeselare.tenantID) { connection in
                try await connection.query("SELECT * FROM reporting.platform_figures('{goal}')")
            }
        }
    }
}
