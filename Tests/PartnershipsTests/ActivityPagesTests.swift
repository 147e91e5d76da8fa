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
import TestSupport
import Testing

/// Renders the partnership page's sections at `/probe/partnerships/{id}/sections`, as the Partnerships plugin's
/// page does below its own content: the Activities plugin's section is tested through the same registry.
private struct SectionProbePlugin: Plugin {
    let id = "section-probe"

    func register(into context: inout PluginContext) throws {
        let pages = context.pages
        pages.signedIn.get("probe/partnerships/:id/sections") { _, context in
            guard let text = context.parameters.get("id"), let id = UUID(uuidString: text) else {
                throw Problem.notFound()
            }
            let html = try await pages.partnershipSections.render(id, context: context)
            return pages.shell.respond(
                title: "sections", content: "<h1>sections</h1>" + html.joined(), context: context)
        }
    }
}

/// The whole server's pages (Partnerships and Activities) on a database of its own; people sign in by a link.
private struct ActivityPagesFixture: Sendable {
    let database: TestDatabase
    let pool: PostgresConnectionPool
    let environment: GatewayEnvironment

    static func make(_ label: String) async throws -> (ActivityPagesFixture, Router<GatewayRequestContext>) {
        let database = try await TestDatabase.migrated(label)
        let logger = TestLogger.make(label)
        let pool = PostgresConnectionPool(
            configuration: .init(connection: database.appConfiguration, maximumConnections: 4), logger: logger)
        let environment = GatewayEnvironment(
            pool: pool, readiness: Ready(), logger: logger, addressLimiter: RateLimiter(rate: 10_000, burst: 10_000))
        let router = buildRouter(environment: environment)
        _ = try Kernel.assemble(
            plugins: [PartnershipsPlugin(), ActivitiesPlugin(), SectionProbePlugin()],
            configuration: KernelConfiguration(), router: router, environment: environment, queue: PostgresJobQueue(),
            logger: logger)
        return (ActivityPagesFixture(database: database, pool: pool, environment: environment), router)
    }

    /// A browser signed in as `email` through a link's confirm page.
    func browser(_ client: some TestClientProtocol, as email: String) async throws -> TestBrowser {
        let issued = try await SignInLinks(
            settings: environment.settings.sessions, mail: nil, logger: environment.logger
        ).issue(for: email, at: Date(), pool: pool)
        let link = String(try #require(issued.first?.url).dropFirst(environment.settings.sessions.publicURL.count))
        let browser = TestBrowser(client)
        try await browser.get(link)
        #expect(try await browser.post(link).status == .seeOther)
        return browser
    }
}

/// Posts `fields` as a form, repeated names and all (checkboxes), with `browser`'s cookies and CSRF token.
private func post(
    _ fields: [(String, String)], to uri: String, as browser: TestBrowser, _ client: some TestClientProtocol
) async throws -> TestResponse {
    var allowed = CharacterSet.alphanumerics
    allowed.insert(charactersIn: "-._~")
    func encode(_ text: String) -> String { text.addingPercentEncoding(withAllowedCharacters: allowed) ?? "" }
    let body = ([("csrf", browser.csrf ?? "")] + fields).map { "\(encode($0.0))=\(encode($0.1))" }
        .joined(separator: "&")
    let cookie = browser.cookies.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")
    return try await client.executeRequest(
        uri: uri, method: .post,
        headers: [.contentType: "application/x-www-form-urlencoded", .cookie: cookie],
        body: ByteBuffer(string: body))
}

extension TestResponse {
    fileprivate var html: String { String(buffer: body) }
    fileprivate var redirect: String? { headers[.location] }
}

@Suite("The activities' pages: record, show, edit, post updates, search, with the API's permissions")
struct ActivityPagesTests {
    struct Created: Decodable {
        var id: UUID
    }

