import Foundation
import Gateway
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Postgres
import TestSupport
import Testing

/// The showcase on the whole server: published lessons on their partnership's page, the feeds, the platform's
/// counts, and a crawl of every public page and feed that plants canaries (unpublished work, internal words,
/// people) and fails on any of them.
@Suite("The showcase shows exactly what was published: lessons, feeds, counts, and a crawl for leaks")
struct ShowcaseCrawlTests {
    /// Words planted where the showcase must never show them.
    static let canaries = [
        "Intern budgetoverleg",  // the published partnership's internal description
        "Para-stedenband",  // an unpublished partnership's title
        "Geheime markt",  // its activity
        "Les de Para",  // a published lesson of the unpublished partnership
        "Interne werkwijze",  // the published activity's description
        "Voortgang vertrouwelijk",  // its progress update
        "Alleen gedeeld",  // a lesson shared with the other municipalities, not published
        "Nog niet gedeeld",  // a lesson kept inside the municipality
        "Teruggetrokken les",  // a lesson published, then deleted
        "Leuvense les",  // another municipality's published lesson of an unpublished partnership
        "Test coordinator", "Test partner_coordinator",  // people's names
    ]

    /// An e-mail address anywhere in a page or feed.
    static var emailAddress: Regex<Substring> { /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/ }

    struct Scene {
        var roeselare: TestTenant
        var partner: TestTenant
        var leuven: TestTenant
        var dogbo: UUID
        var exchange: UUID
        var dogboLesson: UUID
        var roeselareLesson: UUID
        var sharedOnly: UUID
    }

