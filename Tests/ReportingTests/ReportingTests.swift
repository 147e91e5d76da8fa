import Activities
import ActivitiesContracts
import Foundation
import Gateway
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Kernel
import Messaging
import NIOCore
import Partnerships
import PartnershipsContracts
import Postgres
import Results
import TestSupport
import Testing
import Vocabulary

@testable import Reporting

/// The gateway with the Partnerships, Activities, Results and Reporting plugins, and workers for the read model.
struct ReportingFixture {
    let database: TestDatabase
    let router: Router<GatewayRequestContext>
    let pool: PostgresConnectionPool
    let workers: BackgroundWork
    let environment: GatewayEnvironment
    let bus: EventBus
    let kinds: JobKinds
    let queue: PostgresJobQueue
    let publisher: EventPublisher

    static func make(_ label: String, batchSize: Int = EventCursorWorkers.Configuration.defaultBatchSize) async throws
        -> ReportingFixture
    {
        let database = try await TestDatabase.migrated(label)
        let logger = TestLogger.make("reporting")
        let pool = PostgresConnectionPool(
            configuration: .init(connection: database.appConfiguration, maximumConnections: 6), logger: logger)
        let environment = GatewayEnvironment(
            pool: pool, readiness: Ready(), logger: logger, rateLimiter: RateLimiter(rate: 100_000, burst: 100_000))
        let router = buildRouter(environment: environment)
        let queue = PostgresJobQueue()
        let kernel = try Kernel.assemble(
            plugins: [PartnershipsPlugin(), ActivitiesPlugin(), ResultsPlugin(), ReportingPlugin()],
            configuration: KernelConfiguration(),
            router: router, environment: environment, queue: queue, logger: logger)
        let workers = BackgroundWork(
            bus: kernel.bus, kinds: kernel.jobKinds, pool: pool, batchSize: batchSize, logger: logger)
        return ReportingFixture(
            database: database, router: router, pool: pool, workers: workers, environment: environment,
            bus: kernel.bus, kinds: kernel.jobKinds, queue: queue, publisher: kernel.publisher)
    }

    /// The read model's rows, as the admin sees them, for comparing; figures that count (a figure whose
    /// activities went back to zero stays as a row of zeros).
    func snapshot() async throws -> [String] {
        let admin = try await database.connectAsAdmin()
        let rows = try await admin.query(
            """
            SELECT 'p ' || row(p.*)::text FROM reporting.partnerships p
            UNION ALL SELECT 'm ' || row(m.*)::text FROM reporting.members m
            UNION ALL SELECT 'a ' || row(a.*)::text FROM reporting.activities a
            UNION ALL SELECT 'f ' || row(f.*)::text FROM reporting.figures f WHERE activities <> 0
            UNION ALL SELECT 'c ' || row(c.*)::text FROM reporting.figure_partnerships c WHERE activities <> 0
            UNION ALL SELECT 'r ' || row(r.*)::text FROM reporting.figure_reach r WHERE partnerships <> 0
            UNION ALL SELECT 'R ' || row(x.*)::text FROM reporting.results x
            UNION ALL SELECT 'I ' || row(i.*)::text FROM reporting.indicators i
            UNION ALL SELECT 'P ' || row(d.*)::text FROM reporting.indicator_periods d
            UNION ALL SELECT 'S ' || row(s.*)::text FROM reporting.activity_spending s
            ORDER BY 1
            """)
        await admin.close()
        return try rows.map { try $0.decode(String.self, column: 0) }
    }
}

struct Ready: ReadinessCheck {
    func notReadyReason() async -> String? { nil }
}

func object(_ response: TestResponse) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any])
}

