import Activities
import Delivery
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

/// Invitations from a partnership's members page and `/admin/users` with the Partnerships plugin, mailed over SMTP.
@Suite("Inviting a partner coordinator to a partnership")
struct MemberInvitationTests {
    struct Fixture: Sendable {
        let database: TestDatabase
        let pool: PostgresConnectionPool
        let environment: GatewayEnvironment

        static func make(_ label: String, smtp: TestSMTPServer) async throws -> (Fixture, Router<GatewayRequestContext>)
        {
            let database = try await TestDatabase.migrated(label)
            let logger = TestLogger.make(label)
            let pool = PostgresConnectionPool(
                configuration: .init(connection: database.appConfiguration, maximumConnections: 4), logger: logger)
            let environment = GatewayEnvironment(
                pool: pool, readiness: Ready(), logger: logger,
                rateLimiter: RateLimiter(rate: 100_000, burst: 100_000),
                addressLimiter: RateLimiter(rate: 100_000, burst: 100_000),
                mail: try SMTPMailer(url: smtp.url, logger: logger))
            let router = buildRouter(environment: environment)
            _ = try Kernel.assemble(
                plugins: [PartnershipsPlugin(), ActivitiesPlugin()], configuration: KernelConfiguration(),
                router: router, environment: environment, queue: PostgresJobQueue(), logger: logger)
            return (Fixture(database: database, pool: pool, environment: environment), router)
        }

        func browser(_ client: any TestClientProtocol, signedInAs email: String) async throws -> TestBrowser {
            let links = SignInLinks(settings: environment.settings.sessions, mail: nil, logger: environment.logger)
            let issued = try await links.issue(for: email, at: Date(), pool: pool)
            let url = try #require(issued.first?.url)
            let browser = TestBrowser(client)
            let link = String(url.dropFirst(environment.settings.sessions.publicURL.count))
            try await browser.get(link)
            #expect(try await browser.post(link).status == .seeOther)
            return browser
        }

        func create(_ client: any TestClientProtocol, _ title: String, as who: TestTenant) async throws -> UUID {
            let body = #"{"title": "\#(title)", "partner": {"name": "\#(title) partner", "country": "SN"}}"#
            let response = try await client.send(.post, "/api/v1/partnerships", as: who, json: body)
            #expect(response.status == .created)
            return try decode(Partnership.self, response).id
        }

        func members(_ client: any TestClientProtocol, _ id: UUID, as who: TestTenant) async throws -> [Partnership
            .Member]
        {
            try decode(
                Partnership.self,
                try await client.send(.get, "/api/v1/partnerships/\(id.uuidString.lowercased())", as: who)
            ).members
        }
    }

    static func link(_ smtp: TestSMTPServer, count: Int) async throws -> (path: String, subject: String) {
        let mails = try await smtp.waitForMessages(count: count)
        let parsed = try await ParsedMail.parse(mails[count - 1].data)
        let text = try #require(parsed.parts.first?.content)
        let url = try #require(text.firstMatch(of: #/http://127\.0\.0\.1:8080(/invitations/[A-Za-z0-9_-]{43})/#))
        return (String(url.output.1), parsed.header("Subject") ?? "")
    }

