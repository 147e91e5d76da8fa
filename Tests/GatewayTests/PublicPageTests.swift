import Foundation
import Gateway
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Postgres
import TestSupport
import Testing
import Vocabulary

/// Public pages (`pages.public`): what a visitor and a signed-in person get alike, and what caches may keep.
@Suite("Public pages: no session, no cookie, the language, ETag and the address limit")
struct PublicPageTests {
    /// The gateway with a public page of the test's own at `/test-public` (it shows what its read-only
    /// transaction sees), an Atom body at `/test-public/feed.atom` beside a page for any `/test-public/{slug}`,
    /// a page whose handler throws 404 at `/test-public/missing`, and a `POST` at `/test-public/form` that must
    /// never be reached.
    static func application(_ fixture: PagesFixture) -> some ApplicationProtocol {
        let router = buildRouter(environment: fixture.environment)
        let pages = Pages(router: router, environment: fixture.environment)
        let shell = fixture.environment.pages
        pages.public.get("test-public") { _, context in
            let visit = try context.requirePublicVisit()
            let (tenant, admin, readOnly) = try await visit.read { connection in
                try await connection.query(
                    """
                    SELECT coalesce(current_setting('app.tenant_id', true), ''),
                        coalesce(current_setting('app.platform_admin', true), ''),
                        current_setting('transaction_read_only')
                    """
                )[0].decode((String, String, String).self)
            }
            let content =
                "<h1>Public page</h1><p id=\"tenant\">[\(tenant)]</p><p id=\"platform\">[\(admin)]</p>"
                + "<p id=\"read-only\">\(readOnly)</p>"
            return shell.publicPage(
                title: "Public page", content: content, language: visit.language, alternates: visit.alternates,
                feed: (href: "/test-public/feed.atom", title: "Newest"))
        }
        pages.public.get("test-public/missing") { _, _ -> CachedPage in throw Problem.notFound() }
        // A parameter beside the constant `feed.atom`, registered first: the showcase's `/showcase/{municipality}`
        // beside `/showcase/feed.atom` relies on the router trying the constant segment first.
        pages.public.get("test-public/:slug") { _, context in
            let slug = try context.parameters.require("slug")
            return shell.publicPage(
                title: slug, content: "<h1 id=\"slug\">\(HTML.escape(slug))</h1>",
                language: try context.requirePublicVisit().language, alternates: [])
        }
        pages.public.get("test-public/feed.atom") { _, context in
            CachedPage(
                body: "<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>Newest</title></feed>",
                contentType: "application/atom+xml; charset=utf-8", language: try context.requirePublicVisit().language)
        }
        pages.public.post("test-public/form") { _, _ -> Response in
            Issue.record("a public page's POST reached its handler")
            return Response(status: .ok)
        }
        return Application(router: router)
    }

    static func fixture(_ label: String, addressLimiter: RateLimiter = RateLimiter(rate: 10_000, burst: 10_000))
        async throws -> PagesFixture
    {
        try await PagesFixture.make(label, smtp: nil, addressLimiter: addressLimiter)
    }

