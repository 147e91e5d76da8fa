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

/// The gateway with the Partnerships and Activities plugins and their pages on a database of its own, and a
/// municipality with a coordinator, a partner coordinator and a viewer, and another municipality.
struct PartnershipPagesFixture: Sendable {
    let database: TestDatabase
    let pool: PostgresConnectionPool
    let environment: GatewayEnvironment
    let coordinator: TestTenant
    let partner: TestTenant
    let viewer: TestTenant
    let elsewhere: TestTenant

    static func make(_ label: String) async throws -> (PartnershipPagesFixture, Router<GatewayRequestContext>) {
        let database = try await TestDatabase.migrated(label)
        let logger = TestLogger.make(label)
        let pool = PostgresConnectionPool(
            configuration: .init(connection: database.appConfiguration, maximumConnections: 4), logger: logger)
        let environment = GatewayEnvironment(
            pool: pool, readiness: Ready(), logger: logger, rateLimiter: RateLimiter(rate: 100_000, burst: 100_000),
            addressLimiter: RateLimiter(rate: 100_000, burst: 100_000))
        let router = buildRouter(environment: environment)
        _ = try Kernel.assemble(
            plugins: [PartnershipsPlugin(), ActivitiesPlugin()], configuration: KernelConfiguration(),
            router: router, environment: environment, queue: PostgresJobQueue(), logger: logger)
        let fixture = PartnershipPagesFixture(
            database: database, pool: pool, environment: environment,
            coordinator: try await TestTenant.create(
                in: database, slug: "sint-niklaas", role: .coordinator, email: "coordinator@sint-niklaas.be"),
            partner: try await TestTenant.create(
                in: database, slug: "sint-niklaas", role: .partnerCoordinator, email: "partner@tambacounda.sn"),
            viewer: try await TestTenant.create(
                in: database, slug: "sint-niklaas", role: .viewer, email: "viewer@sint-niklaas.be"),
            elsewhere: try await TestTenant.create(
                in: database, slug: "roeselare", role: .coordinator, email: "coordinator@roeselare.be"))
        return (fixture, router)
    }

    /// A browser signed in as `email` through a link's confirm page, as `stedenband sign-in-link` makes it.
    func browser(_ client: any TestClientProtocol, signedInAs email: String) async throws -> TestBrowser {
        let links = SignInLinks(settings: environment.settings.sessions, mail: nil, logger: environment.logger)
        let issued = try await links.issue(for: email, at: Date(), pool: pool)
        let url = try #require(issued.first?.url)
        let link = String(url.dropFirst(environment.settings.sessions.publicURL.count))
        let browser = TestBrowser(client)
        try await browser.get(link)
        let signedIn = try await browser.post(link)
        #expect(signedIn.status == .seeOther)
        return browser
    }

    /// A partnership made through the JSON API.
    func create(_ client: any TestClientProtocol, _ title: String, as who: TestTenant) async throws -> UUID {
        let body = #"{"title": "\#(title)", "partner": {"name": "\#(title) partner", "country": "SN"}}"#
        let response = try await client.send(.post, "/api/v1/partnerships", as: who, json: body)
        #expect(response.status == .created)
        return try decode(Partnership.self, response).id
    }

    func stored(_ client: any TestClientProtocol, _ id: UUID) async throws -> Partnership {
        try decode(Partnership.self, try await client.send(.get, "/api/v1/partnerships/\(id.text)", as: coordinator))
    }
}