    @Test("a coordinator invites a partner coordinator from the members page; accepting lands on that partnership only")
    func coordinatorInvitesPartner() async throws {
        try await TestSMTPServer.with { smtp in
            let (fixture, router) = try await Fixture.make("member_invite", smtp: smtp)
            let coordinator = try await TestTenant.create(
                in: fixture.database, slug: "sint-niklaas", role: .coordinator, email: "coordinator@sint-niklaas.be")
            try await Application(router: router).test(.router) { client in
                let ours = try await fixture.create(client, "Sint-Niklaas–Tambacounda", as: coordinator)
                let other = try await fixture.create(client, "Sint-Niklaas–Nioro", as: coordinator)
                let browser = try await fixture.browser(client, signedInAs: "coordinator@sint-niklaas.be")
                let path = "/partnerships/\(ours.uuidString.lowercased())/members"
                let page = try await browser.get(path)
                #expect(page.text.contains(#"action="\#(path)/invite""#))
                // A coordinator is offered partner coordinators and viewers only.
                #expect(page.text.contains(#"<option value="partner_coordinator" selected>"#))
                #expect(!page.text.contains(#"<option value="admin""#))

                // Refused fields: beside the field and in the summary, nothing made.
                let refused = try await browser.post(
                    "\(path)/invite",
                    form: ["email": "", "name": "Invited", "role": "partner_coordinator", "locale": "fr"])
                #expect(refused.status == .unprocessableContent)
                #expect(
                    refused.text.contains(#"id="invite-email-error""#) && refused.text.contains(#"value="Invited""#))

                let invited = try await browser.post(
                    "\(path)/invite",
                    form: [
                        "email": "invited@tambacounda.sn", "name": "Invited partner coordinator",
                        "role": "partner_coordinator",
                        "locale": "fr",
                    ])
                #expect(invited.status == .seeOther && invited.location == path)
                let members = try await fixture.members(client, ours, as: coordinator)
                #expect(members.count == 1 && members[0].role == "partner_coordinator")
                #expect(try await browser.get(path).text.contains("Invited partner coordinator"))

                let mail = try await Self.link(smtp, count: 1)
                #expect(mail.subject.contains("vous invite"))
                let invitee = TestBrowser(client)
                #expect(try await invitee.get(mail.path).status == .ok)
                let accepted = try await invitee.post(mail.path)
                #expect(accepted.status == .seeOther)
                #expect(accepted.location == "/partnerships/\(ours.uuidString.lowercased())")
                let landed = try await invitee.get(try #require(accepted.location))
                #expect(landed.status == .ok && landed.text.contains(#"<html lang="fr""#))
                #expect(try await invitee.get("/partnerships/\(other.uuidString.lowercased())").status == .notFound)
                #expect(try await invitee.post(mail.path).status == .gone)

                // A coordinator cannot invite an administrator or a coordinator, even by a forged form.
                for role in ["admin", "coordinator"] {
                    let forged = try await browser.post(
                        "\(path)/invite",
                        form: ["email": "boss@sint-niklaas.be", "name": "B", "role": role, "locale": "nl"])
                    #expect(forged.status == .forbidden)
                }
                // Nor can the partner coordinator, nor a viewer.
                let partnerForm = try await invitee.post(
                    "\(path)/invite",
                    form: ["email": "x@tambacounda.sn", "name": "X", "role": "viewer", "locale": "fr"])
                #expect(partnerForm.status == .forbidden)
                _ = try await TestTenant.create(
                    in: fixture.database, slug: "sint-niklaas", role: .viewer, email: "viewer@sint-niklaas.be")
                let viewer = try await fixture.browser(client, signedInAs: "viewer@sint-niklaas.be")
                try await viewer.get(path)
                let viewerForm = try await viewer.post(
                    "\(path)/invite",
                    form: ["email": "y@tambacounda.sn", "name": "Y", "role": "viewer", "locale": "fr"])
                #expect(viewerForm.status == .forbidden)
                #expect(try smtp.messages().count == 1)

                // Another municipality's coordinator does not find the partnership.
                _ = try await TestTenant.create(
                    in: fixture.database, slug: "roeselare", role: .coordinator, email: "coordinator@roeselare.be")
                let foreign = try await fixture.browser(client, signedInAs: "coordinator@roeselare.be")
                try await foreign.get("/")
                let elsewhere = try await foreign.post(
                    "\(path)/invite", form: ["email": "z@dogbo.bj", "name": "Z", "role": "viewer", "locale": "fr"])
                #expect(elsewhere.status == .notFound)
            }
        }
    }

    @Test("an administrator invites a partner coordinator to a partnership from /admin/users, which lists it")
    func administratorInvitesPartner() async throws {
        try await TestSMTPServer.with { smtp in
            let (fixture, router) = try await Fixture.make("admin_invite", smtp: smtp)
            let admin = try await TestTenant.create(
                in: fixture.database, slug: "roeselare", role: .admin, email: "admin@roeselare.be")
            try await Application(router: router).test(.router) { client in
                let id = try await fixture.create(client, "Roeselare–Dogbo", as: admin)
                let browser = try await fixture.browser(client, signedInAs: "admin@roeselare.be")
                let page = try await browser.get("/admin/users")
                #expect(page.text.contains(#"<option value="\#(id.uuidString.lowercased())">Roeselare–Dogbo</option>"#))
                let invited = try await browser.post(
                    "/admin/users",
                    form: [
                        "email": "partner@dogbo.bj", "name": "Invited partner", "role": "partner_coordinator",
                        "partnershipId": id.uuidString.lowercased(), "locale": "fr",
                    ])
                #expect(invited.status == .seeOther)
                #expect(try await fixture.members(client, id, as: admin).map(\.role) == ["partner_coordinator"])
                let listed = try await browser.get("/admin/users")
                #expect(listed.text.contains("<td>Roeselare–Dogbo</td>"))
                let mail = try await Self.link(smtp, count: 1)
                let invitee = TestBrowser(client)
                try await invitee.get(mail.path)
                let accepted = try await invitee.post(mail.path)
                #expect(accepted.location == "/partnerships/\(id.uuidString.lowercased())")
            }
        }
    }

    @Test("the members page marks a member invited until they first sign in, in the page's language")
    func membersPageMarksInvited() async throws {
        try await TestSMTPServer.with { smtp in
            let (fixture, router) = try await Fixture.make("member_invited_mark", smtp: smtp)
            let coordinator = try await TestTenant.create(
                in: fixture.database, slug: "herent", role: .coordinator, email: "coordinator@herent.be")
            // A member added by the API, never invited and never signed in (a script's user): not "invited".
            let scripted = try await TestTenant.create(
                in: fixture.database, slug: "herent", role: .partnerCoordinator, email: "script@herent.be")
            try await Application(router: router).test(.router) { client in
                let id = try await fixture.create(client, "Herent–Nimlaha'kok", as: coordinator)
                let path = "/partnerships/\(id.uuidString.lowercased())/members"
                let added = try await client.send(
                    .post, "/api/v1/partnerships/\(id.uuidString.lowercased())/members", as: coordinator,
                    json: #"{"userId": "\#(scripted.userID.uuidString.lowercased())", "role": "partner_coordinator"}"#)
                #expect(added.status.code < 300)
                let browser = try await fixture.browser(client, signedInAs: "coordinator@herent.be")
                #expect(!(try await browser.get(path).text.contains("status-invited")), "nobody invited yet")
                let invited = try await browser.post(
                    "\(path)/invite",
                    form: [
                        "email": "partner@nimlahakok.gt", "name": "Invited partner", "role": "partner_coordinator",
                        "locale": "es",
                    ])
                #expect(invited.status == .seeOther)
                let marked = #"Invited partner <span class="status-invited">(Invited)</span></th>"#
                let page = try await browser.get("\(path)?lang=en")
                #expect(page.text.contains(marked))
                #expect(page.text.contains(#"<th scope="row">Test partner_coordinator</th>"#), "the scripted member")
                #expect(page.text.components(separatedBy: "status-invited").count == 2)
                #expect(try await browser.get("\(path)?lang=fr").text.contains(#"status-invited">(Invité)</span>"#))

                // Once they accepted (and so signed in), they are a member like any other.
                let mail = try await Self.link(smtp, count: 1)
                let invitee = TestBrowser(client)
                try await invitee.get(mail.path)
                #expect(try await invitee.post(mail.path).status == .seeOther)
                let after = try await browser.get("\(path)?lang=en")
                #expect(after.text.contains("Invited partner</th>") && !after.text.contains("status-invited"))
            }
        }
    }
}

extension TestResponse {
    fileprivate var text: String { String(buffer: body) }
    fileprivate var location: String? { headers[.location] }
}
