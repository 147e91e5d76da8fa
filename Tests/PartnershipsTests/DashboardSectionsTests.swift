import Activities
import Foundation
import Gateway
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Kernel
import Messaging
import NIOCore
import Partnerships
import Postgres
import Reporting
import TestSupport
import Testing

@Suite("The dashboard's sections: latest activity and update, what changed since the last visit, the SDG chart")
struct DashboardSectionsTests {
    struct Created: Decodable {
        var id: UUID
    }

    /// Sint-Niklaas with a coordinator, a partner coordinator who is a member of P1 only, and P2; Roeselare
    /// with a partnership of its own. Every partnership has an activity with an update.
    struct Fixture: Sendable {
        var database: TestDatabase
        var pool: PostgresConnectionPool
        var environment: GatewayEnvironment
        var coordinator: TestTenant
        var partner: TestTenant
        var elsewhere: TestTenant

        static func make(_ label: String) async throws -> (Fixture, Router<GatewayRequestContext>) {
            let database = try await TestDatabase.migrated(label)
            let logger = TestLogger.make(label)
            let pool = PostgresConnectionPool(
                configuration: .init(connection: database.appConfiguration, maximumConnections: 4), logger: logger)
            let environment = GatewayEnvironment(
                pool: pool, readiness: Ready(), logger: logger,
                addressLimiter: RateLimiter(rate: 10_000, burst: 10_000))
            let router = buildRouter(environment: environment)
            _ = try Kernel.assemble(
                plugins: [PartnershipsPlugin(), ActivitiesPlugin(), ReportingPlugin()],
                configuration: KernelConfiguration(), router: router, environment: environment,
                queue: PostgresJobQueue(), logger: logger)
            let fixture = Fixture(
                database: database, pool: pool, environment: environment,
                coordinator: try await TestTenant.create(
                    in: database, slug: "sint-niklaas", role: .coordinator, email: "coordinator@sint-niklaas.be"),
                partner: try await TestTenant.create(
                    in: database, slug: "sint-niklaas", role: .partnerCoordinator, email: "partner@tambacounda.sn"),
                elsewhere: try await TestTenant.create(
                    in: database, slug: "roeselare", role: .coordinator, email: "coordinator@roeselare.be"))
            return (fixture, router)
        }

        /// A browser signed in as `email` through a link's confirm page: a new session each time.
        func browser(_ client: some TestClientProtocol, as email: String) async throws -> TestBrowser {
            let issued = try await SignInLinks(
                settings: environment.settings.sessions, mail: nil, logger: environment.logger
            ).issue(for: email, at: Date(), pool: pool)
            let link = String(
                try #require(issued.first?.url).dropFirst(environment.settings.sessions.publicURL.count))
            let browser = TestBrowser(client)
            try await browser.get(link)
            #expect(try await browser.post(link).status == .seeOther)
            return browser
        }
    }

    static func create(_ path: String, _ json: String, as who: TestTenant, _ client: some TestClientProtocol)
        async throws -> UUID
    {
        let response = try await client.send(.post, path, as: who, json: json)
        #expect(response.status.code == 201, "\(path): \(String(buffer: response.body))")
        return try decode(Created.self, response).id
    }

    static func partnership(_ title: String, as who: TestTenant, _ client: some TestClientProtocol) async throws
        -> UUID
    {
        try await create(
            "/api/v1/partnerships", #"{"title": "\#(title)", "partner": {"name": "\#(title)", "country": "SN"}}"#,
            as: who, client)
    }

    static func activity(_ title: String, in partnership: UUID, as who: TestTenant, _ client: some TestClientProtocol)
        async throws -> UUID
    {
        try await create(
            "/api/v1/partnerships/\(partnership)/activities",
            #"{"title": "\#(title)", "kind": "awareness_campaign", "status": "ongoing", "direction": "mutual", "sdgTargets": ["3.d"]}"#,
            as: who, client)
    }