@Suite("The partnership pages: list, new, show, edit and members, through the service")
struct PartnershipPagesTests {
    @Test("a coordinator creates a partnership by the form, sees it listed and shown, and edits it by its version")
    func createShowListEdit() async throws {
        let (fixture, router) = try await PartnershipPagesFixture.make("partnership_pages_edit")
        try await Application(router: router).test(.router) { client in
            let browser = try await fixture.browser(client, signedInAs: "coordinator@sint-niklaas.be")

            let dashboard = try await browser.get("/")
            #expect(dashboard.text.contains(#"<a class="button" href="/partnerships/new" id="new-partnership">"#))
            let empty = try await browser.get("/partnerships/new")
            #expect(empty.status == .ok)
            // Every country is a choice, and still the page stays light for a slow, costly connection.
            #expect(empty.body.readableBytes < 60_000, "the form weighs \(empty.body.readableBytes) bytes")
            #expect(empty.text.contains(#"<form method="post" action="/partnerships/new" novalidate>"#))
            #expect(empty.text.contains(#"<label for="title">Titel</label>"#))
            #expect(empty.text.contains(#"<input type="date" id="startedOn" name="startedOn""#))
            #expect(empty.text.contains(#"<option value="SN">Senegal</option>"#))

            // Without its CSRF token the form is refused, and nothing is created.
            let forged = try await browser.post(
                "/partnerships/new", form: ["title": "Forged", "partner.name": "X", "partner.country": "SN"],
                csrf: .some(nil))
            #expect(forged.status == .forbidden)

            // A rule broken: the summary links to the field, the message (in Dutch) is beside it, input kept.
            let refused = try await browser.post(
                "/partnerships/new",
                form: [
                    "title": "", "partner.name": "Tambacounda", "partner.country": "SN", "status": "active",
                    "startedOn": "2003-02-30", "sdgFocus": "16",
                ])
            #expect(refused.status == .unprocessableContent)
            #expect(refused.text.contains(##"<a href="#title">Vul een titel in van 1 tot 200 tekens</a>"##))
            #expect(refused.text.contains(#"<p class="error-message" id="title-error">Vul een titel in"#))
            #expect(refused.text.contains(#"aria-describedby="title-error""#))
            #expect(refused.text.contains(##"<a href="#startedOn">Vul een bestaande datum in</a>"##))
            // The summary reads in the form's order: the title comes before the start date.
            let summary = try #require(refused.text.firstRange(of: ##"<a href="#title">"##))
            #expect(
                refused.text.range(of: ##"<a href="#startedOn">"##).map { summary.lowerBound < $0.lowerBound } == true)
            #expect(refused.text.contains(#"name="partner.name" value="Tambacounda""#))
            #expect(refused.text.contains(#"value="2003-02-30""#))
            #expect(refused.text.contains(#"name="sdgFocus" value="16" checked"#))
            #expect(refused.text.contains(#"<option value="active" selected>actief</option>"#))
            let none = try decode(
                Page.self, try await client.send(.get, "/api/v1/partnerships", as: fixture.coordinator))
            #expect(none.items.isEmpty)

            let created = try await browser.post(
                "/partnerships/new",
                form: [
                    "title": "Sint-Niklaas–Tambacounda", "partner.name": "Tambacounda", "partner.country": "SN",
                    "partner.region": "", "partner.website": "", "status": "active", "startedOn": "2003-01-01",
                    "endedOn": "", "description": "Burgerlijke stand\nen afval.", "sdgFocus": "16",
                ])
            #expect(created.status == .seeOther)
            let location = try #require(created.location)
            let id = try #require(UUID(uuidString: String(location.dropFirst("/partnerships/".count))))
            let record = try await fixture.stored(client, id)
            #expect(record.title == "Sint-Niklaas–Tambacounda" && record.status == "active")
            #expect(record.startedOn == "2003-01-01" && record.sdgFocus == [16] && record.version == 1)

            let shown = try await browser.get(location)
            #expect(shown.status == .ok)
            #expect(shown.text.contains("<h1>Sint-Niklaas–Tambacounda</h1>"))
            #expect(shown.text.contains("<dd>Senegal</dd>") && shown.text.contains("<dd>actief</dd>"))
            #expect(shown.text.contains("<dd>1 januari 2003</dd>"))
            #expect(shown.text.contains("<li>16. "))
            #expect(shown.text.contains(#"<a href="/partnerships/\#(id.text)/edit" id="edit-partnership">"#))
            #expect(shown.text.contains(#"<a href="/partnerships" aria-current="page">Stedenbanden</a>"#))
            let english = try await browser.get(location + "?lang=en")
            #expect(english.text.contains("<dd>January 1, 2003</dd>") && english.text.contains("<dd>active</dd>"))

            // Listed, and filtered as the API filters.
            let listed = try await browser.get("/partnerships")
            #expect(listed.body.readableBytes < 60_000, "the list weighs \(listed.body.readableBytes) bytes")
            #expect(listed.text.contains(#"<a href="/partnerships/\#(id.text)">Sint-Niklaas–Tambacounda</a>"#))
            let active = try await browser.get("/partnerships?status=active&country=&sdg=16")
            #expect(active.text.contains(id.text))
            #expect(active.text.contains(#"<option value="active" selected>"#))
            let ended = try await browser.get("/partnerships?status=ended&country=&sdg=")
            #expect(!ended.text.contains(id.text) && ended.text.contains(#"id="no-partnerships""#))
            let badFilter = try await browser.get("/partnerships?sdg=18")
            #expect(
                badFilter.status == .unprocessableContent
                    && badFilter.text.contains(##"<a href="#sdg">Kies een doel van 1 tot 17</a>"##))

            // The edit form carries the version; someone else saves first; the stale save overwrites nothing.
            let edit = try await browser.get("/partnerships/\(id.text)/edit")
            #expect(edit.status == .ok && edit.text.contains(#"<input type="hidden" name="version" value="1">"#))
            #expect(edit.text.contains(#"value="Sint-Niklaas–Tambacounda""#))
            let patched = try await client.send(
                .patch, "/api/v1/partnerships/\(id.text)", as: fixture.coordinator,
                json: #"{"title": "Changed by someone else"}"#)
            #expect(patched.status == .ok)
            var mine: [String: String] = [
                "version": "1", "title": "Mine", "partner.name": "Tambacounda", "partner.country": "SN",
                "status": "active", "startedOn": "2003-01-01", "endedOn": "", "description": "", "sdgFocus": "6",
            ]
            let stale = try await browser.post("/partnerships/\(id.text)/edit", form: mine)
            #expect(stale.status == .conflict)
            #expect(stale.text.contains(#"id="stale""#) && stale.text.contains("Gewijzigd sinds je het opende"))
            #expect(stale.text.contains(#"id="title-stored">Nu bewaard: Changed by someone else</p>"#))
            #expect(stale.text.contains(#"id="title" name="title" value="Mine""#))
            #expect(stale.text.contains(#"id="sdgFocus-stored">Nu bewaard: 16</p>"#))
            #expect(stale.text.contains(#"<input type="hidden" name="version" value="2">"#))
            #expect(try await fixture.stored(client, id).title == "Changed by someone else")

            // At the stored version, a broken rule shows beside its field; then the save goes through.
            mine["version"] = "2"
            mine["endedOn"] = "2001-01-01"
            let backwards = try await browser.post("/partnerships/\(id.text)/edit", form: mine)
            #expect(backwards.status == .unprocessableContent)
            #expect(backwards.text.contains(#"id="endedOn-error">De einddatum mag niet voor de startdatum liggen"#))
            #expect(try await fixture.stored(client, id).version == 2)
            mine["endedOn"] = ""
            let saved = try await browser.post("/partnerships/\(id.text)/edit", form: mine)
            #expect(saved.status == .seeOther && saved.location == "/partnerships/\(id.text)")
            let after = try await fixture.stored(client, id)
            #expect(after.title == "Mine" && after.sdgFocus == [6] && after.version == 3)
        }
    }

    @Test("the list pages with the service's cursor, keeping the filters")
    func listPages() async throws {
        let (fixture, router) = try await PartnershipPagesFixture.make("partnership_pages_list")
        try await Application(router: router).test(.router) { client in
            var ids: [UUID] = []
            for title in ["Eerste", "Tweede", "Derde"] {
                ids.append(try await fixture.create(client, title, as: fixture.coordinator))
            }
            let browser = try await fixture.browser(client, signedInAs: "coordinator@sint-niklaas.be")
            let first = try await browser.get("/partnerships?limit=2&country=SN")
            #expect(first.text.contains(ids[0].text) && first.text.contains(ids[1].text))
            #expect(!first.text.contains(ids[2].text))
            let next = try #require(first.text.firstMatch(of: #/<a href="([^"]+)" rel="next"/#)).output.1
            let link = String(next).replacingOccurrences(of: "&amp;", with: "&")
            #expect(link.contains("country=SN") && link.contains("limit=2") && link.contains("cursor="))
            let second = try await browser.get(link)
            #expect(second.text.contains(ids[2].text) && !second.text.contains(ids[0].text))
            #expect(!second.text.contains(#"rel="next""#))
        }
    }

    @Test("a partner coordinator sees only theirs and 404 elsewhere; a viewer gets no form; another municipality 404")
    func permissionsAreTheService() async throws {
        let (fixture, router) = try await PartnershipPagesFixture.make("partnership_pages_scope")
        try await Application(router: router).test(.router) { client in
            let theirs = try await fixture.create(client, "Sint-Niklaas–Tambacounda", as: fixture.coordinator)
            let other = try await fixture.create(client, "Sint-Niklaas–Kaolack", as: fixture.coordinator)
            let foreign = try await fixture.create(client, "Roeselare–Dogbo", as: fixture.elsewhere)

            // The coordinator adds the partner coordinator by the members page, changes the role, and back.
            let office = try await fixture.browser(client, signedInAs: "coordinator@sint-niklaas.be")
            let members = try await office.get("/partnerships/\(theirs.text)/members")
            #expect(members.status == .ok && members.text.contains(#"<label for="userId">Persoon</label>"#))
            #expect(members.text.contains(#"<option value="\#(fixture.partner.userID.text)">Test partner_coordinator"#))
            let noUser = try await office.post(
                "/partnerships/\(theirs.text)/members", form: ["userId": "", "role": "partner_coordinator"])
            #expect(noUser.status == .unprocessableContent)
            #expect(noUser.text.contains(##"<a href="#userId">Kies een persoon van je gemeente</a>"##))
            #expect(noUser.text.contains(#"<option value="partner_coordinator" selected>"#))
            let stranger = try await office.post(
                "/partnerships/\(theirs.text)/members",
                form: ["userId": fixture.elsewhere.userID.text, "role": "coordinator"])
            #expect(stranger.status == .unprocessableContent && stranger.text.contains(#"id="userId-error""#))
            let added = try await office.post(
                "/partnerships/\(theirs.text)/members",
                form: ["userId": fixture.partner.userID.text, "role": "partner_coordinator"])
            #expect(added.status == .seeOther && added.location == "/partnerships/\(theirs.text)/members")
            let listed = try await office.get("/partnerships/\(theirs.text)/members")
            #expect(listed.text.contains(#"<th scope="row">Test partner_coordinator</th>"#))
            #expect(listed.text.contains(#"id="remove-\#(fixture.partner.userID.text)""#))
            let shown = try await office.get("/partnerships/\(theirs.text)")
            #expect(shown.text.contains("<td>partnercoördinator</td>"))
            #expect(try await fixture.stored(client, theirs).members.map(\.role) == ["partner_coordinator"])

            let partner = try await fixture.browser(client, signedInAs: "partner@tambacounda.sn")
            let list = try await partner.get("/partnerships")
            #expect(list.text.contains(theirs.text) && !list.text.contains(other.text))
            #expect(!list.text.contains(#"id="new-partnership""#))
            let page = try await partner.get("/partnerships/\(theirs.text)")
            #expect(page.status == .ok && !page.text.contains(#"id="edit-partnership""#))
            #expect(try await partner.get("/partnerships/\(other.text)").status == .notFound)
            #expect(try await partner.get("/partnerships/\(other.text)/members").status == .notFound)
            #expect(try await partner.get("/partnerships/new").status == .forbidden)
            #expect(try await partner.get("/partnerships/\(theirs.text)/edit").status == .forbidden)
            let edited = try await partner.post(
                "/partnerships/\(theirs.text)/edit",
                form: ["version": "2", "title": "Taken over", "partner.name": "X", "partner.country": "SN"])
            #expect(edited.status == .forbidden)
            #expect(try await fixture.stored(client, theirs).title == "Sint-Niklaas–Tambacounda")

            let viewer = try await fixture.browser(client, signedInAs: "viewer@sint-niklaas.be")
            let dashboard = try await viewer.get("/")
            #expect(dashboard.status == .ok && !dashboard.text.contains(#"id="new-partnership""#))
            let readOnly = try await viewer.get("/partnerships/\(theirs.text)/members")
            #expect(readOnly.status == .ok && readOnly.text.contains("Test partner_coordinator"))
            #expect(
                !readOnly.text.contains(#"id="add-member""#)
                    && !readOnly.text.contains("<form method=\"post\" action=\"/partnerships"))
            #expect(try await viewer.get("/partnerships/new").status == .forbidden)
            let viewerCreates = try await viewer.post(
                "/partnerships/new", form: ["title": "Nope", "partner.name": "X", "partner.country": "SN"])
            #expect(viewerCreates.status == .forbidden)
            let viewerRemoves = try await viewer.post(
                "/partnerships/\(theirs.text)/members/\(fixture.partner.userID.text)/remove")
            #expect(viewerRemoves.status == .forbidden)

            // Another municipality's partnership is not found, whatever the page.
            for path in ["", "/edit", "/members"] {
                #expect(try await office.get("/partnerships/\(foreign.text)\(path)").status == .notFound)
            }
            let intrusion = try await office.post(
                "/partnerships/\(foreign.text)/members",
                form: ["userId": fixture.coordinator.userID.text, "role": "coordinator"])
            #expect(intrusion.status == .notFound)

            // The coordinator changes the role, then removes the member.
            let role = try await office.post(
                "/partnerships/\(theirs.text)/members",
                form: ["userId": fixture.partner.userID.text, "role": "coordinator"])
            #expect(role.status == .seeOther)
            #expect(try await fixture.stored(client, theirs).members.map(\.role) == ["coordinator"])
            try await office.get("/partnerships/\(theirs.text)/members")
            let removed = try await office.post(
                "/partnerships/\(theirs.text)/members/\(fixture.partner.userID.text)/remove")
            #expect(removed.status == .seeOther)
            #expect(try await fixture.stored(client, theirs).members.isEmpty)
            #expect(try await partner.get("/partnerships/\(theirs.text)").status == .notFound)
        }
    }
}

extension UUID {
    fileprivate var text: String { uuidString.lowercased() }
}

extension TestResponse {
    fileprivate var text: String { String(buffer: body) }
    fileprivate var location: String? { headers[.location] }
}

extension PartnershipPagesTests {
    @Test("the edit form writes the story and publishes; the partnership page then shows the public address")
    func editFormPublishes() async throws {
        let (fixture, router) = try await PartnershipPagesFixture.make("partnership_pages_publish")
        try await Application(router: router).test(.router) { client in
            // The partner is "Tambacounda partner" (the fixture's way), so the slug is `tambacounda-partner`.
            let id = try await fixture.create(client, "Tambacounda", as: fixture.coordinator)
            let browser = try await fixture.browser(client, signedInAs: "coordinator@sint-niklaas.be")

            // Only an existing partnership is published: the new form asks nothing of it.
            let new = try await browser.get("/partnerships/new")
            #expect(!new.text.contains(#"id="story""#) && !new.text.contains(#"id="published""#))
            let edit = try await browser.get("/partnerships/\(id.text)/edit")
            #expect(edit.text.contains(#"<label for="story">Verhaal voor de publieke pagina</label>"#))
            #expect(
                edit.text.contains(
                    #"<textarea id="story" name="story" rows="8" aria-describedby="story-hint"></textarea>"#))
            #expect(
                edit.text.contains(
                    #"<input type="checkbox" id="published" name="published" value="true" aria-describedby="published-hint"><label for="published">Deze stedenband publiceren op de etalage</label>"#
                ))
            #expect(!(try await browser.get("/partnerships/\(id.text)")).text.contains("public-address"))

            // Too long a story: the summary links to it, the message is beside it, the choices are kept.
            var form: [String: String] = [
                "version": "1", "title": "Tambacounda", "partner.name": "Tambacounda partner",
                "partner.country": "SN", "status": "exploring", "startedOn": "", "endedOn": "", "description": "",
                "story": String(repeating: "x", count: 5_001), "published": "true",
            ]
            let refused = try await browser.post("/partnerships/\(id.text)/edit", form: form)
            #expect(refused.status == .unprocessableContent)
            #expect(refused.text.contains(##"<a href="#story">Het verhaal mag hoogstens 5.000 tekens tellen</a>"##))
            #expect(
                refused.text.contains(
                    #"<p class="error-message" id="story-error">Het verhaal mag hoogstens 5.000 tekens tellen</p>"#))
            #expect(refused.text.contains(#"aria-describedby="story-hint story-error""#))
            #expect(refused.text.contains(#"name="published" value="true" checked"#))
            #expect(try await fixture.stored(client, id).version == 1)

            form["story"] = "Samen werken aan de burgerlijke stand."
            let saved = try await browser.post("/partnerships/\(id.text)/edit", form: form)
            #expect(saved.status == .seeOther && saved.location == "/partnerships/\(id.text)")
            let shown = try await browser.get("/partnerships/\(id.text)")
            #expect(
                shown.text.contains(
                    #"<dt>Publiek adres</dt><dd><a href="/showcase/sint-niklaas/tambacounda-partner" id="public-address"><code>/showcase/sint-niklaas/tambacounda-partner</code></a></dd>"#
                ))
            #expect(shown.text.contains("<h2>Verhaal voor de publieke pagina</h2>"))
            #expect(shown.text.contains("Samen werken aan de burgerlijke stand."))
            let english = try await browser.get("/partnerships/\(id.text)/edit?lang=en")
            #expect(english.text.contains("<label for=\"published\">Publish this partnership on the showcase</label>"))
            #expect(english.text.contains(#"name="published" value="true" checked"#))
            #expect(english.text.contains(">Samen werken aan de burgerlijke stand.</textarea>"))

            // Unticked, it is taken off the showcase; the page no longer gives an address.
            form["published"] = nil
            form["version"] = "2"
            let off = try await browser.post("/partnerships/\(id.text)/edit", form: form)
            #expect(off.status == .seeOther)
            #expect(!(try await browser.get("/partnerships/\(id.text)")).text.contains("public-address"))
            #expect(try await fixture.stored(client, id).version == 3)

            // A partner coordinator cannot publish by the form either.
            let member = try await client.send(
                .post, "/api/v1/partnerships/\(id.text)/members", as: fixture.coordinator,
                json: #"{"userId": "\#(fixture.partner.userID)", "role": "partner_coordinator"}"#)
            #expect(member.status == .created)
            let partner = try await fixture.browser(client, signedInAs: "partner@tambacounda.sn")
            _ = try await partner.get("/partnerships/\(id.text)")
            form["published"] = "true"
            form["version"] = "4"
            #expect(try await partner.post("/partnerships/\(id.text)/edit", form: form).status == .forbidden)
            #expect(try await fixture.stored(client, id).version == 4)
        }
    }
}
