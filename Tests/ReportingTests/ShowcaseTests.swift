import Foundation
import Gateway
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import TestSupport
import Testing

/// The public showcase: exactly what a municipality published, to anyone without signing in, cacheable.
@Suite("The public showcase")
struct ShowcaseTests {
    /// Roeselare with Dogbo (to publish) and Para (never published), each with an activity.
    static func scenario(_ fixture: ReportingFixture, _ coordinator: TestTenant) async throws -> String {
        try await Application(router: fixture.router).test(.router) { client in
            var dogbo = ""
            for (title, partner, country, description, activity) in [
                (
                    "Roeselare–Dogbo", "Dogbo", "BJ", "Intern: budgetoverleg met de schepen",
                    "Digital birth registration"
                ),
                ("Roeselare–Para", "Para", "SR", "Intern: nog niet rond", "Geheim project"),
            ] {
                let created = try object(
                    try await client.send(
                        .post, "/api/v1/partnerships", as: coordinator,
                        json:
                            #"{"title": "\#(title)", "partner": {"name": "\#(partner)", "country": "\#(country)"}, "description": "\#(description)"}"#
                    ))
                let id = try #require(created["id"] as? String)
                if partner == "Dogbo" { dogbo = id }
                let recorded = try await client.send(
                    .post, "/api/v1/partnerships/\(id)/activities", as: coordinator,
                    json: #"""
                        {"title": "\#(activity)", "kind": "knowledge_exchange", "direction": "mutual",
                         "startsOn": "2020-05-14", "sdgTargets": ["16.9", "3.8"], "participants": 40,
                         "budget": {"planned": "1000.00", "spent": "750.00", "currency": "EUR"}}
                        """#)
                #expect(recorded.status == .created)
            }
            return dogbo
        }
    }

    static func get(_ uri: String, _ client: some TestClientProtocol, headers: HTTPFields = [:]) async throws
        -> TestResponse
    {
        try await client.execute(uri: uri, method: .get, headers: headers)
    }

    @Test("exactly what is published, to anyone without signing in; unpublished again, gone at once")
    func exactlyWhatIsPublished() async throws {
        let fixture = try await ReportingFixture.make("showcase")
        let coordinator = try await TestTenant.create(in: fixture.database, slug: "roeselare", role: .coordinator)
        let dogbo = try await Self.scenario(fixture, coordinator)
        try await fixture.workers.drain()
        let router = fixture.router
        try await Application(router: router).test(.router) { client in
            // Nothing published: no page, and the platform's page says so.
            #expect(try await Self.get("/showcase/roeselare/dogbo", client).status == .notFound)
            #expect(try await Self.get("/showcase/roeselare", client).status == .notFound)
            let empty = String(buffer: try await Self.get("/showcase", client).body)
            #expect(empty.contains("Nothing is published yet."))
            let published = try await client.send(
                .patch, "/api/v1/partnerships/\(dogbo)", as: coordinator,
                json:
                    #"{"published": true, "story": "Since 2003 Roeselare and Dogbo learn from each other.\nBirths are registered in the villages."}"#
            )
            #expect(published.status == .ok)
        }
        try await fixture.workers.drain()
        try await Application(router: router).test(.router) { client in
            let page = try await Self.get("/showcase/roeselare/dogbo", client)
            #expect(page.status == .ok)
            let html = String(buffer: page.body)
            #expect(html.contains("<h1>Roeselare–Dogbo</h1>") && html.contains("with Dogbo, Benin"))
            #expect(html.contains("<p>Births are registered in the villages.</p>"))
            #expect(html.contains("Digital birth registration") && html.contains("May 14, 2020"))
            #expect(html.contains("16. Peace, justice and strong institutions") || html.contains("16. "))
            #expect(html.contains("€750.00"))
            // Never the internal description, the other partnership, its activity, or a person.
            for secret in ["Intern:", "Roeselare–Para", "Geheim project", "@roeselare.be", "Test coordinator"] {
                #expect(!html.contains(secret), "\(secret)")
            }
            // Public and cacheable: no cookie, an ETag, 304 when it has not changed.
            #expect(page.headers[.setCookie] == nil)
            #expect(page.headers[.cacheControl] == "public, max-age=60")
            let etag = try #require(page.headers[.eTag])
            let again = try await Self.get("/showcase/roeselare/dogbo", client, headers: [.ifNoneMatch: etag])
            #expect(again.status == .notModified && again.body.readableBytes == 0)

            // The municipality's page and the platform's list it; Para is nowhere.
            let town = String(buffer: try await Self.get("/showcase/roeselare", client).body)
            #expect(town.contains("Partnerships of Roeselare") && town.contains(#"href="/showcase/roeselare/dogbo""#))
            #expect(!town.contains("Para"))
            let platform = String(buffer: try await Self.get("/showcase", client).body)
            #expect(platform.contains(#"<dd id="count-partnerships">2</dd>"#))
            #expect(platform.contains(#"href="/showcase/roeselare""#) && !platform.contains("Para"))
            // One line a municipality, however many it published: its page lists them.
            #expect(platform.contains(#"<a href="/showcase/roeselare">Roeselare</a> · 1 published partnership</li>"#))
            #expect(!platform.contains(#"href="/showcase/roeselare/dogbo""#))
            #expect(try await Self.get("/showcase/leuven", client).status == .notFound)
            #expect(try await Self.get("/showcase/roeselare/para", client).status == .notFound)

            // In French, the links keep the language.
            let french = String(buffer: try await Self.get("/showcase/roeselare?lang=fr", client).body)
            #expect(french.contains("Partenariats de Roeselare") && french.contains("avec Dogbo, Bénin"))
            #expect(french.contains(#"href="/showcase/roeselare/dogbo?lang=fr""#))

            let unpublished = try await client.send(
                .patch, "/api/v1/partnerships/\(dogbo)", as: coordinator, json: #"{"published": false}"#)
            #expect(unpublished.status == .ok)
        }
        try await fixture.workers.drain()
        try await Application(router: router).test(.router) { client in
            let gone = try await Self.get("/showcase/roeselare/dogbo", client)
            #expect(gone.status == .notFound)
            #expect(try await Self.get("/showcase/roeselare", client).status == .notFound)
        }
    }
}
