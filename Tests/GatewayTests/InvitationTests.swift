import Delivery
import Foundation
import Gateway
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Postgres
import TestSupport
import Testing

/// Invitations and `/admin/users`, against a real database and SMTP server.
@Suite("Invitations by e-mail and the administrators' users page")
struct InvitationTests {
    /// The invitation link (path) in the `index`th mail, with the mail's subject and text.
    static func invitation(_ smtp: TestSMTPServer, count: Int, index: Int) async throws -> (
        path: String, subject: String, text: String, to: [String]
    ) {
        let mails = try await smtp.waitForMessages(count: count)
        let parsed = try await ParsedMail.parse(mails[index].data)
        let text = try #require(parsed.parts.first?.content)
        let url = try #require(text.firstMatch(of: #/http://127\.0\.0\.1:8080(/invitations/[A-Za-z0-9_-]{43})/#))
        return (String(url.output.1), parsed.header("Subject") ?? "", text, mails[index].recipients)
    }

    /// The rows of users with `email` (any case, any municipality): (tenant, role, locale, disabled).
    static func users(_ email: String, in database: TestDatabase) async throws -> [(UUID, String, String, Bool)] {
        let admin = try await database.connectAsAdmin()
        let rows = try await admin.query(
            """
            SELECT tenant_id, role, locale, disabled_at IS NOT NULL FROM platform.users
            WHERE lower(email) = lower(\(email))
            """)
        await admin.close()
        return try rows.map { try $0.decode((UUID, String, String, Bool).self) }
    }

