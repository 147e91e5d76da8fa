import Foundation
import Gateway
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import OpenIDConnect
import Postgres
import TestSupport
import Testing

/// The identity-provider section of `/admin/municipality`, with the server's own store (the checks of
/// `stedenband tenant set`, the discovery of sign-in) against a real OpenID provider (oidc-provider-mock).
@Suite("The municipality's identity provider on /admin/municipality")
struct AdminIdentityProviderPageTests {
    static let publicURL = "http://127.0.0.1:8080"

    /// The gateway with its pages and the server's provider store, on a database of its own.
    struct Fixture {
        let database: TestDatabase
        let pool: PostgresConnectionPool
        let environment: GatewayEnvironment

        static func make(_ label: String) async throws -> Fixture {
            let database = try await TestDatabase.migrated(label)
            let logger = TestLogger.make(label)
            let pool = PostgresConnectionPool(
                configuration: .init(connection: database.appConfiguration, maximumConnections: 4), logger: logger)
            var settings = GatewaySettings()
            settings.sessions.publicURL = publicURL
            let environment = GatewayEnvironment(
                pool: pool, readiness: AlwaysReadyForPages(), logger: logger, settings: settings,
                addressLimiter: RateLimiter(rate: 10_000, burst: 10_000))
            var oidc = OIDCSettings()
            oidc.publicURL = publicURL
            oidc.httpTimeout = .seconds(5)
            environment.identityProviders.provide(OIDCProviderStore(signIn: OIDCSignIn(pool: pool, settings: oidc)))
            return Fixture(database: database, pool: pool, environment: environment)
        }

        var application: some ApplicationProtocol { Application(router: buildRouter(environment: environment)) }

        /// Signs `browser` in as `email` through a link's confirm page.
        func signIn(_ browser: TestBrowser, as email: String) async throws {
            let issued = try await SignInLinks(
                settings: environment.settings.sessions, mail: nil, logger: environment.logger
            ).issue(for: email, at: Date(), pool: pool)
            let link = String(try #require(issued.first?.url).dropFirst(publicURL.count))
            try await browser.get(link)
            #expect(try await browser.post(link).status == .seeOther)
        }

        /// The stored provider: issuer, client id, secret.
        func provider(of tenant: UUID) async throws -> (String, String, String)? {
            let admin = try await database.connectAsAdmin()
            let rows = try await admin.query(
                "SELECT issuer, client_id, client_secret FROM platform.oidc_providers WHERE tenant_id = \(tenant)")
            await admin.close()
            return try rows.first?.decode((String, String, String).self)
        }
    }