    static func post(_ body: String, on activity: UUID, as who: TestTenant, _ client: some TestClientProtocol)
        async throws
    {
        _ = try await create("/api/v1/activities/\(activity)/updates", #"{"body": "\#(body)"}"#, as: who, client)
    }

    @Test(
        "a partner coordinator sees their partnership's latest activity, update and changes, and no other partnership's; no chart"
    )
    func partnerCoordinatorSeesOnlyTheirs() async throws {
        let (fixture, router) = try await Fixture.make("dashboardsections")
        try await Application(router: router).test(.router) { client in
            let p1 = try await Self.partnership("Sint-Niklaas–Tambacounda", as: fixture.coordinator, client)
            let p2 = try await Self.partnership("Sint-Niklaas–Kaolack", as: fixture.coordinator, client)
            let p3 = try await Self.partnership("Roeselare–Dogbo", as: fixture.elsewhere, client)
            let added = try await client.send(
                .post, "/api/v1/partnerships/\(p1)/members", as: fixture.coordinator,
                json: #"{"userId": "\#(fixture.partner.userID)", "role": "partner_coordinator"}"#)
            #expect(added.status.code < 300)
            let older = try await Self.activity("Hygiene kits", in: p1, as: fixture.coordinator, client)
            let newest = try await Self.activity("Radio campaign", in: p1, as: fixture.coordinator, client)
            try await Self.post("Kits handed out at the market", on: older, as: fixture.coordinator, client)
            let hidden = try await Self.activity("Kaolack water plan", in: p2, as: fixture.coordinator, client)
            try await Self.post("Kaolack note", on: hidden, as: fixture.coordinator, client)
            let foreign = try await Self.activity("Dogbo study visit", in: p3, as: fixture.elsewhere, client)
            try await Self.post("Dogbo note", on: foreign, as: fixture.elsewhere, client)

            let browser = try await fixture.browser(client, as: "partner@tambacounda.sn")
            let page = try await browser.get("/?lang=en")
            #expect(page.status == .ok)
            let html = String(buffer: page.body)
            let latest = try #require(html.firstRange(of: "Latest activity:")).lowerBound
            // The latest activity is the newest recorded; the latest update belongs to the older one.
            #expect(
                html[latest...].contains(
                    #"<a href="/activities/\#(newest.uuidString.lowercased())">Radio campaign</a>"#))
            #expect(
                html.contains(
                    #"Latest update:</span> <a href="/activities/\#(older.uuidString.lowercased())#updates">Hygiene kits</a>"#
                ))
            #expect(html.contains("Recent changes"), "no earlier visit: the newest changes")
            #expect(
                html.contains(
                    "New activity <a href=\"/activities/\(newest.uuidString.lowercased())\">Radio campaign</a>"))
            #expect(html.contains("New update on <a href=\"/activities/\(older.uuidString.lowercased())#updates\">"))
            for other in ["Kaolack", "Dogbo", hidden.uuidString.lowercased(), foreign.uuidString.lowercased()] {
                #expect(!html.contains(other), "\(other) is not the partner coordinator's")
            }
            #expect(!html.contains("sdg-chart"), "the municipality's chart is not a partner coordinator's")
        }
    }

    @Test("what changed since the last visit starts where the person's previous session was last used, and moves on")
    func sinceLastVisitMovesOn() async throws {
        let (fixture, router) = try await Fixture.make("dashboardsince")
        try await Application(router: router).test(.router) { client in
            let p1 = try await Self.partnership("Sint-Niklaas–Tambacounda", as: fixture.coordinator, client)
            let before = try await Self.activity("Seen before", in: p1, as: fixture.coordinator, client)
            let first = try await fixture.browser(client, as: "coordinator@sint-niklaas.be")
            let firstPage = String(buffer: try await first.get("/?lang=en").body)
            #expect(firstPage.contains("Recent changes") && firstPage.contains("Seen before"))

            // Something happens after the first visit; the next visit (a new session) shows only that.
            let after = try await Self.activity("Recorded since", in: p1, as: fixture.coordinator, client)
            try await Self.post("A note since", on: before, as: fixture.coordinator, client)
            let second = try await fixture.browser(client, as: "coordinator@sint-niklaas.be")
            let page = String(buffer: try await second.get("/?lang=en").body)
            #expect(page.contains("New since your last visit"))
            let changes = String(try #require(page.split(separator: #"id="changes-list""#).last))
            #expect(changes.contains("New activity <a href=\"/activities/\(after.uuidString.lowercased())\">"))
            #expect(
                changes.contains("New update on <a href=\"/activities/\(before.uuidString.lowercased())#updates\">"))
            #expect(!changes.contains("New activity <a href=\"/activities/\(before.uuidString.lowercased())\">"))
            #expect(!changes.contains("New partnership"), "the partnership was made before the first visit")

            // The third visit starts after the second: nothing new.
            let third = try await fixture.browser(client, as: "coordinator@sint-niklaas.be")
            let quiet = String(buffer: try await third.get("/?lang=en").body)
            #expect(quiet.contains(#"id="no-changes""#) && quiet.contains("Nothing new since your last visit."))
        }
    }

    @Test("a coordinator sees the municipality's activities per SDG goal as a chart and a table, never another's")
    func coordinatorSeesTheChart() async throws {
        let (fixture, router) = try await Fixture.make("dashboardchart")
        // The read model's figures as the Reporting plugin keeps them (its subscriber runs from the queue).
        for (tenant, goal, count) in [
            (fixture.coordinator.tenantID, "3", 7), (fixture.coordinator.tenantID, "6", 2),
            (fixture.elsewhere.tenantID, "3", 40),
        ] {
            try await fixture.pool.withTransaction(tenantID: tenant) { connection in
                try await connection.query(
                    """
                    INSERT INTO reporting.figures (tenant_id, dimension, value, currency, activities, planned_cents,
                        spent_cents)
                    VALUES (\(tenant), 'goal', \(goal), '', \(count), 0, 0)
                    """)
            }
        }
        try await Application(router: router).test(.router) { client in
            let browser = try await fixture.browser(client, as: "coordinator@sint-niklaas.be")
            let html = String(buffer: try await browser.get("/?lang=nl").body)
            #expect(html.contains(#"<h2 id="sdg-chart">Activiteiten per SDG</h2>"#))
            #expect(html.contains(#"role="img" aria-labelledby="sdg-chart-title""#))
            #expect(html.contains(##"fill="#4C9F38""##), "goal 3 in its own colour")
            let table = String(try #require(html.split(separator: #"id="sdg-chart-table""#).last))
            #expect(table.contains("3. Goede gezondheid en welzijn</th><td>7</td>"), "\(table.prefix(800))")
            #expect(table.contains("</th><td>2</td>") && !table.contains("<td>40</td>"))
            #expect(!html.contains("<script"))

            let partner = try await fixture.browser(client, as: "partner@tambacounda.sn")
            #expect(!String(buffer: try await partner.get("/").body).contains("sdg-chart"))
        }
    }

    @Test("the partnership page's timeline lists its activities' updates newest first, with author, paged")
    func partnershipTimeline() async throws {
        let (fixture, router) = try await Fixture.make("dashboardtimeline")
        try await Application(router: router).test(.router) { client in
            let p1 = try await Self.partnership("Sint-Niklaas–Tambacounda", as: fixture.coordinator, client)
            let p2 = try await Self.partnership("Sint-Niklaas–Kaolack", as: fixture.coordinator, client)
            let a = try await Self.activity("Hygiene kits", in: p1, as: fixture.coordinator, client)
            let b = try await Self.activity("Radio campaign", in: p1, as: fixture.coordinator, client)
            for index in 1...12 {
                try await Self.post(
                    "Note \(index)", on: index.isMultiple(of: 2) ? a : b, as: fixture.coordinator, client)
            }
            let other = try await Self.activity("Kaolack water plan", in: p2, as: fixture.coordinator, client)
            try await Self.post("Kaolack note", on: other, as: fixture.coordinator, client)
            let p = p1.uuidString.lowercased()

            let browser = try await fixture.browser(client, as: "coordinator@sint-niklaas.be")
            let page = String(buffer: try await browser.get("/partnerships/\(p)?lang=en").body)
            let timeline = String(try #require(page.split(separator: #"<h2 id="timeline">"#).last))
            #expect(timeline.contains("Timeline of updates"))
            let notes = timeline.matches(of: #/Note (\d+)/#).map { Int($0.output.1)! }
            #expect(notes == Array((3...12).reversed()), "newest first, the newest ten")
            #expect(
                timeline.contains(
                    #"<a href="/activities/\#(a.uuidString.lowercased())#updates">Hygiene kits</a> · by "#))
            #expect(!timeline.contains("Kaolack"))
            let older = try #require(timeline.firstMatch(of: #/href="(/partnerships/[^"]+/updates\?cursor=[^"]+)"/#))
            let rest = String(buffer: try await browser.get(String(older.output.1)).body)
            #expect(rest.matches(of: #/Note (\d+)/#).map { Int($0.output.1)! } == [2, 1])
            #expect(rest.contains("<h1 id=\"timeline\">"))

            // A partner coordinator who is no member, and another municipality, find nothing: 404.
            let partner = try await fixture.browser(client, as: "partner@tambacounda.sn")
            #expect(try await partner.get("/partnerships/\(p)/updates").status == .notFound)
            let foreign = try await fixture.browser(client, as: "coordinator@roeselare.be")
            #expect(try await foreign.get("/partnerships/\(p)/updates").status == .notFound)
        }
    }
}