    /// The activity form filled in as a coordinator would.
    static let handwashing: [(String, String)] = [
        ("title", "Handwashing stations at the market"), ("description", "Hygiene campaign during the lockdown."),
        ("kind", "emergency_support"), ("status", "ongoing"), ("direction", "north_to_south"),
        ("startsOn", "2020-04-01"), ("endsOn", "2020-06-30"), ("sdgTargets", "6.2"), ("sdgTargets", "3.d"),
        ("themes", "covid-19, hygiene"), ("budget.planned", "12500.00"), ("budget.spent", "11800.50"),
        ("budget.currency", "EUR"),
    ]

    @Test(
        "a coordinator records an activity, sees it with names and money, posts an update and edits it; errors stay beside their fields"
    )
    func coordinatorRecordsShowsPostsAndEdits() async throws {
        let (fixture, router) = try await ActivityPagesFixture.make("activitypages")
        let coordinator = try await TestTenant.create(
            in: fixture.database, slug: "roeselare", role: .coordinator, email: "coordinator@roeselare.be")
        try await Application(router: router).test(.router) { client in
            let partnership = try decode(
                Created.self,
                try await client.send(
                    .post, "/api/v1/partnerships", as: coordinator,
                    json: #"{"title": "Roeselare–Dogbo", "partner": {"name": "Dogbo", "country": "BJ"}}"#)
            ).id
            let p = partnership.uuidString.lowercased()
            let browser = try await fixture.browser(client, as: "coordinator@roeselare.be")

            let form = try await browser.get("/partnerships/\(p)/activities/new")
            #expect(form.status == .ok)
            #expect(form.html.contains(#"<form method="post" action="/partnerships/\#(p)/activities/new""#))
            for field in ["title", "kind", "status", "direction", "startsOn", "endsOn", "themes", "budget.planned"] {
                #expect(form.html.contains(#"<label for="\#(field)">"#), "no label for \(field)")
            }
            #expect(form.html.contains(#"name="sdgTargets" value="3.d""#))
            #expect(form.html.contains(#"type="date" id="startsOn" name="startsOn""#))
            #expect(form.body.readableBytes < 60_000, "the form weighs \(form.body.readableBytes) bytes")

            // A refusal: 422, the summary links to each field, the message beside it in Dutch, the input kept.
            var bad = Self.handwashing.filter { $0.0 != "title" && $0.0 != "budget.planned" }
            bad += [("title", ""), ("budget.planned", "12,5")]
            let refused = try await post(bad, to: "/partnerships/\(p)/activities/new", as: browser, client)
            #expect(refused.status == .unprocessableContent)
            #expect(refused.html.contains(##"<a href="#title">Vul een titel in van hoogstens 200 tekens</a>"##))
            #expect(
                refused.html.contains(#"id="title-error""#) && refused.html.contains(#"aria-describedby="title-error""#)
            )
            #expect(refused.html.contains(##"<a href="#budget.planned">Vul het geplande bedrag in"##))
            #expect(refused.html.contains(#"value="12,5""#) && refused.html.contains(#"value="covid-19, hygiene""#))
            #expect(refused.html.contains(#"value="3.d" checked"#) && refused.html.contains(#"value="6.2" checked"#))
            #expect(
                try decode(ActivityPage.self, try await client.send(.get, "/api/v1/activities", as: coordinator))
                    .items.isEmpty)

            let recorded = try await post(
                Self.handwashing, to: "/partnerships/\(p)/activities/new", as: browser, client)
            #expect(recorded.status == .seeOther)
            let location = try #require(recorded.redirect)
            let id = try #require(UUID(uuidString: String(location.dropFirst("/activities/".count))))
            let stored = try decode(
                Activity.self, try await client.send(.get, "/api/v1/activities/\(id)", as: coordinator))
            #expect(stored.sdgTargets == ["3.d", "6.2"] && stored.themes == ["covid-19", "hygiene"])
            #expect(stored.budget == Activity.Money(planned: "12500.00", spent: "11800.50", currency: "EUR"))
            #expect(stored.status == "ongoing" && stored.direction == "north_to_south")

            let page = try await browser.get(location)
            #expect(page.status == .ok)
            #expect(page.html.contains("<h1>Handwashing stations at the market</h1>"))
            #expect(page.html.contains(#"<a href="/partnerships/\#(p)">Roeselare–Dogbo</a>"#))
            #expect(page.html.contains("<strong>6.2</strong>") && page.html.contains("Schoon water en sanitair"))
            #expect(page.html.contains("12.500,00") && page.html.contains("11.800,50"))
            #expect(page.html.contains("1 april 2020") && page.html.contains("noodhulp"))
            #expect(page.html.contains(#"href="/activities/\#(id.uuidString.lowercased())/edit""#))
            #expect(page.html.contains(#"id="no-updates""#))

            // An update: refused when empty (beside the field), posted otherwise, newest first.
            let updates = "/activities/\(id.uuidString.lowercased())/updates"
            let empty = try await browser.post(updates, form: ["body": "  "])
            #expect(empty.status == .unprocessableContent && empty.html.contains(#"id="body-error""#))
            #expect(
                try await browser.post(updates, form: ["body": "Stations installed at both markets."]).redirect
                    == "/activities/\(id.uuidString.lowercased())#updates")
            #expect(try await browser.post(updates, form: ["body": "Soap restocked."]).status == .seeOther)
            let withUpdates = try await browser.get(location).html
            let newest = try #require(withUpdates.range(of: "Soap restocked."))
            let oldest = try #require(withUpdates.range(of: "Stations installed at both markets."))
            #expect(newest.lowerBound < oldest.lowerBound)
            #expect(withUpdates.contains("Test coordinator ·"))
            let firstPage = try await browser.get(location + "?limit=1")
            #expect(firstPage.html.contains("Soap restocked.") && !firstPage.html.contains("Stations installed"))
            let older = try #require(firstPage.html.firstMatch(of: #/href="([^"]+)" rel="next"/#)).output.1
            let secondPage = try await browser.get(String(older).replacingOccurrences(of: "&amp;", with: "&"))
            #expect(secondPage.html.contains("Stations installed") && !secondPage.html.contains("Soap restocked."))

            // Edit: the form carries the version; a save goes through; a stale one shows what changed.
            let edit = try await browser.get("\(location)/edit")
            #expect(edit.status == .ok && edit.html.contains(#"name="version" value="1""#))
            #expect(edit.html.contains(#"value="Handwashing stations at the market""#))
            var renamed = Self.handwashing.filter { $0.0 != "title" }
            renamed += [("title", "Handwashing stations at two markets"), ("version", "1")]
            #expect(try await post(renamed, to: "\(location)/edit", as: browser, client).redirect == location)
            var stale = Self.handwashing.filter { $0.0 != "title" }
            stale += [("title", "An edit made on an old form"), ("version", "1")]
            let conflict = try await post(stale, to: "\(location)/edit", as: browser, client)
            #expect(conflict.status == .conflict)
            #expect(conflict.html.contains(#"id="stale""#) && conflict.html.contains("gewijzigd sinds je ze opende"))
            #expect(conflict.html.contains(#"id="title-stored""#))
            #expect(conflict.html.contains("Nu bewaard: Handwashing stations at two markets"))
            #expect(conflict.html.contains(#"value="An edit made on an old form""#))
            #expect(conflict.html.contains(#"name="version" value="2""#))
            let after = try decode(
                Activity.self, try await client.send(.get, "/api/v1/activities/\(id)", as: coordinator))
            #expect(after.title == "Handwashing stations at two markets" && after.version == 2)

            // An edit that is refused keeps what was typed and writes nothing.
            var wrong = Self.handwashing.filter { $0.0 != "endsOn" }
            wrong += [("endsOn", "2020-03-01"), ("version", "2")]
            let order = try await post(wrong, to: "\(location)/edit", as: browser, client)
            #expect(order.status == .unprocessableContent)
            #expect(order.html.contains("De einddatum mag niet voor de begindatum liggen"))
            #expect(order.html.contains(#"value="2020-03-01""#))

            // The section of the partnership's page lists it with a link to record another.
            let section = try await browser.get("/probe/partnerships/\(p)/sections")
            #expect(
                section.html.contains(
                    #"<a href="/activities/\#(id.uuidString.lowercased())">Handwashing stations at two markets</a>"#))
            #expect(section.html.contains(#"id="record-activity""#))
            let partnershipPage = try await browser.get("/partnerships/\(p)")
            #expect(partnershipPage.status == .ok && partnershipPage.html.contains(#"id="partnership-activities""#))
            #expect(partnershipPage.html.contains("Handwashing stations at two markets"))

            // Without its CSRF token, a form is refused and nothing is posted.
            let forged = try await browser.post(updates, form: ["body": "forged"], csrf: .some(nil))
            #expect(forged.status == .forbidden)
            #expect(!(try await browser.get(location).html.contains("forged")))
        }
    }