    @Test("an administrator sets the provider after its discovery; a wrong or unreachable issuer is refused beside it")
    func administratorSetsTheProvider() async throws {
        let provider = try await TestOIDCProvider.start(users: [
            .init(sub: "admin", email: "admin@x-town.be", emailVerified: true)
        ])
        let fixture = try await Fixture.make("adminidp")
        let admin = try await TestTenant.create(in: fixture.database, slug: "x-town", email: "admin@x-town.be")
        let secret = "the-secret-of-x-town"
        do {
            try await fixture.application.test(.router) { client in
                let browser = TestBrowser(client)
                try await fixture.signIn(browser, as: "admin@x-town.be")
                let page = try await browser.get("/admin/municipality?lang=en")
                #expect(page.status == .ok)
                #expect(page.text.contains("No identity provider is set"))
                #expect(page.text.contains(#"id="redirect-uri""#))
                #expect(page.text.contains("\(Self.publicURL)/sign-in/oidc/x-town/callback"))
                #expect(!page.text.contains(#"id="remove-identity-provider""#))

                // The checks of `tenant set`: plain http elsewhere, no client id, no secret while none is set.
                let wrong = try await browser.post(
                    "/admin/municipality/identity-provider?lang=en",
                    form: ["oidcIssuer": "http://login.example.org", "oidcClientId": "", "oidcClientSecret": ""])
                #expect(wrong.status == .unprocessableContent)
                #expect(
                    wrong.text.contains(##"href="#oidcIssuer""##) && wrong.text.contains(##"href="#oidcClientId""##))
                #expect(
                    wrong.text.contains(#"id="oidcIssuer-error">Enter the provider&#39;s https address"#)
                        || wrong.text.contains(#"id="oidcIssuer-error">Enter the provider's https address"#))
                #expect(wrong.text.contains(#"id="oidcClientSecret-error">Enter the client secret"#))
                #expect(wrong.text.contains(#"value="http://login.example.org""#))

                // A well-formed issuer nobody answers at: refused beside the field, why in the person's words.
                let unreachable = try await browser.post(
                    "/admin/municipality/identity-provider?lang=en",
                    form: [
                        "oidcIssuer": "http://127.0.0.1:9", "oidcClientId": "stedenband", "oidcClientSecret": secret,
                    ])
                #expect(unreachable.status == .unprocessableContent)
                #expect(unreachable.text.contains(#"id="oidcIssuer-error">The provider cannot be reached"#))
                #expect(!unreachable.text.contains(secret), "a typed secret is not shown back")
                // An address that answers, but not with the document: its status, in Dutch (the person's own).
                let notFound = try await browser.post(
                    "/admin/municipality/identity-provider",
                    form: [
                        "oidcIssuer": provider.issuer + "/elsewhere", "oidcClientId": "stedenband",
                        "oidcClientSecret": secret,
                    ])
                #expect(notFound.status == .unprocessableContent)
                #expect(notFound.text.contains("antwoordde met status 404"))
                #expect(try await fixture.provider(of: admin.tenantID) == nil)

                // The real provider: saved, shown without its secret.
                let saved = try await browser.post(
                    "/admin/municipality/identity-provider",
                    form: ["oidcIssuer": provider.issuer, "oidcClientId": "stedenband", "oidcClientSecret": secret])
                #expect(saved.status == .seeOther)
                #expect(saved.location == "/admin/municipality?saved=identity-provider")
                let stored = try await fixture.provider(of: admin.tenantID)
                #expect(stored?.0 == provider.issuer && stored?.1 == "stedenband" && stored?.2 == secret)
                let shown = try await browser.get("/admin/municipality?saved=identity-provider&lang=en")
                #expect(shown.text.contains(#"id="saved""#) && shown.text.contains("The identity provider is saved."))
                #expect(shown.text.contains(#"value="\#(provider.issuer)""#))
                #expect(shown.text.contains(#"value="stedenband""#))
                #expect(shown.text.contains("A secret is set and is never shown"))
                #expect(!shown.text.contains(secret), "the secret never appears in the page")
                #expect(shown.text.contains(#"id="remove-identity-provider""#))

                // An empty secret keeps the stored one.
                let kept = try await browser.post(
                    "/admin/municipality/identity-provider",
                    form: ["oidcIssuer": provider.issuer, "oidcClientId": "stedenband-2", "oidcClientSecret": ""])
                #expect(kept.status == .seeOther)
                let after = try await fixture.provider(of: admin.tenantID)
                #expect(after?.1 == "stedenband-2" && after?.2 == secret)

                let removed = try await browser.post("/admin/municipality/identity-provider/remove")
                #expect(removed.status == .seeOther)
                #expect(removed.location == "/admin/municipality?saved=identity-provider-removed")
                #expect(try await fixture.provider(of: admin.tenantID) == nil)
                let gone = try await browser.get("/admin/municipality?saved=identity-provider-removed&lang=en")
                #expect(gone.text.contains("The identity provider is removed."))
                #expect(gone.text.contains("No identity provider is set"))
            }
        } catch {
            await provider.stop()
            await fixture.pool.close()
            throw error
        }
        await provider.stop()
        await fixture.pool.close()
    }

    @Test("a partner coordinator, a coordinator and a viewer are refused with 403 and change nothing")
    func othersRefused() async throws {
        let fixture = try await Fixture.make("adminidprefused")
        let admin = try await TestTenant.create(in: fixture.database, slug: "y-town", email: "admin@y-town.be")
        let connection = try await fixture.database.connectAsAdmin()
        let set = try await OIDCRepository.setProvider(
            slug: "y-town",
            client: OIDCClient(issuer: "https://login.y-town.example", clientID: "kept", secret: ClientSecret("s")),
            on: connection)
        #expect(set)
        await connection.close()
        var emails: [String] = []
        for role in [Identity.Role.partnerCoordinator, .coordinator, .viewer] {
            let email = "\(role.rawValue)@y-town.be"
            _ = try await TestTenant.create(in: fixture.database, slug: "y-town", role: role, email: email)
            emails.append(email)
        }
        let people = emails
        try await fixture.application.test(.router) { client in
            for email in people {
                let browser = TestBrowser(client)
                try await fixture.signIn(browser, as: email)
                #expect(try await browser.get("/admin/municipality").status == .forbidden)
                let post = try await browser.post(
                    "/admin/municipality/identity-provider",
                    form: ["oidcIssuer": "https://evil.example", "oidcClientId": "x", "oidcClientSecret": "y"])
                #expect(post.status == .forbidden, "\(email)")
                #expect(try await browser.post("/admin/municipality/identity-provider/remove").status == .forbidden)
            }
        }
        let stored = try await fixture.provider(of: admin.tenantID)
        #expect(stored?.0 == "https://login.y-town.example" && stored?.1 == "kept" && stored?.2 == "s")
        await fixture.pool.close()
    }

    @Test("the checks `tenant set` and the page share: each field's problem under the page's field name")
    func sharedChecks() {
        #expect(OIDCClient.problems(issuer: "https://login.example.org", clientID: "x", secret: "s").isEmpty)
        #expect(OIDCClient.problems(issuer: "http://127.0.0.1:9400", clientID: "x", secret: nil).isEmpty)
        let all = OIDCClient.problems(issuer: "ftp://login.example.org", clientID: "", secret: "")
        #expect(all.map(\.field) == ["oidcIssuer", "oidcClientId", "oidcClientSecret"])
        #expect(all[0].message.hasPrefix("must be https"))
        #expect(OIDCClient.problems(issuer: nil, clientID: "a\u{7}b", secret: nil).map(\.field) == ["oidcClientId"])
        #expect(
            OIDCClient.problems(issuer: nil, clientID: nil, secret: "two\nlines").map(\.message)
                == ["must hold the secret alone, on one line"])
        #expect(OIDCClient.problems(issuer: "https://a.example/?x=1", clientID: nil, secret: nil).count == 1)
    }
}

/// A readiness check the pages never call.
struct AlwaysReadyForPages: ReadinessCheck {
    func notReadyReason() async -> String? { nil }
}

extension TestResponse {
    fileprivate var text: String { String(buffer: body) }
    fileprivate var location: String? { headers[.location] }
}
