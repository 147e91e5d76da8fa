import Foundation
import Gateway
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Postgres
import TestSupport
import Testing

@Suite("The sign-in page offers each municipality's own provider, and PUBLIC_URL follows serve's port")
struct SignInChoicesTests {
    @Test("one 'Sign in with <municipality>' link per active municipality with a provider, carrying next; none without")
    func choicesOnTheSignInPage() async throws {
        let fixture = try await PagesFixture.make("signinchoices", smtp: nil)
        let herent = try await TestTenant.create(in: fixture.database, slug: "herent", role: .viewer)
        let leuven = try await TestTenant.create(in: fixture.database, slug: "leuven", role: .viewer)
        _ = try await TestTenant.create(in: fixture.database, slug: "dogbo", role: .viewer)
        try await fixture.application.test(.router) { client in
            let browser = TestBrowser(client)
            // No provider anywhere: no choice, no heading.
            let none = try await browser.get("/sign-in?lang=en")
            #expect(none.status == .ok)
            #expect(!none.text.contains("/sign-in/oidc/") && !none.text.contains("Or sign in with"))

            let admin = try await fixture.database.connectAsAdmin()
            for tenant in [herent.tenantID, leuven.tenantID] {
                try await admin.query(
                    """
                    INSERT INTO platform.oidc_providers (tenant_id, issuer, client_id, client_secret)
                    VALUES (\(tenant), 'https://login.example.org', 'stedenband', 'secret')
                    """)
            }
            try await admin.query("UPDATE platform.tenants SET disabled_at = now() WHERE id = \(leuven.tenantID)")
            await admin.close()

            let page = try await browser.get("/sign-in?next=/partnerships&lang=en")
            #expect(page.status == .ok)
            #expect(
                page.text.contains("Or sign in with your municipality&#39;s account")
                    || page.text.contains("Or sign in with your municipality's account"))
            #expect(page.text.contains(#"href="/sign-in/oidc/herent?next=/partnerships""#))
            #expect(page.text.contains(">Sign in with Herent</a>"))
            #expect(!page.text.contains("/sign-in/oidc/leuven"), "a disabled municipality is not offered")
            #expect(!page.text.contains("/sign-in/oidc/dogbo"), "a municipality without a provider is not offered")
            #expect(!page.text.contains("secret") && !page.text.contains("login.example.org"))

            // In the person's language, and on the form's error page too.
            let dutch = try await browser.get("/sign-in?lang=nl")
            #expect(dutch.text.contains(">Aanmelden met Herent</a>"))
            #expect(dutch.text.contains(#"href="/sign-in/oidc/herent""#))
            let refused = try await browser.post("/sign-in", form: ["email": "", "next": "/settings"])
            #expect(refused.status == .unprocessableContent)
            #expect(refused.text.contains(#"href="/sign-in/oidc/herent?next=/settings""#))
        }
        await fixture.pool.close()
    }

    @Test("without PUBLIC_URL, serve's own host and port are the public address; with it, it is kept")
    func publicURLFollowsThePort() {
        #expect(SessionSettings.publicURL(listeningOn: "127.0.0.1", port: 9090) == "http://127.0.0.1:9090")
        #expect(SessionSettings.publicURL(listeningOn: "0.0.0.0", port: 9090) == "http://127.0.0.1:9090")
        #expect(SessionSettings.publicURL(listeningOn: "::1", port: 8081) == "http://[::1]:8081")
        #expect(SessionSettings.publicURL(listeningOn: "localhost", port: 80) == "http://localhost:80")
        #expect(SessionSettings.publicURL(listeningOn: "127.0.0.1", port: 0) == nil, "port 0: chosen at bind time")
        #expect(!SessionSettings.namesPublicURL([:]))
        #expect(SessionSettings.namesPublicURL(["PUBLIC_URL": "https://stedenband.example.org"]))
        #expect(SessionSettings.namesPublicURL(["STEDENBAND_NOTIFICATIONS_PUBLIC_URL": "https://a.example.org"]))
    }
}