@Suite("Reports from the events")
struct ReportingTests {
    /// Three activities: A with goals 3, 6 and 16 and 100.00 EUR, B with goal 6 and 250.00 XOF, C without goals.
    private func scenario(_ fixture: ReportingFixture, as coordinator: TestTenant) async throws -> String {
        try await Application(router: fixture.router).test(.router) { client in
            let partnership = try object(
                try await client.send(
                    .post, "/api/v1/partnerships", as: coordinator,
                    json:
                        #"{"title": "Roeselare–Dogbo", "partner": {"name": "Dogbo", "country": "BJ"}, "status": "active"}"#
                ))
            let id = try #require(partnership["id"] as? String)
            for body in [
                #"{"title": "A", "description": "Handwashing stations at the Dogbo market", "kind": "emergency_support", "direction": "north_to_south", "themes": ["covid-19"], "startsOn": "2020-04-01", "sdgTargets": ["3.d", "6.2", "16.6"], "budget": {"planned": "100", "spent": "10", "currency": "EUR"}}"#,
                #"{"title": "B", "kind": "knowledge_exchange", "direction": "mutual", "startsOn": "2021-02-01", "sdgTargets": ["6.2", "6.b"], "budget": {"planned": "250", "currency": "XOF"}}"#,
                #"{"title": "C", "kind": "study_visit", "direction": "south_to_north", "budget": {"planned": "50", "currency": "EUR"}}"#,
            ] {
                #expect(
                    try await client.send(.post, "/api/v1/partnerships/\(id)/activities", as: coordinator, json: body)
                        .status == .created)
            }
            return id
        }
    }

    @Test("SDG report: an activity counts in each of its goals, its budget split evenly, totals add up per currency")
    func sdgReport() async throws {
        let fixture = try await ReportingFixture.make("reportsdg")
        let coordinator = try await TestTenant.create(in: fixture.database, slug: "roeselare", role: .coordinator)
        let other = try await TestTenant.create(in: fixture.database, slug: "oostende", role: .coordinator)
        _ = try await scenario(fixture, as: coordinator)
        try await fixture.workers.drain()
        try await Application(router: fixture.router).test(.router) { client in
            let report = try object(try await client.send(.get, "/api/v1/reports/sdg", as: coordinator))
            let goals = try #require(report["goals"] as? [[String: Any]])
            #expect(goals.count == 17)
            func goal(_ n: Int) -> [String: Any] { goals[n - 1] }
            #expect(goal(3)["activities"] as? Int == 1 && goal(6)["activities"] as? Int == 2)
            #expect(goal(1)["activities"] as? Int == 0)
            func money(_ value: Any?, _ currency: String) -> [String: String]? {
                (value as? [String: Any])?[currency] as? [String: String]
            }
            // 100.00 over three goals: 33.34, 33.33, 33.33; 10.00 spent: 3.34, 3.33, 3.33.
            #expect(money(goal(3)["budget"], "EUR") == ["planned": "33.34", "spent": "3.34"])
            #expect(money(goal(6)["budget"], "EUR") == ["planned": "33.33", "spent": "3.33"])
            #expect(money(goal(16)["budget"], "EUR") == ["planned": "33.33", "spent": "3.33"])
            #expect(money(goal(6)["budget"], "XOF") == ["planned": "250.00", "spent": "0.00"])
            let targets = try #require(goal(6)["targets"] as? [[String: Any]])
            #expect(targets.map { $0["target"] as? String } == ["6.2", "6.b"])
            #expect(money(targets[1]["budget"], "XOF") == ["planned": "125.00", "spent": "0.00"])
            let totals = try #require(report["totals"] as? [String: Any])
            #expect(totals["activities"] as? Int == 2 && totals["activitiesWithoutGoal"] as? Int == 1)
            #expect(money(totals["budget"], "EUR") == ["planned": "100.00", "spent": "10.00"])
            #expect(money(totals["budgetWithoutGoal"], "EUR") == ["planned": "50.00", "spent": "0.00"])
            // Filters.
            let year = try object(try await client.send(.get, "/api/v1/reports/sdg?year=2021", as: coordinator))
            #expect((year["totals"] as? [String: Any])?["activities"] as? Int == 1)
            let bad = try await client.send(.get, "/api/v1/reports/sdg?year=twenty&country=benin", as: coordinator)
            #expect(bad.status == .unprocessableContent)
            #expect(String(buffer: bad.body).contains("\"year\"") && String(buffer: bad.body).contains("\"country\""))
            // Another municipality sees none of it.
            let theirs = try object(try await client.send(.get, "/api/v1/reports/sdg", as: other))
            #expect((theirs["totals"] as? [String: Any])?["activities"] as? Int == 0)
        }
    }

    @Test("overview: statuses, kinds, learning directions and the reciprocity share, covid-19 and years")
    func overview() async throws {
        let fixture = try await ReportingFixture.make("reportoverview")
        let coordinator = try await TestTenant.create(in: fixture.database, slug: "roeselare", role: .coordinator)
        _ = try await scenario(fixture, as: coordinator)
        try await fixture.workers.drain()
        try await Application(router: fixture.router).test(.router) { client in
            let report = try object(try await client.send(.get, "/api/v1/reports/overview", as: coordinator))
            #expect(report["activities"] as? Int == 3)
            #expect(report["reciprocityShare"] as? Double == 0.667)
            #expect((report["partnershipsByStatus"] as? [[String: Any]])?.first?["key"] as? String == "active")
            let covid = try #require(report["covid19"] as? [String: Any])
            #expect(covid["activities"] as? Int == 1)
            let years = try #require(report["byYear"] as? [[String: Any]]).compactMap { $0["key"] as? String }
            #expect(years == ["2020", "2021", "undated"])
            let budget = try #require(report["budget"] as? [String: [String: String]])
            #expect(budget["EUR"] == ["planned": "150.00", "spent": "10.00"] && budget["XOF"]?["planned"] == "250.00")
        }
    }

    @Test("CSV for a Belgian spreadsheet: BOM, semicolons, decimal commas; matches the golden file")
    func csv() async throws {
        let fixture = try await ReportingFixture.make("reportcsv")
        let coordinator = try await TestTenant.create(in: fixture.database, slug: "roeselare", role: .coordinator)
        _ = try await scenario(fixture, as: coordinator)
        try await fixture.workers.drain()
        try await Application(router: fixture.router).test(.router) { client in
            let response = try await client.send(
                .get, "/api/v1/reports/sdg?format=csv&delimiter=semicolon", as: coordinator)
            #expect(response.headers[.contentType] == "text/csv; charset=utf-8")
            let bytes = Array(response.body.readableBytesView)
            #expect(bytes.starts(with: [0xEF, 0xBB, 0xBF]))
            let text = String(decoding: bytes.dropFirst(3), as: UTF8.self)
            #expect(text.contains("3;;1;1;EUR;33,34;3,34\r\n"))
            try Golden.compare(text, "sdg-semicolon.csv")
            let accepted = try await client.send(
                .get, "/api/v1/reports/overview", as: coordinator, headers: [.accept: "text/csv"])
            let overview = String(decoding: Array(accepted.body.readableBytesView).dropFirst(3), as: UTF8.self)
            #expect(overview.hasPrefix("figure,key,count,currency,planned,spent\r\n"))
            try Golden.compare(overview, "overview-comma.csv")
        }
    }

    @Test("the printable page: SDG bars in the official colours, budget per year, directions, in the reader's language")
    func page() async throws {
        let fixture = try await ReportingFixture.make("reportpage")
        let coordinator = try await TestTenant.create(in: fixture.database, slug: "roeselare", role: .coordinator)
        _ = try await scenario(fixture, as: coordinator)
        try await fixture.workers.drain()
        try await Application(router: fixture.router).test(.router) { client in
            let response = try await client.send(.get, "/api/v1/reports/sdg?format=html&lang=nl", as: coordinator)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "text/html; charset=utf-8")
            let html = String(buffer: response.body)
            // Served and saved alike under the pages' policy: styles only from this server's stylesheet, no hash
            // of an inline <style> (there is none), and no script; no inline style attribute either.
            let policy = try #require(response.headers[.contentSecurityPolicy])
            let templates = try ReportTemplates()
            #expect(policy == PageSecurityPolicy.pages.description && templates.policy == .pages)
            #expect(!policy.contains("sha256-") && !html.contains("<style"))
            #expect(policy.contains("frame-ancestors 'none'") && !policy.contains("unsafe"))
            #expect(html.contains(templates.policy.metaContent))
            #expect(!html.contains("style=\"") && !html.contains("<script"))
            #expect(response.headers[.xContentTypeOptions] == "nosniff")
            #expect(response.headers[.referrerPolicy] == "same-origin")
            // The table rules (#e4e7eb) come from the served stylesheet: drawn only if the page's policy lets it
            // apply.
            try await Browser.checkDrawn(
                html, colours: ["26BDE2": true, "4C9F38": true, "E5243B": false, "E4E7EB": true])
            #expect(html.hasPrefix("<!DOCTYPE html>") && html.contains("<html lang=\"nl\">"))
            // Nothing from elsewhere: the one stylesheet is this server's.
            #expect(html.contains(#"<link rel="stylesheet" href="/assets/stedenband.css">"#))
            #expect(
                !html.contains("src=") && html.components(separatedBy: "<link").count == 2 && !html.contains("http://")
                    && !html.contains("https://"))
            let sdgChart = try #require(html.range(of: "class=\"chart sdg\"")).upperBound
            let sdgEnd = try #require(html.range(of: "</svg>", range: sdgChart..<html.endIndex)).lowerBound
            #expect(html[sdgChart..<sdgEnd].components(separatedBy: "<rect").count - 1 == 17)
            #expect(html.contains("fill=\"#4C9F38\"") && html.contains("fill=\"#26BDE2\""))  // goals 3 and 6
            #expect(html.contains("Schoon water en sanitair"))
            #expect(html.contains("€ 33,34") || html.contains("€\u{00A0}33,34"))
            #expect(html.contains("class=\"chart years\"") && html.contains("class=\"chart directions\""))
            #expect(html.contains("Aandeel wederkerigheid"))
            let english = String(
                buffer: try await client.send(.get, "/api/v1/reports/overview?format=html", as: coordinator).body)
            #expect(english.contains("<html lang=\"nl\">"))  // the caller's language by default (the tenant's, nl)
            let bad = try await client.send(.get, "/api/v1/reports/sdg?format=pdf&lang=de", as: coordinator)
            #expect(bad.status == .unprocessableContent)
        }
    }

    @Test("platform administrators see figures over all municipalities and per municipality, never texts")
    func platformReports() async throws {
        let fixture = try await ReportingFixture.make("reportplatform")
        let roeselare = try await TestTenant.create(in: fixture.database, slug: "roeselare", role: .coordinator)
        let leuven = try await TestTenant.create(in: fixture.database, slug: "leuven", role: .coordinator)
        _ = try await scenario(fixture, as: roeselare)
        _ = try await scenario(fixture, as: leuven)
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
            let headers: HTTPFields = [.authorization: "Bearer \(token.value)"]
            let response = try await client.execute(uri: "/api/v1/platform/reports/sdg", method: .get, headers: headers)
            #expect(response.status == .ok)
            let text = String(buffer: response.body)
            #expect(!text.contains("Roeselare–Dogbo") && !text.contains("\"title\""))
            let report = try object(response)
            let totals = try #require(report["totals"] as? [String: Any])
            #expect((totals["totals"] as? [String: Any])?["activities"] as? Int == 4)
            let municipalities = try #require(report["municipalities"] as? [[String: Any]])
            #expect(
                municipalities.compactMap { ($0["municipality"] as? [String: Any])?["slug"] as? String } == [
                    "leuven", "roeselare",
                ])
            let overview = try await client.execute(
                uri: "/api/v1/platform/reports/overview?format=csv", method: .get, headers: headers)
            #expect(String(buffer: overview.body).contains("all,budget,all,6,EUR,300.00,20.00"))
            // A municipality's coordinator does not reach it, and the function refuses a tenant's connection.
            #expect(try await client.send(.get, "/api/v1/platform/reports/sdg", as: roeselare).status == .notFound)
        }
        await #expect(throws: PostgresError.self) {
            try await fixture.pool.withTransaction(tenantID: roeselare.tenantID) { connection in
                try await connection.query("SELECT * FROM reporting.platform_activities(NULL, NULL, NULL, NULL, NULL)")
            }
        }
    }

    @Test("the IATI export validates against the official schema and names the activities it leaves out")
    func iatiExport() async throws {
        let fixture = try await ReportingFixture.make("reportiati")
        let coordinator = try await TestTenant.create(in: fixture.database, slug: "roeselare", role: .coordinator)
        _ = try await scenario(fixture, as: coordinator)
        try await fixture.workers.drain()
        try await Application(router: fixture.router).test(.router) { client in
            let missing = try await client.send(.get, "/api/v1/exports/iati", as: coordinator)
            #expect(missing.status == .conflict)
        }
        let admin = try await fixture.database.connectAsAdmin()
        try await admin.query(
            "UPDATE platform.tenants SET iati_organisation_ref = 'BE-BCE_KBO-0205667873', iati_organisation_type = '11' WHERE slug = 'roeselare'"
        )
        await admin.close()
        try await Application(router: fixture.router).test(.router) { client in
            let response = try await client.send(.get, "/api/v1/exports/iati", as: coordinator)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "application/xml; charset=utf-8")
            // C has no dates: IATI needs one, so it is left out and named.
            let skipped = try #require(response.headers[HTTPField.Name("X-Stedenband-Skipped")!])
            #expect(skipped.hasPrefix("1; "))
            let xml = String(buffer: response.body)
            #expect(xml.components(separatedBy: "<iati-activity ").count - 1 == 2)
            #expect(xml.contains("<iati-identifier>BE-BCE_KBO-0205667873-"))
            #expect(xml.contains("<tag vocabulary=\"3\" code=\"3.d\""))
            let check = try await IATISchema.verdict(xml)
            #expect(check.valid, "\(check.output)")
            let year = try await client.send(.get, "/api/v1/exports/iati?year=2021", as: coordinator)
            #expect(String(buffer: year.body).components(separatedBy: "<iati-activity ").count - 1 == 1)
        }
    }

    @Test("the same event twice, or an older one after a newer, changes nothing; a deletion stays deleted")
    func idempotentAndOrdered() async throws {
        let fixture = try await ReportingFixture.make("reportversions")
        let coordinator = try await TestTenant.create(in: fixture.database, slug: "roeselare", role: .coordinator)
        let partnership = UUID()
        func state(_ version: Int, title: String) -> ActivityState {
            ActivityState(
                id: ActivityID(rawValue: UUID(uuidString: "00000000-0000-4000-8000-00000000000A")!),
                partnershipId: partnership, title: title, kind: .other, status: .planned, startsOn: nil, endsOn: nil,
                direction: .mutual, sdgTargets: [], sdgGoals: [], themes: [], budget: nil, fundingSource: nil,
                participants: nil, version: version)
        }
        func titles() async throws -> [String] {
            try await fixture.pool.withTransaction(tenantID: coordinator.tenantID) { connection in
                try await connection.query("SELECT title || ':' || version || ':' || deleted FROM reporting.activities")
                    .map { try $0.decode(String.self, column: 0) }
            }
        }
        try await fixture.pool.withTransaction(tenantID: coordinator.tenantID) { connection in
            try await ReadModel.apply(
                state(2, title: "second"), deleted: false, tenant: coordinator.tenantID, at: Date(), on: connection)
            try await ReadModel.apply(
                state(2, title: "second"), deleted: false, tenant: coordinator.tenantID, at: Date(), on: connection)
            try await ReadModel.apply(
                state(1, title: "first"), deleted: false, tenant: coordinator.tenantID, at: Date(), on: connection)
        }
        #expect(try await titles() == ["second:2:false"])
        try await fixture.pool.withTransaction(tenantID: coordinator.tenantID) { connection in
            try await ReadModel.apply(
                state(3, title: "second"), deleted: true, tenant: coordinator.tenantID, at: Date(), on: connection)
            try await ReadModel.apply(
                state(2, title: "second"), deleted: false, tenant: coordinator.tenantID, at: Date(), on: connection)
        }
        #expect(try await titles() == ["second:3:true"])
    }

    @Test("a rebuild from the kept events equals the live model")
    func rebuildEqualsLive() async throws {
        let fixture = try await ReportingFixture.make("reportrebuild")
        let coordinator = try await TestTenant.create(in: fixture.database, slug: "roeselare", role: .coordinator)
        let partner = try await TestTenant.create(in: fixture.database, slug: "roeselare", role: .partnerCoordinator)
        let id = try await scenario(fixture, as: coordinator)
        try await Application(router: fixture.router).test(.router) { client in
            _ = try await client.send(
                .post, "/api/v1/partnerships/\(id)/members", as: coordinator,
                json: #"{"userId": "\#(partner.userID)", "role": "partner_coordinator"}"#)
            _ = try await client.send(
                .patch, "/api/v1/partnerships/\(id)", as: coordinator, json: #"{"status": "suspended"}"#)
        }
        try await fixture.workers.drain()
        let live = try await fixture.snapshot()
        #expect(live.filter { $0.hasPrefix("p ") || $0.hasPrefix("a ") }.count == 4)
        // The members are kept from the events, and replayed alike.
        #expect(
            live.filter { $0.hasPrefix("m ") }.map { $0.contains(partner.userID.uuidString.lowercased()) } == [true])
        // The figures are there, and a rebuild sums them afresh in SQL: the two must agree.
        #expect(live.contains { $0.hasPrefix("f ") && $0.contains(",target,6.2,EUR,") })
        #expect(live.contains { $0.hasPrefix("r ") })
        let replayed = try await ReportingPlugin.rebuild(tenants: [coordinator.tenantID], pool: fixture.pool)
        #expect(replayed[coordinator.tenantID] ?? 0 >= 5)
        #expect(try await fixture.snapshot() == live)
    }

    @Test("after a deletion and a new partner country, a rebuild still equals live")
    func rebuildEqualsLiveAfterChanges() async throws {
        let fixture = try await ReportingFixture.make("reportrebuild2")
        let coordinator = try await TestTenant.create(in: fixture.database, slug: "roeselare", role: .coordinator)
        let first = try await scenario(fixture, as: coordinator)
        let second = try await scenario(fixture, as: coordinator)
        try await fixture.workers.drain()
        try await Application(router: fixture.router).test(.router) { client in
            let list = try object(try await client.send(.get, "/api/v1/activities?limit=200", as: coordinator))
            let items = try #require(list["items"] as? [[String: Any]])
            let doomed = try #require(items.first { $0["title"] as? String == "A" }?["id"] as? String)
            #expect(try await client.send(.delete, "/api/v1/activities/\(doomed)", as: coordinator).status.code < 300)
            for partnership in [first, second] {
                #expect(
                    try await client.send(
                        .patch, "/api/v1/partnerships/\(partnership)", as: coordinator,
                        json: #"{"partner": {"name": "Tambacounda", "country": "SN"}}"#
                    ).status == .ok)
            }
        }
        try await fixture.workers.drain()
        let live = try await fixture.snapshot()
        #expect(live.contains { $0.hasPrefix("f ") && $0.contains(",country,SN,") })
        #expect(!live.contains { $0.hasPrefix("f ") && $0.contains(",country,BJ,") })
        _ = try await ReportingPlugin.rebuild(tenants: [coordinator.tenantID], pool: fixture.pool)
        #expect(try await fixture.snapshot() == live)
    }
}