    @discardableResult
    static func lesson(
        _ title: String, side: String, language: String = "nl", on activity: UUID, by author: TestTenant,
        share: TestTenant? = nil, json visibility: String? = nil, _ client: some TestClientProtocol
    ) async throws -> UUID {
        let written = try await client.send(
            .post, "/api/v1/activities/\(activity)/lessons", as: author,
            json: #"""
                {"title": "\#(title)", "body": "\#(title): wat we leerden.\nEen tweede alinea.", "side": "\#(side)",
                 "themes": ["covid-19"], "sdgTargets": ["16.9"], "policyDomain": "civil_registry",
                 "language": "\#(language)"}
                """#)
        #expect(written.status == .created, "\(title): \(String(buffer: written.body))")
        let id = try decode(Created.self, written).id
        if let share, let visibility {
            let changed = try await client.send(.patch, "/api/v1/lessons/\(id)", as: share, json: visibility)
            #expect(changed.status == .ok, "\(title): \(String(buffer: changed.body))")
        }
        return id
    }

    @discardableResult
    static func activity(
        _ title: String, in partnership: UUID, spent: String, by user: TestTenant, description: String = "",
        _ client: some TestClientProtocol
    ) async throws -> UUID {
        let recorded = try await client.send(
            .post, "/api/v1/partnerships/\(partnership)/activities", as: user,
            json: #"""
                {"title": "\#(title)", "kind": "knowledge_exchange", "direction": "mutual", "startsOn": "2020-05-14",
                 "description": "\#(description)", "sdgTargets": ["16.9"], "participants": 40,
                 "budget": {"planned": "\#(spent)", "spent": "\#(spent)", "currency": "EUR"}}
                """#)
        #expect(recorded.status == .created, "\(String(buffer: recorded.body))")
        return try decode(Created.self, recorded).id
    }

    static func partnership(
        _ title: String, partner: String, by user: TestTenant, description: String = "",
        _ client: some TestClientProtocol
    ) async throws -> UUID {
        try decode(
            Created.self,
            try await client.send(
                .post, "/api/v1/partnerships", as: user,
                json:
                    #"{"title": "\#(title)", "partner": {"name": "\#(partner)", "country": "BJ"}, "description": "\#(description)"}"#
            )
        ).id
    }

    /// Roeselare publishes Roeselare–Dogbo with a lesson from each side; everything else is a canary.
    static func scene(_ database: TestDatabase, _ client: some TestClientProtocol) async throws -> Scene {
        let roeselare = try await TestTenant.create(in: database, slug: "roeselare", role: .coordinator)
        let partner = try await TestTenant.create(in: database, slug: "roeselare", role: .partnerCoordinator)
        let leuven = try await TestTenant.create(in: database, slug: "leuven", role: .coordinator)

        let dogbo = try await partnership(
            "Roeselare–Dogbo", partner: "Dogbo", by: roeselare, description: "Intern budgetoverleg met de schepen",
            client)
        let added = try await client.send(
            .post, "/api/v1/partnerships/\(dogbo)/members", as: roeselare,
            json: #"{"userId": "\#(partner.userID)", "role": "partner_coordinator"}"#)
        #expect(added.status == .created)
        let exchange = try await activity(
            "Online exchange on crisis practice", in: dogbo, spent: "750.00", by: roeselare,
            description: "Interne werkwijze", client)
        let update = try await client.send(
            .post, "/api/v1/activities/\(exchange)/updates", as: roeselare,
            json: #"{"body": "Voortgang vertrouwelijk"}"#)
        #expect(update.status == .created)

        let publish = #"{"shared": true, "published": true}"#
        let dogboLesson = try await lesson(
            "L'acte de naissance numérique", side: "partner_municipality", language: "fr", on: exchange, by: partner,
            share: roeselare, json: publish, client)
        let roeselareLesson = try await lesson(
            "Digitale geboorteaangifte", side: "flemish_municipality", on: exchange, by: roeselare, share: roeselare,
            json: publish, client)
        let sharedOnly = try await lesson(
            "Alleen gedeeld", side: "flemish_municipality", on: exchange, by: roeselare, share: roeselare,
            json: #"{"shared": true}"#, client)
        try await lesson("Nog niet gedeeld", side: "partner_municipality", on: exchange, by: partner, client)
        let withdrawn = try await lesson(
            "Teruggetrokken les", side: "flemish_municipality", on: exchange, by: roeselare, share: roeselare,
            json: publish, client)
        #expect(try await client.send(.delete, "/api/v1/lessons/\(withdrawn)", as: roeselare).status == .noContent)

        // An unpublished partnership of the same municipality, with a published lesson.
        let para = try await partnership("Para-stedenband", partner: "Para", by: roeselare, client)
        let market = try await activity("Geheime markt", in: para, spent: "100.00", by: roeselare, client)
        try await lesson(
            "Les de Para", side: "flemish_municipality", on: market, by: roeselare, share: roeselare, json: publish,
            client)

        // Leuven publishes no partnership, but a lesson; it spent in 2020 as Roeselare did.
        let kpomasse = try await partnership("Leuven–Kpomassè", partner: "Kpomassè", by: leuven, client)
        let day = try await activity("Marktdag", in: kpomasse, spent: "500.00", by: leuven, client)
        try await lesson(
            "Leuvense les", side: "flemish_municipality", on: day, by: leuven, share: leuven, json: publish, client)

        let published = try await client.send(
            .patch, "/api/v1/partnerships/\(dogbo)", as: roeselare,
            json: #"{"published": true, "story": "Sinds 2003 leren Roeselare en Dogbo van elkaar."}"#)
        #expect(published.status == .ok)
        return Scene(
            roeselare: roeselare, partner: partner, leuven: leuven, dogbo: dogbo, exchange: exchange,
            dogboLesson: dogboLesson, roeselareLesson: roeselareLesson, sharedOnly: sharedOnly)
    }

    static func get(_ uri: String, _ client: some TestClientProtocol, headers: HTTPFields = [:]) async throws
        -> TestResponse
    {
        try await client.execute(uri: uri, method: .get, headers: headers)
    }

    /// What a crawl found: the addresses it read, and each canary, address or cookie it met, with where.
    struct Crawl {
        var visited: Set<String> = []
        var findings: [String] = []
    }

    /// Reads every page and feed under `/showcase` reachable from `/showcase` and `/showcase/feed.atom`
    /// (links, the locale switch's `?lang=`, the feeds' absolute links under `publicURL`), without a cookie.
    static func crawl(_ client: some TestClientProtocol, publicURL: String) async throws -> Crawl {
        var crawl = Crawl()
        var queue = ["/showcase", "/showcase/feed.atom"]
        let base = publicURL.hasSuffix("/") ? String(publicURL.dropLast()) : publicURL
        while let next = queue.popLast() {
            guard crawl.visited.insert(next).inserted else { continue }
            #expect(crawl.visited.count < 500, "the crawl does not end")
            let response = try await get(next, client)
            guard response.status == .ok else {
                crawl.findings.append("\(next): \(response.status.code)")
                continue
            }
            let text = String(buffer: response.body)
            if response.headers[.setCookie] != nil { crawl.findings.append("\(next): Set-Cookie") }
            for canary in canaries where text.contains(canary) { crawl.findings.append("\(next): \(canary)") }
            for match in text.matches(of: emailAddress) { crawl.findings.append("\(next): \(match.output)") }
            let path = String(next.prefix { $0 != "?" })
            for match in text.matches(of: /href="([^"#]*)/) {
                var link = String(match.output.1).replacingOccurrences(of: "&amp;", with: "&")
                if link.hasPrefix(base) { link.removeFirst(base.count) }
                if link.hasPrefix("?") { link = path + link }
                if link.hasPrefix("/showcase"), !crawl.visited.contains(link) { queue.append(link) }
            }
        }
        return crawl
    }

    @Test("published lessons on their partnership's page and in the feeds; a crawl finds nothing unpublished")
    func crawlFindsNothingUnpublished() async throws {
        let server = try await WholeServer.make("showcasecrawl")
        let database = server.database
        let publicURL = server.environment.settings.sessions.publicURL
        let scene = try await Application(router: server.router).test(.router) { client in
            try await Self.scene(database, client)
        }
        try await server.workers.drain()
        try await Application(router: server.router).test(.router) { client in
            // The partnership's page: each side's published lessons, in their language, with their anchors.
            let page = String(buffer: try await Self.get("/showcase/roeselare/dogbo", client).body)
            #expect(page.contains("What Roeselare learnt") && page.contains("What Dogbo learnt"))
            let dogbo = scene.dogboLesson.uuidString.lowercased()
            #expect(page.contains(#"id="lesson-\#(dogbo)""#))
            #expect(page.contains(#"<div lang="fr">"#) && page.contains("acte de naissance numérique"))
            #expect(page.contains("Digitale geboorteaangifte"))
            #expect(page.contains("From “Online exchange on crisis practice”, published"))
            let french = String(buffer: try await Self.get("/showcase/roeselare/dogbo?lang=fr", client).body)
            #expect(french.contains("Ce que Dogbo a appris") && french.contains("Ce que Roeselare a appris"))

            // The platform's page: the newest lessons link to their place; the counts count every lesson that is
            // not deleted, published or not; the feed is named in the head.
            let platform = String(buffer: try await Self.get("/showcase", client).body)
            #expect(platform.contains(#"href="/showcase/roeselare/dogbo#lesson-\#(dogbo)""#))
            #expect(platform.contains(#"<span id="count-lessons-flemish">4</span>"#), "\(platform)")
            #expect(platform.contains(#"<span id="count-lessons-partner">2</span>"#))
            #expect(
                platform.contains(
                    #"type="application/atom+xml" title="New lessons of the municipal partnerships" href="/showcase/feed.atom""#
                ))
            // Two municipalities spent in 2020: no year is shown, or either's budget could be read off it.
            #expect(!platform.contains(#"id="spent-by-year""#))

            // The feeds: well-formed Atom, the published lessons only, newest first, a municipality's own.
            let feed = try await Self.get("/showcase/feed.atom", client)
            #expect(feed.status == .ok && feed.headers[.contentType] == "application/atom+xml; charset=utf-8")
            let atom = String(buffer: feed.body)
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("showcase-\(UUID()).atom").path
            try Data(atom.utf8).write(to: URL(fileURLWithPath: file))
            let lint = try await ChildProcess.run(try IATISchema.xmllint(), ["--noout", file])
            #expect(lint.status == 0, "xmllint: \(lint.stderr)\n\(atom)")
            try? FileManager.default.removeItem(atPath: file)
            #expect(atom.contains(#"<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">"#))
            #expect(atom.components(separatedBy: "<entry ").count == 3, "\(atom)")
            #expect(atom.contains("<id>urn:uuid:\(dogbo)</id>"))
            #expect(atom.contains(#"<entry xml:lang="fr">"#) && atom.contains("<name>Dogbo</name>"))
            #expect(atom.contains(#"href="\#(publicURL)/showcase/roeselare/dogbo#lesson-\#(dogbo)""#))
            let etag = try #require(feed.headers[.eTag])
            #expect(
                try await Self.get("/showcase/feed.atom", client, headers: [.ifNoneMatch: etag]).status == .notModified)
            let town = try await Self.get("/showcase/roeselare/feed.atom", client)
            #expect(town.status == .ok && String(buffer: town.body).contains("New lessons of Roeselare"))
            // Leuven published no partnership: neither its page nor its feed is there.
            #expect(try await Self.get("/showcase/leuven/feed.atom", client).status == .notFound)
            #expect(try await Self.get("/showcase/leuven", client).status == .notFound)

            // The crawl: every page and feed in every language, nothing planted, no address, no cookie.
            let crawl = try await Self.crawl(client, publicURL: publicURL)
            #expect(crawl.findings.isEmpty, "\(crawl.findings)")
            for reached in [
                "/showcase/roeselare/dogbo", "/showcase/roeselare/feed.atom", "/showcase/roeselare?lang=es",
                "/showcase/roeselare/dogbo?lang=fr",
            ] {
                #expect(crawl.visited.contains(reached), "\(reached) not reached: \(crawl.visited.sorted())")
            }

            // The crawl can fail: once the shared lesson is published too, it meets it.
            let published = try await client.send(
                .patch, "/api/v1/lessons/\(scene.sharedOnly)", as: scene.roeselare, json: #"{"published": true}"#)
            #expect(published.status == .ok)
        }
        try await server.workers.drain()
        try await Application(router: server.router).test(.router) { client in
            let crawl = try await Self.crawl(client, publicURL: publicURL)
            #expect(crawl.findings.contains("/showcase/roeselare/dogbo: Alleen gedeeld"), "\(crawl.findings)")
        }
        await server.pool.close()
    }

    @Test("money per year shows only where three municipalities spent; unpublishing empties the feed")
    func spentByYearAndUnpublishing() async throws {
        let server = try await WholeServer.make("showcasecounts")
        let database = server.database
        let scene = try await Application(router: server.router).test(.router) { client in
            try await Self.scene(database, client)
        }
        try await server.workers.drain()
        try await Application(router: server.router).test(.router) { client in
            // A third municipality spends in 2020: the year is shown, as the sum of the three.
            let gent = try await TestTenant.create(in: database, slug: "gent", role: .coordinator)
            let partnership = try await Self.partnership("Gent–Mopti", partner: "Mopti", by: gent, client)
            try await Self.activity("Waterproject", in: partnership, spent: "250.00", by: gent, client)
        }
        try await server.workers.drain()
        try await Application(router: server.router).test(.router) { client in
            let platform = String(buffer: try await Self.get("/showcase", client).body)
            #expect(
                platform.contains(#"<tr><th scope="row">2020</th><td class="n">€1,600.00</td></tr>"#), "\(platform)")
            let dutch = String(buffer: try await Self.get("/showcase?lang=nl", client).body)
            #expect(dutch.contains("Besteed per jaar") && dutch.contains("1.600,00"))

            // Unpublished, the partnership's lessons leave the feeds and the platform's page at once.
            let unpublished = try await client.send(
                .patch, "/api/v1/partnerships/\(scene.dogbo)", as: scene.roeselare, json: #"{"published": false}"#)
            #expect(unpublished.status == .ok)
        }
        try await server.workers.drain()
        try await Application(router: server.router).test(.router) { client in
            let atom = String(buffer: try await Self.get("/showcase/feed.atom", client).body)
            #expect(!atom.contains("<entry") && atom.contains("<updated>1970-01-01T00:00:00Z</updated>"))
            let platform = String(buffer: try await Self.get("/showcase", client).body)
            #expect(platform.contains("No lesson is published yet.") && !platform.contains("Digitale geboorteaangifte"))
            #expect(try await Self.get("/showcase/roeselare/feed.atom", client).status == .notFound)
        }
        await server.pool.close()
    }
}