    @Test("an invitation is mailed in the invitee's language; its link asks to confirm, signs in once, then is gone")
    func invitationFlowOverSMTP() async throws {
        try await TestSMTPServer.with { smtp in
            let fixture = try await PagesFixture.make("inviteflow", smtp: smtp)
            let admin = try await TestTenant.create(
                in: fixture.database, slug: "herent", role: .admin, email: "admin@herent.be")
            try await fixture.application.test(.router) { client in
                let browser = TestBrowser(client)
                try await fixture.signIn(browser, as: "admin@herent.be")
                let page = try await browser.get("/admin/users")
                #expect(page.status == .ok)
                #expect(page.text.contains(#"<form method="post" action="/admin/users" novalidate>"#))
                // The municipality's language (nl by default) is chosen for the invitee until changed.
                #expect(page.text.contains(#"<option value="nl" selected>"#))

                let invited = try await browser.post(
                    "/admin/users",
                    form: ["email": "Nouvelle@Herent.be", "name": "Invited viewer", "role": "viewer", "locale": "fr"])
                #expect(invited.status == .seeOther)
                #expect(invited.location == "/admin/users?sent=Nouvelle%40Herent.be")
                let mail = try await Self.invitation(smtp, count: 1, index: 0)
                #expect(mail.to == ["Nouvelle@Herent.be"])
                #expect(mail.subject.contains("vous invite"))
                #expect(mail.text.contains("Bonjour Invited viewer"))
                #expect(mail.text.contains("7 jours"))

                // Made at invitation, as invited, in the municipality of the administrator, with the chosen language.
                let rows = try await Self.users("nouvelle@herent.be", in: fixture.database)
                #expect(rows.count == 1 && rows[0].0 == admin.tenantID && rows[0].1 == "viewer" && rows[0].2 == "fr")
                let listed = try await browser.get("/admin/users")
                #expect(listed.text.contains("Invited viewer"))
                #expect(listed.text.contains(#"class="status-invited""#))

                // A mail scanner's GET accepts nothing.
                let invitee = TestBrowser(client)
                for _ in 0..<2 {
                    let confirm = try await invitee.get(mail.path)
                    #expect(confirm.status == .ok)
                    #expect(confirm.text.contains(#"<button type="submit" id="accept-invitation">"#))
                }
                #expect(invitee.cookies["stedenband_session"] == nil)
                let accepted = try await invitee.post(mail.path)
                #expect(accepted.status == .seeOther && accepted.location == "/")
                #expect(invitee.cookies["stedenband_session"] != nil)
                #expect(try await invitee.get("/settings").status == .ok)
                #expect(
                    try await fixture.sessions(of: try #require(Self.userID("nouvelle@herent.be", fixture))).count == 1)
                let after = try await browser.get("/admin/users")
                #expect(!after.text.contains(#"class="status-invited""#))

                // Used: 410 for anyone, and nobody is signed in by it.
                let other = TestBrowser(client)
                try await other.get("/sign-in")
                #expect(try await other.post(mail.path).status == .gone)
                #expect(try await other.get(mail.path).status == .gone)
                #expect(other.cookies["stedenband_session"] == nil)

                // Inviting the address again resends (a new link), without a second user.
                let again = try await browser.post(
                    "/admin/users",
                    form: [
                        "email": "nouvelle@herent.be", "name": "Viewer again", "role": "coordinator", "locale": "nl",
                    ])
                #expect(again.status == .seeOther)
                let resent = try await Self.invitation(smtp, count: 2, index: 1)
                #expect(resent.path != mail.path)
                // The mail is in the user's own language, and the user keeps their role.
                #expect(resent.subject.contains("vous invite"))
                let kept = try await Self.users("nouvelle@herent.be", in: fixture.database)
                #expect(kept.count == 1 && kept[0].1 == "viewer")
            }
        }
    }

    static func userID(_ email: String, _ fixture: PagesFixture) async throws -> UUID? {
        let admin = try await fixture.database.connectAsAdmin()
        let rows = try await admin.query("SELECT id FROM platform.users WHERE lower(email) = lower(\(email))")
        await admin.close()
        return try rows.first?.decode(UUID.self, column: 0)
    }

    @Test("an invitation past INVITATION_TTL answers 410 and signs nobody in; an unknown one 404")
    func expiredInvitation() async throws {
        try await TestSMTPServer.with { smtp in
            let fixture = try await PagesFixture.make("inviteexpired", smtp: smtp)
            _ = try await TestTenant.create(
                in: fixture.database, slug: "leuven", role: .admin, email: "admin@leuven.be")
            try await fixture.application.test(.router) { client in
                let browser = TestBrowser(client)
                try await fixture.signIn(browser, as: "admin@leuven.be")
                try await browser.get("/admin/users")
                let invited = try await browser.post(
                    "/admin/users",
                    form: ["email": "late@leuven.be", "name": "Late", "role": "coordinator", "locale": "en"])
                #expect(invited.status == .seeOther)
                let mail = try await Self.invitation(smtp, count: 1, index: 0)
                #expect(mail.subject.contains("invites you"))
                let invitee = TestBrowser(client)
                fixture.clock.advance(by: 6 * 86_400)
                #expect(try await invitee.get(mail.path).status == .ok)
                fixture.clock.advance(by: 86_400)
                #expect(try await invitee.get(mail.path).status == .gone)
                #expect(try await invitee.post(mail.path).status == .gone)
                #expect(invitee.cookies["stedenband_session"] == nil)
                let unknown = "/invitations/" + String(repeating: "A", count: 43)
                #expect(try await invitee.get(unknown).status == .notFound)
                #expect(try await invitee.post(unknown).status == .notFound)
            }
        }
    }

    @Test("the invite form refuses what it cannot send beside the field, keeps what was typed, and a disabled address")
    func inviteFormErrors() async throws {
        try await TestSMTPServer.with { smtp in
            let fixture = try await PagesFixture.make("inviteerrors", smtp: smtp)
            _ = try await TestTenant.create(
                in: fixture.database, slug: "herent", role: .admin, email: "admin@herent.be")
            let gone = try await TestTenant.create(
                in: fixture.database, slug: "herent", role: .viewer, email: "gone@herent.be")
            try await fixture.application.test(.router) { client in
                let browser = TestBrowser(client)
                try await fixture.signIn(browser, as: "admin@herent.be")
                try await browser.get("/admin/users")
                let empty = try await browser.post(
                    "/admin/users", form: ["email": "not-an-address", "name": "", "role": "viewer", "locale": "en"])
                #expect(empty.status == .unprocessableContent)
                #expect(empty.text.contains(##"<a href="#email">"##) && empty.text.contains(##"<a href="#name">"##))
                #expect(empty.text.contains(#"id="email-error""#))
                #expect(empty.text.contains(#"value="not-an-address""#))

                // A partner coordinator needs a partnership (the gateway alone has none to offer).
                let partner = try await browser.post(
                    "/admin/users",
                    form: ["email": "p@tambacounda.sn", "name": "P", "role": "partner_coordinator", "locale": "fr"])
                #expect(partner.status == .unprocessableContent)
                #expect(partner.text.contains(#"id="partnershipId-error""#))

                // A disabled user's address is refused, not re-invited.
                #expect(try await browser.post("/admin/users/\(gone.userID.uuidString)/disable").status == .seeOther)
                let disabled = try await browser.post(
                    "/admin/users", form: ["email": "Gone@herent.be", "name": "Gone", "role": "viewer", "locale": "nl"])
                #expect(disabled.status == .unprocessableContent)
                #expect(disabled.text.contains(#"id="email-error""#))
                #expect(try await Self.users("gone@herent.be", in: fixture.database).count == 1)
                #expect(try smtp.messages().isEmpty)
            }
        }
    }

    @Test("only administrators open /admin/users; others are 403 and invite nobody")
    func onlyAdministrators() async throws {
        let fixture = try await PagesFixture.make("inviteroles", smtp: nil)
        for (role, email) in [
            (Identity.Role.coordinator, "c@herent.be"), (.viewer, "v@herent.be"), (.partnerCoordinator, "p@herent.be"),
        ] {
            _ = try await TestTenant.create(in: fixture.database, slug: "herent", role: role, email: email)
        }
        try await fixture.application.test(.router) { client in
            for email in ["c@herent.be", "v@herent.be", "p@herent.be"] {
                let browser = TestBrowser(client)
                try await fixture.signIn(browser, as: email)
                #expect(try await browser.get("/admin/users").status == .forbidden)
                let posted = try await browser.post(
                    "/admin/users", form: ["email": "x@herent.be", "name": "X", "role": "viewer", "locale": "nl"])
                #expect(posted.status == .forbidden)
            }
            #expect(try await Self.users("x@herent.be", in: fixture.database).isEmpty)
        }
    }

    @Test("an administrator changes roles, disables (ending sessions) and enables users, but not themself")
    func rolesAndDisabling() async throws {
        let fixture = try await PagesFixture.make("inviteadmin", smtp: nil)
        let admin = try await TestTenant.create(
            in: fixture.database, slug: "herent", role: .admin, email: "admin@herent.be")
        let colleague = try await TestTenant.create(
            in: fixture.database, slug: "herent", role: .viewer, email: "colleague@herent.be")
        let elsewhere = try await TestTenant.create(
            in: fixture.database, slug: "roeselare", role: .viewer, email: "viewer@roeselare.be")
        try await fixture.application.test(.router) { client in
            let browser = TestBrowser(client)
            try await fixture.signIn(browser, as: "admin@herent.be")
            let them = TestBrowser(client)
            try await fixture.signIn(them, as: "colleague@herent.be")
            try await browser.get("/admin/users")
            let me = admin.userID.uuidString.lowercased()

            let demoted = try await browser.post("/admin/users/\(me)/role", form: ["role": "viewer"])
            #expect(demoted.status == .unprocessableContent)
            #expect(
                demoted.text.contains(#"id="role-\#(me)-error""#) && demoted.text.contains(##"href="#role-\##(me)""##))
            let selfDisabled = try await browser.post("/admin/users/\(me)/disable")
            #expect(selfDisabled.status == .unprocessableContent)
            #expect(selfDisabled.text.contains(#"id="disable-\#(me)-error""#))
            #expect(try await Self.users("admin@herent.be", in: fixture.database)[0].1 == "admin")

            let promoted = try await browser.post(
                "/admin/users/\(colleague.userID.uuidString)/role", form: ["role": "coordinator"])
            #expect(promoted.status == .seeOther && promoted.location == "/admin/users")
            #expect(try await Self.users("colleague@herent.be", in: fixture.database)[0].1 == "coordinator")

            #expect(try await browser.post("/admin/users/\(colleague.userID.uuidString)/disable").status == .seeOther)
            #expect(try await fixture.sessions(of: colleague.userID).allSatisfy(\.ended))
            #expect(try await them.get("/settings").status == .seeOther)
            let listed = try await browser.get("/admin/users")
            #expect(listed.text.contains(#"class="status-disabled""#))
            // The API's token of a disabled user is revoked as by DELETE /api/v1/users/{id}.
            let api = try await client.execute(
                uri: "/api/v1/me", method: .get, headers: [.authorization: colleague.authorization])
            #expect(api.status == .unauthorized)

            #expect(try await browser.post("/admin/users/\(colleague.userID.uuidString)/enable").status == .seeOther)
            #expect(try await Self.users("colleague@herent.be", in: fixture.database)[0].3 == false)
            // Enabled again, the old browser is still signed out.
            #expect(try await them.get("/settings").status == .seeOther)

            // Another municipality's user is not found, whatever the action.
            let foreign = elsewhere.userID.uuidString
            #expect(try await browser.post("/admin/users/\(foreign)/role", form: ["role": "admin"]).status == .notFound)
            #expect(try await browser.post("/admin/users/\(foreign)/disable").status == .notFound)
            #expect(try await browser.post("/admin/users/\(foreign)/enable").status == .notFound)
            #expect(try await Self.users("viewer@roeselare.be", in: fixture.database)[0].1 == "viewer")

            // The same address in another municipality is another person: inviting it here makes a user here.
            let invited = try await browser.post(
                "/admin/users",
                form: ["email": "viewer@roeselare.be", "name": "Roeselare viewer", "role": "viewer", "locale": "nl"])
            #expect(invited.status == .seeOther)
            let both = try await Self.users("viewer@roeselare.be", in: fixture.database)
            #expect(Set(both.map(\.0)) == [admin.tenantID, elsewhere.tenantID])
        }
    }
}