enum Golden {
    /// Compares with `Golden/<name>`; `STEDENBAND_UPDATE_GOLDEN=1` rewrites the file first.
    static func compare(_ text: String, _ name: String) throws {
        let path = TestPaths.root + "/Tests/ReportingTests/Golden/" + name
        if ProcessInfo.processInfo.environment["STEDENBAND_UPDATE_GOLDEN"] == "1" {
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        }
        #expect(text == (try String(contentsOfFile: path, encoding: .utf8)), "\(name) differs from its golden file")
    }
}

/// A real browser: Chromium, headless, draws the page; the screenshot's pixels show what it drew.
enum Browser {
    /// Fails unless each colour is drawn (`true`) or absent (`false`) in a screenshot of `html`, whose
    /// `/assets/stedenband.css` is the gateway's stylesheet, saved beside the page.
    static func checkDrawn(_ html: String, colours: [String: Bool]) async throws {
        let candidates = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]
        let browser = try #require(
            candidates.first { FileManager.default.isExecutableFile(atPath: $0) },
            "no Chromium: apt-get install chromium (scripts/install-deps does)")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("stedenband-browser-\(UUID())").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.createDirectory(atPath: folder + "/assets", withIntermediateDirectories: true)
        try PageShell.standard.stylesheet.write(
            toFile: folder + "/assets/stedenband.css", atomically: true, encoding: .utf8)
        let page = html.replacingOccurrences(of: #"href="/assets/"#, with: #"href="assets/"#)
        try page.write(toFile: folder + "/page.html", atomically: true, encoding: .utf8)
        let shot = try await ChildProcess.run(
            browser,
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--user-data-dir=\(folder)/profile",
                "--window-size=1000,1600", "--screenshot=\(folder)/page.png", "file://\(folder)/page.html",
            ], timeout: .seconds(60))
        try #require(shot.status == 0 && FileManager.default.fileExists(atPath: folder + "/page.png"), "\(shot.stderr)")
        let python = try await TestPython.interpreter()
        let counted = try await ChildProcess.run(
            python, [TestPython.script("png_colours.py"), folder + "/page.png"] + Array(colours.keys))
        let pixels = try #require(
            try JSONSerialization.jsonObject(with: Data(counted.stdout.utf8)) as? [String: Int], "\(counted.stderr)")
        for (colour, drawn) in colours {
            #expect((pixels[colour] ?? 0 > 500) == drawn, "#\(colour): \(pixels[colour] ?? 0) pixels")
        }
    }
}