    @Test(
        "a partner coordinator sees and posts in their partnership only; a viewer reads; another municipality gets 404")
    func permissionsAreTheAPIs() async throws {
        let (fixture, router) = try await ActivityPagesFixture.make("activitypagesscope")
        let coordinator = try await TestTenant.create(
            in: fixture.database, slug: "herent", role: .coordinator, email: "coordinator@herent.be")
        let partner = try await TestTenant.create(
            in: fixture.database, slug: "herent", role: .partnerCoordinator, email: "partner@nimlahakok.gt")
        _ = try await TestTenant.create(in: fixture.database, slug: "herent", role: .viewer, email: "viewer@herent.be")
        _ = try await TestTenant.create(
            in: fixture.database, slug: "leuven", role: .coordinator, email: "coordinator@leuven.be")
        try await Application(router: router).test(.router) { client in
            func partnership(_ title: String) async throws -> String {
                try decode(
                    Created.self,
                    try await client.send(
                        .post, "/api/v1/partnerships", as: coordinator,
                        json: #"{"title": "\#(title)", "partner": {"name": "\#(title)", "country": "GT"}}"#)
                ).id.uuidString.lowercased()
            }
            func activity(_ title: String, in partnership: String) async throws -> String {
                try decode(
                    Created.self,
                    try await client.send(
                        .post, "/api/v1/partnerships/\(partnership)/activities", as: coordinator,
                        json:
                            #"{"title": "\#(title)", "kind": "study_visit", "direction": "mutual", "sdgTargets": ["6.1"], "startsOn": "2020-05-01"}"#
                    )
                ).id.uuidString.lowercased()
            }
            let theirs = try await partnership("Herent–Nimlaha'kok")
            let other = try await partnership("Herent–Elsewhere")
            #expect(
                try await client.send(
                    .post, "/api/v1/partnerships/\(theirs)/members", as: coordinator,
                    json: #"{"userId": "\#(partner.userID)", "role": "partner_coordinator"}"#
                ).status == .created)
            let visit = try await activity("Water committee visit", in: theirs)
            let hidden = try await activity("Market study", in: other)

            let partnerBrowser = try await fixture.browser(client, as: "partner@nimlahakok.gt")
            let list = try await partnerBrowser.get("/activities")
            #expect(!list.html.contains(#"href="/import""#))
            #expect(list.status == .ok && list.html.contains("Water committee visit"))
            #expect(!list.html.contains("Market study") && !list.html.contains("Herent–Elsewhere"))
            #expect(try await partnerBrowser.get("/activities/\(hidden)").status == .notFound)
            #expect(try await partnerBrowser.get("/partnerships/\(other)/activities/new").status == .notFound)
            let visible = try await partnerBrowser.get("/activities/\(visit)")
            #expect(visible.status == .ok && visible.html.contains(#"action="/activities/\#(visit)/updates""#))
            #expect(!visible.html.contains("/edit\""))
            #expect(try await partnerBrowser.get("/activities/\(visit)/edit").status == .forbidden)
            #expect(try await partnerBrowser.get("/partnerships/\(theirs)/activities/new").status == .forbidden)
            #expect(
                try await partnerBrowser.post("/activities/\(visit)/updates", form: ["body": "Committee met."]).status
                    == .seeOther)
            #expect(
                try await partnerBrowser.post("/activities/\(hidden)/updates", form: ["body": "x"]).status == .notFound)
            let section = try await partnerBrowser.get("/probe/partnerships/\(theirs)/sections")
            #expect(section.html.contains("Water committee visit") && !section.html.contains(#"id="record-activity""#))