    @Test("a fresh visitor gets the page with no Set-Cookie, no CSRF field, no form, and a tenantless read-only read")
    func freshVisitorGetsNoCookieAndNoForm() async throws {
        let fixture = try await Self.fixture("publicfresh")
        try await Self.application(fixture).test(.router) { client in
            let response = try await client.execute(uri: "/test-public", method: .get)
            #expect(response.status == .ok)
            #expect(response.setCookies.isEmpty)
            #expect(!response.text.contains("csrf"))
            #expect(!response.text.contains("<form"))
            #expect(!response.text.contains("sign-out"))
            #expect(!response.text.contains("<script"))
            #expect(response.text.contains("<p id=\"tenant\">[]</p>"))
            #expect(response.text.contains("<p id=\"platform\">[]</p>"))
            #expect(response.text.contains("<p id=\"read-only\">on</p>"))
            #expect(response.headers[.contentType] == "text/html; charset=utf-8")
            #expect(response.headers[.contentSecurityPolicy] == PageSecurityPolicy.pages.description)
            #expect(response.headers[.cacheControl] == "public, max-age=60")
            #expect(response.headers[.vary] == "Accept-Language")
            #expect(response.headers[.contentLanguage] == "en")
            let tag = try #require(response.headers[.eTag])
            #expect(tag.wholeMatch(of: /"[0-9a-f]{32}"/) != nil, "\(tag)")
            #expect(response.text.contains("<html lang=\"en\">"))
            #expect(
                response.text.contains(
                    "<link rel=\"alternate\" type=\"application/atom+xml\" title=\"Newest\" href=\"/test-public/feed.atom\">"
                ))
        }
    }

    @Test("a signed-in person and a made-up session cookie get the visitor's very bytes, and no Set-Cookie")
    func sameBytesWithAndWithoutASession() async throws {
        let fixture = try await Self.fixture("publicsame")
        _ = try await TestTenant.create(in: fixture.database, slug: "tielt", role: .coordinator, email: "c@tielt.be")
        try await Self.application(fixture).test(.router) { client in
            let visitor = try await client.execute(uri: "/test-public?year=2020", method: .get)
            let browser = TestBrowser(client)
            try await fixture.signIn(browser, as: "c@tielt.be")
            #expect(try await browser.get("/settings").status == .ok)
            let signedIn = try await browser.get("/test-public?year=2020")
            let stranger = TestBrowser(client)
            stranger.setCookie("stedenband_session", String(repeating: "A", count: 43))
            stranger.setCookie("stedenband_csrf", String(repeating: "B", count: 43))
            let madeUp = try await stranger.get("/test-public?year=2020")
            for response in [visitor, signedIn, madeUp] {
                #expect(response.status == .ok)
                #expect(response.setCookies.isEmpty)
                #expect(response.body == visitor.body)
                #expect(response.headers[.eTag] == visitor.headers[.eTag])
            }
            #expect(!signedIn.text.contains("Tielt"))
        }
    }

    @Test("If-None-Match naming the ETag (or *) answers 304 without a body; another tag the whole page")
    func eTagAndNotModified() async throws {
        let fixture = try await Self.fixture("publicetag")
        try await Self.application(fixture).test(.router) { client in
            let first = try await client.execute(uri: "/test-public", method: .get)
            let tag = try #require(first.headers[.eTag])
            #expect(try await client.execute(uri: "/test-public", method: .get).headers[.eTag] == tag)
            for header in [tag, "W/\(tag)", "\"0000\", \(tag)", "*"] {
                let again = try await client.execute(uri: "/test-public", method: .get, headers: [.ifNoneMatch: header])
                #expect(again.status == .notModified, "\(header)")
                #expect(again.body.readableBytes == 0)
                #expect(again.headers[.eTag] == tag)
                #expect(again.headers[.cacheControl] == "public, max-age=60")
                #expect(again.headers[.vary] == "Accept-Language")
                #expect(again.setCookies.isEmpty)
            }
            let other = try await client.execute(
                uri: "/test-public", method: .get, headers: [.ifNoneMatch: "\"0123456789abcdef0123456789abcdef\""])
            #expect(other.status == .ok)
            #expect(other.body == first.body)
            // Another language is another body, so another tag: the old one no longer matches.
            let french = try await client.execute(
                uri: "/test-public?lang=fr", method: .get, headers: [.ifNoneMatch: tag])
            #expect(french.status == .ok)
            #expect(french.headers[.eTag] != tag)
        }
    }

    @Test("the ETag is the first 16 bytes of the body's SHA-256 in hex, quoted; If-None-Match is read as a list")
    func eTagIsTheBodysHash() {
        // SHA-256("abc") = ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad (FIPS 180-2).
        let page = CachedPage(body: "abc", contentType: "text/plain", language: .nl)
        #expect(page.eTag == "\"ba7816bf8f01cfea414140de5dae2223\"")
        #expect(CachedPage(body: "abd", contentType: "text/plain", language: .nl).eTag != page.eTag)
    }

    @Test("an Atom body of a public route has its type, the tag, the cache headers and a 304")
    func feedIsCachedToo() async throws {
        let fixture = try await Self.fixture("publicfeed")
        try await Self.application(fixture).test(.router) { client in
            let feed = try await client.execute(uri: "/test-public/feed.atom", method: .get)
            #expect(feed.status == .ok)
            #expect(feed.headers[.contentType] == "application/atom+xml; charset=utf-8")
            #expect(feed.headers[.cacheControl] == "public, max-age=60")
            #expect(feed.headers[.vary] == "Accept-Language")
            #expect(feed.text.hasPrefix("<feed"))
            let tag = try #require(feed.headers[.eTag])
            let again = try await client.execute(
                uri: "/test-public/feed.atom", method: .get, headers: [.ifNoneMatch: tag])
            #expect(again.status == .notModified)
            #expect(again.body.readableBytes == 0)
        }
    }

    @Test("a constant segment (feed.atom) wins over a parameter registered before it, whatever the order")
    func constantSegmentBeforeParameter() async throws {
        let fixture = try await Self.fixture("publicroutes")
        try await Self.application(fixture).test(.router) { client in
            let feed = try await client.execute(uri: "/test-public/feed.atom", method: .get)
            #expect(feed.headers[.contentType] == "application/atom+xml; charset=utf-8")
            let other = try await client.execute(uri: "/test-public/roeselare", method: .get)
            #expect(other.status == .ok)
            #expect(other.text.contains("<h1 id=\"slug\">roeselare</h1>"))
        }
    }

    @Test("the language: ?lang= beats Accept-Language, which beats the default; an unknown ?lang= falls back")
    func languageOrder() async throws {
        let fixture = try await Self.fixture("publiclanguage")
        try await Self.application(fixture).test(.router) { client in
            let cases: [(uri: String, acceptLanguage: String?, expected: String)] = [
                ("/test-public", nil, "en"),
                ("/test-public", "fr-BE,fr;q=0.9,en;q=0.5", "fr"),
                ("/test-public", "de-DE, ja;q=0.8", "en"),
                ("/test-public", "de, es;q=0.5, nl;q=0.7", "nl"),
                ("/test-public?lang=es", "fr", "es"),
                ("/test-public?lang=nl", nil, "nl"),
                ("/test-public?lang=de", "fr", "fr"),
                ("/test-public?lang=", "es", "es"),
                ("/test-public?lang=xx", nil, "en"),
            ]
            for (uri, acceptLanguage, expected) in cases {
                var headers = HTTPFields()
                if let acceptLanguage { headers[.acceptLanguage] = acceptLanguage }
                let response = try await client.execute(uri: uri, method: .get, headers: headers)
                #expect(response.status == .ok)
                #expect(response.text.contains("<html lang=\"\(expected)\">"), "\(uri) \(acceptLanguage ?? "-")")
                #expect(response.headers[.contentLanguage] == expected, "\(uri) \(acceptLanguage ?? "-")")
            }
        }
    }

    @Test("the locale switch is four links keeping the other query parameters, and the head names them")
    func localeLinks() async throws {
        let fixture = try await Self.fixture("publiclinks")
        try await Self.application(fixture).test(.router) { client in
            let page = try await client.execute(uri: "/test-public?year=2020&lang=fr&theme=covid-19", method: .get)
            let html = page.text
            #expect(html.contains("<nav class=\"locale-switch\" aria-label=\"Langue\">"))
            #expect(
                html.contains(
                    "<a href=\"?year=2020&amp;theme=covid-19&amp;lang=nl\" hreflang=\"nl\" lang=\"nl\">Nederlands</a>"))
            #expect(
                html.contains(
                    "<a href=\"?year=2020&amp;theme=covid-19&amp;lang=en\" hreflang=\"en\" lang=\"en\">English</a>"))
            #expect(
                html.contains(
                    "<a href=\"?year=2020&amp;theme=covid-19&amp;lang=fr\" hreflang=\"fr\" lang=\"fr\" aria-current=\"true\">Français</a>"
                ))
            #expect(
                html.contains(
                    "<a href=\"?year=2020&amp;theme=covid-19&amp;lang=es\" hreflang=\"es\" lang=\"es\">Español</a>"))
            #expect(
                html.contains(
                    "<link rel=\"alternate\" hreflang=\"es\" href=\"http://127.0.0.1:8080/test-public?year=2020&amp;theme=covid-19&amp;lang=es\">"
                ))
            #expect(!html.contains("action=\"/language\""))
            let plain = try await client.execute(uri: "/test-public", method: .get).text
            #expect(plain.contains("<a href=\"?lang=fr\" hreflang=\"fr\" lang=\"fr\">Français</a>"))
            #expect(
                plain.contains("<a href=\"?lang=en\" hreflang=\"en\" lang=\"en\" aria-current=\"true\">English</a>"))
        }
    }

    @Test("a made-up session cookie is charged to the address: 429 after the burst, cookie or not")
    func madeUpCookieIsChargedToTheAddress() async throws {
        let fixture = try await Self.fixture("publiclimit", addressLimiter: RateLimiter(rate: 0.0001, burst: 3))
        try await Self.application(fixture).test(.router) { client in
            let stranger = TestBrowser(client)
            stranger.setCookie("stedenband_session", String(repeating: "A", count: 43))
            var statuses: [HTTPResponse.Status] = []
            for _ in 0..<4 {
                statuses.append(try await stranger.get("/test-public").status)
            }
            #expect(statuses == [.ok, .ok, .ok, .tooManyRequests])
            let refused = try await stranger.get("/test-public")
            #expect(refused.status == .tooManyRequests)
            #expect(refused.headers[.retryAfter] != nil)
            #expect(try await client.execute(uri: "/test-public", method: .get).status == .tooManyRequests)
        }
    }

    @Test("a signed-in person's public pages take from the address's bucket; their own pages still do not")
    func sessionIsChargedToTheAddressOnPublicPages() async throws {
        let fixture = try await Self.fixture("publicsession", addressLimiter: RateLimiter(rate: 0.0001, burst: 5))
        _ = try await TestTenant.create(in: fixture.database, slug: "ieper", role: .coordinator, email: "c@ieper.be")
        try await Self.application(fixture).test(.router) { client in
            let browser = TestBrowser(client)
            try await fixture.signIn(browser, as: "c@ieper.be")  // two requests from the address's bucket
            // The session's own pages take from the session's bucket only.
            for _ in 0..<3 {
                #expect(try await browser.get("/settings").status == .ok)
            }
            var statuses: [HTTPResponse.Status] = []
            for _ in 0..<4 {
                statuses.append(try await browser.get("/test-public").status)
            }
            #expect(statuses == [.ok, .ok, .ok, .tooManyRequests])
            #expect(try await browser.get("/settings").status == .ok)
        }
    }

    @Test("a public page's problem is a public page: its status, no cookie, no CSRF field, not cached")
    func problemIsAPublicPage() async throws {
        let fixture = try await Self.fixture("publicproblem")
        try await Self.application(fixture).test(.router) { client in
            let missing = try await client.execute(
                uri: "/test-public/missing?lang=nl", method: .get,
                headers: [.cookie: "stedenband_session=\(String(repeating: "A", count: 43))"])
            #expect(missing.status == .notFound)
            #expect(missing.setCookies.isEmpty)
            #expect(!missing.text.contains("csrf"))
            #expect(missing.text.contains("<html lang=\"nl\">"))
            #expect(missing.text.contains("<h1>Pagina niet gevonden</h1>"))
            #expect(missing.headers[.cacheControl] == "no-store")
            #expect(missing.headers[.eTag] == nil)
            // Public pages only read: a POST registered in the group never reaches its handler.
            let posted = try await client.execute(uri: "/test-public/form", method: .post)
            #expect(posted.status == .methodNotAllowed)
            #expect(posted.headers[.allow] == "GET")
            #expect(posted.setCookies.isEmpty)
        }
    }
}