            let viewer = try await fixture.browser(client, as: "viewer@herent.be")
            let read = try await viewer.get("/activities/\(visit)")
            #expect(read.status == .ok && read.html.contains("Committee met."))
            #expect(!read.html.contains(#"action="/activities/\#(visit)/updates""#))
            #expect(try await viewer.post("/activities/\(visit)/updates", form: ["body": "x"]).status == .forbidden)
            #expect(try await viewer.get("/partnerships/\(theirs)/activities/new").status == .forbidden)

            let stranger = try await fixture.browser(client, as: "coordinator@leuven.be")
            let foreign = try await stranger.get("/activities/\(visit)")
            #expect(foreign.status == .notFound && !foreign.html.contains("Water committee"))
            #expect(try await stranger.get("/activities/\(visit)/edit").status == .notFound)
            #expect(try await stranger.get("/partnerships/\(theirs)/activities/new").status == .notFound)
            #expect(try await stranger.post("/activities/\(visit)/updates", form: ["body": "x"]).status == .notFound)
            let none = try await stranger.get("/activities")
            #expect(none.status == .ok && !none.html.contains("Water committee") && !none.html.contains("Market study"))
        }
    }

    @Test(
        "a coordinator chooses DAC sectors on their own page: ticked ones saved and named on the activity, eleven refused beside the list, a stale page kept"
    )
    func coordinatorChoosesSectors() async throws {
        let (fixture, router) = try await ActivityPagesFixture.make("activitysectorspage")
        let coordinator = try await TestTenant.create(
            in: fixture.database, slug: "roeselare", role: .coordinator, email: "coordinator@roeselare.be")
        _ = try await TestTenant.create(
            in: fixture.database, slug: "roeselare", role: .viewer, email: "viewer@roeselare.be")
        try await Application(router: router).test(.router) { client in
            let partnership = try decode(
                Created.self,
                try await client.send(
                    .post, "/api/v1/partnerships", as: coordinator,
                    json: #"{"title": "Roeselare–Dogbo", "partner": {"name": "Dogbo", "country": "BJ"}}"#)
            ).id
            let activity = try decode(
                Created.self,
                try await client.send(
                    .post, "/api/v1/partnerships/\(partnership)/activities", as: coordinator,
                    json:
                        #"{"title": "Digital birth registration", "kind": "knowledge_exchange", "direction": "mutual"}"#
                )
            ).id.uuidString.lowercased()
            let browser = try await fixture.browser(client, as: "coordinator@roeselare.be")
            let shown = try await browser.get("/activities/\(activity)")
            #expect(shown.html.contains(#"<a href="/activities/\#(activity)/sectors" id="choose-sectors">"#))
            let page = try await browser.get("/activities/\(activity)/sectors")
            #expect(page.status == .ok)
            #expect(page.html.contains(#"name="dacSectors" value="15112""#) && page.html.contains("Decentralisation"))
            #expect(page.body.readableBytes < 60_000, "the page weighs \(page.body.readableBytes) bytes")

            let eleven = [
                "11110", "11120", "11130", "11182", "11220", "11230", "11231", "11232", "11240", "11250", "11260",
            ]
            .map { ("dacSectors", $0) }
            let refused = try await post(
                [("version", "1")] + eleven, to: "/activities/\(activity)/sectors", as: browser, client)
            #expect(refused.status == .unprocessableContent)
            #expect(refused.html.contains(#"id="dacSectors-error">Kies hoogstens tien sectoren"#))
            #expect(refused.html.contains(#"value="\#(eleven[10].1)" checked"#))
            let saved = try await post(
                [("version", "1"), ("dacSectors", "15112"), ("dacSectors", "13020")],
                to: "/activities/\(activity)/sectors", as: browser, client)
            #expect(saved.status == .seeOther && saved.redirect == "/activities/\(activity)#dac-sectors")
            struct Sectors: Decodable { var dacSectors: [String] }
            let stored = try decode(
                Sectors.self, try await client.send(.get, "/api/v1/activities/\(activity)", as: coordinator))
            #expect(stored.dacSectors == ["15112", "13020"])
            let named = try await browser.get("/activities/\(activity)")
            #expect(
                named.html.contains("<li><strong>15112</strong> Decentralisation and support to subnational government")
            )
            // Opened at version 1, saved after another change: the page again, the ticks kept, the new version.
            let stale = try await post(
                [("version", "1"), ("dacSectors", "16010")], to: "/activities/\(activity)/sectors", as: browser, client)
            #expect(stale.status == .conflict)
            #expect(stale.html.contains(#"id="stale""#) && stale.html.contains(#"value="16010" checked"#))
            #expect(stale.html.contains(#"name="version" value="2""#))
            let viewer = try await fixture.browser(client, as: "viewer@roeselare.be")
            #expect(try await viewer.get("/activities/\(activity)/sectors").status == .forbidden)
            #expect(!(try await viewer.get("/activities/\(activity)")).html.contains("choose-sectors"))
        }
    }

    @Test("the search page filters as the API does, pages with the cursor, and shows a bad filter beside its field")
    func searchFiltersAndPages() async throws {
        let (fixture, router) = try await ActivityPagesFixture.make("activitypagessearch")
        let coordinator = try await TestTenant.create(
            in: fixture.database, slug: "leuven", role: .coordinator, email: "coordinator@leuven.be")
        try await Application(router: router).test(.router) { client in
            let partnership = try decode(
                Created.self,
                try await client.send(
                    .post, "/api/v1/partnerships", as: coordinator,
                    json: #"{"title": "Leuven–Para", "partner": {"name": "Para", "country": "NI"}}"#)
            ).id.uuidString.lowercased()
            for (title, target, status) in [
                ("Clean water plan", "6.1", "completed"), ("School gardens", "2.4", "planned"),
                ("Water tariffs study", "6.4", "ongoing"),
            ] {
                #expect(
                    try await client.send(
                        .post, "/api/v1/partnerships/\(partnership)/activities", as: coordinator,
                        json:
                            #"{"title": "\#(title)", "kind": "knowledge_exchange", "direction": "mutual", "status": "\#(status)", "sdgTargets": ["\#(target)"], "startsOn": "2021-03-01"}"#
                    ).status == .created)
            }
            let browser = try await fixture.browser(client, as: "coordinator@leuven.be")
            let all = try await browser.get("/activities")
            #expect(all.status == .ok && all.html.contains(#"<form method="get" action="/activities""#))
            #expect(all.html.contains("Clean water plan") && all.html.contains("School gardens"))
            #expect(all.html.contains(#"<th scope="col">"#) && all.html.contains(#"<label for="sdg">"#))
            #expect(all.html.contains(#"<a href="/import" id="import-link">"#))

            // The form sends every field, empty or not: empty ones filter nothing.
            let water = try await browser.get(
                "/activities?q=&partnershipId=&status=&kind=&direction=&sdg=6&target=&theme=&year=2021")
            #expect(water.html.contains("Clean water plan") && water.html.contains("Water tariffs study"))
            #expect(!water.html.contains("School gardens"))
            #expect(water.html.contains(#"<option value="6" selected>"#))
            let done = try await browser.get("/activities?status=completed&partnershipId=\(partnership)")
            #expect(done.html.contains("Clean water plan") && !done.html.contains("Water tariffs study"))
            let words = try await browser.get("/activities?q=gardens")
            #expect(words.html.contains("School gardens") && !words.html.contains("Clean water plan"))

            // Paged: one at a time, the next link carries the filter and the cursor.
            var seen: [String] = []
            var uri: String? = "/activities?sdg=6&limit=1"
            while let next = uri, seen.count < 5 {
                let page = try await browser.get(next)
                #expect(page.status == .ok)
                seen += ["Clean water plan", "Water tariffs study", "School gardens"].filter { page.html.contains($0) }
                uri = page.html.firstMatch(of: #/href="([^"]+)" rel="next"/#).map {
                    String($0.output.1).replacingOccurrences(of: "&amp;", with: "&")
                }
                if let uri { #expect(uri.contains("sdg=6") && uri.contains("limit=1") && uri.contains("cursor=")) }
            }
            #expect(seen.sorted() == ["Clean water plan", "Water tariffs study"])

            let bad = try await browser.get("/activities?year=twenty&target=99.9")
            #expect(bad.status == .unprocessableContent)
            #expect(bad.html.contains(##"<a href="#year">Vul een jaar in zoals 2020</a>"##))
            #expect(bad.html.contains(#"id="target-error""#) && bad.html.contains(#"value="twenty""#))
        }
    }

    @Test(
        "/import uploads a CSV: a bad row imports nothing and is shown with its column and reason; a good file imports")
    func importUploadsACSV() async throws {
        let (fixture, router) = try await ActivityPagesFixture.make("activitypagesimport")
        let coordinator = try await TestTenant.create(
            in: fixture.database, slug: "roeselare", role: .coordinator, email: "coordinator@roeselare.be")
        _ = try await TestTenant.create(
            in: fixture.database, slug: "roeselare", role: .viewer, email: "viewer@roeselare.be")
        try await Application(router: router).test(.router) { client in
            _ = try await client.send(
                .post, "/api/v1/partnerships", as: coordinator,
                json: #"{"title": "Roeselare–Dogbo", "partner": {"name": "Dogbo", "country": "BJ"}}"#)
            let browser = try await fixture.browser(client, as: "coordinator@roeselare.be")
            let form = try await browser.get("/import")
            #expect(form.status == .ok)
            #expect(form.html.contains(#"enctype="multipart/form-data""#) && form.html.contains(#"<label for="file">"#))

            func upload(_ csv: String, csrf: String?) async throws -> TestResponse {
                let boundary = "----stedenband-test-boundary"
                var body = ""
                if let csrf {
                    body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n\(csrf)\r\n"
                }
                body +=
                    "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"activities.csv\"\r\n"
                    + "Content-Type: text/csv\r\n\r\n\(csv)\r\n--\(boundary)--\r\n"
                let cookie = browser.cookies.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
                    .joined(separator: "; ")
                return try await client.executeRequest(
                    uri: "/import", method: .post,
                    headers: [.contentType: "multipart/form-data; boundary=\(boundary)", .cookie: cookie],
                    body: ByteBuffer(string: body))
            }
            let bad = """
                partnership;title;kind;direction;startsOn
                Roeselare–Dogbo;Good row;other;mutual;2020-01-01
                Roeselare–Dogbo;Bad kind;party;mutual;

                """
            let refused = try await upload(bad, csrf: browser.csrf)
            #expect(refused.status == .unprocessableContent)
            #expect(refused.html.contains(#"<table aria-labelledby="import-problems" id="problems">"#))
            // The reason in the person's language (Dutch), the API's allowed values in it.
            #expect(refused.html.contains("<tr><td>3</td><td>kind</td><td>Moet een van deze zijn: knowledge_exchange"))
            #expect(!refused.html.contains("must be one of"))
            #expect(refused.html.contains("Het bestand is niet geïmporteerd"))
            #expect(
                try decode(ActivityPage.self, try await client.send(.get, "/api/v1/activities", as: coordinator))
                    .items.isEmpty)

            #expect(try await upload(bad, csrf: nil).status == .forbidden)

            let good = bad.replacingOccurrences(of: "party", with: "study_visit")
            let imported = try await upload(good, csrf: browser.csrf)
            #expect(imported.status == .seeOther && imported.redirect == "/import?imported=2")
            #expect(try await browser.get("/import?imported=2").html.contains("2 activiteiten geïmporteerd."))
            #expect(
                try decode(ActivityPage.self, try await client.send(.get, "/api/v1/activities", as: coordinator))
                    .items.map(\.title).sorted() == ["Bad kind", "Good row"])

            let viewer = try await fixture.browser(client, as: "viewer@roeselare.be")
            #expect(try await viewer.get("/import").status == .forbidden)
        }
    }

    @Test(
        "/import words each bad row's reason in the person's language: French for a French coordinator; the API stays English"
    )
    func importReasonsInFrench() async throws {
        let (fixture, router) = try await ActivityPagesFixture.make("activitypagesimportfr")
        let coordinator = try await TestTenant.create(
            in: fixture.database, slug: "roeselare", role: .coordinator, email: "coordinatrice@roeselare.be")
        let admin = try await fixture.database.connectAsAdmin()
        try await admin.query("UPDATE platform.users SET locale = 'fr' WHERE email = 'coordinatrice@roeselare.be'")
        await admin.close()
        try await Application(router: router).test(.router) { client in
            _ = try await client.send(
                .post, "/api/v1/partnerships", as: coordinator,
                json: #"{"title": "Roeselare–Dogbo", "partner": {"name": "Dogbo", "country": "BJ"}}"#)
            let browser = try await fixture.browser(client, as: "coordinatrice@roeselare.be")
            let form = try await browser.get("/import")
            #expect(form.html.contains(#"<html lang="fr">"#))
            let boundary = "----stedenband-test-boundary"
            let csv = """
                partnership;title;kind;direction;startsOn;budgetPlanned
                Roeselare–Dogbo;Bonne ligne;other;mutual;2020-01-01;100
                Roeselare–Tambacounda;Partenariat inconnu;other;mutual;;
                Roeselare–Dogbo;Mauvaise date;other;mutual;31/02/2020;-5

                """
            let body =
                "--\(boundary)\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n\(browser.csrf ?? "")\r\n"
                + "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"activites.csv\"\r\n"
                + "Content-Type: text/csv\r\n\r\n\(csv)\r\n--\(boundary)--\r\n"
            let cookie = browser.cookies.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
                .joined(separator: "; ")
            let refused = try await client.executeRequest(
                uri: "/import", method: .post,
                headers: [.contentType: "multipart/form-data; boundary=\(boundary)", .cookie: cookie],
                body: ByteBuffer(string: body))
            #expect(refused.status == .unprocessableContent)
            let html = refused.html
            #expect(
                html.contains(
                    "<tr><td>3</td><td>partnership</td><td>Aucun partenariat de la commune n’a ce titre ou cet identifiant.</td></tr>"
                ))
            #expect(
                html.contains(
                    "<tr><td>4</td><td>startsOn</td><td>Saisissez une date au format AAAA-MM-JJ ou JJ/MM/AAAA.</td></tr>"
                ))
            #expect(
                html.contains(
                    "<tr><td>4</td><td>budgetPlanned</td><td>Saisissez un montant comme 12500.00, non négatif.</td></tr>"
                ))
            #expect(!html.contains("no partnership of this municipality") && !html.contains("must be"))
            #expect(
                try decode(ActivityPage.self, try await client.send(.get, "/api/v1/activities", as: coordinator))
                    .items.isEmpty)
            // The API answers the same file in English, as it always has.
            let api = try await client.executeRequest(
                uri: "/api/v1/imports/activities", method: .post,
                headers: [.authorization: coordinator.authorization, .contentType: "text/csv"],
                body: ByteBuffer(string: csv))
            #expect(api.status == .unprocessableContent)
            let problem = String(buffer: api.body)
            #expect(
                problem.contains(
                    #"{"field":"row 3: partnership","message":"no partnership of this municipality has this title or id"}"#
                ))
            #expect(problem.contains(#""message":"must be a date as YYYY-MM-DD or DD/MM/YYYY""#))
        }
    }
}
