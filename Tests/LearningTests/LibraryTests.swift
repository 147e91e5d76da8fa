import Foundation
import Gateway
import Hummingbird
import HummingbirdTesting
import Postgres
import TestSupport
import Testing

/// Roeselare and Leuven, each with a partnership and an activity, and lessons written straight into the Learning
/// plugin's tables as its service writes them (shared ones with their library row).
struct Shelf: Sendable {
    let database: TestDatabase
    let roeselare: TestTenant
    let leuven: TestTenant
    let dogbo: UUID
    let birthRegistration: UUID
    let kpomasse: UUID
    let market: UUID

    static func make(_ label: String) async throws -> (Shelf, LearningFixture) {
        let fixture = try await LearningFixture.make(label)
        let roeselare = try await TestTenant.create(in: fixture.database, slug: "roeselare", role: .coordinator)
        let leuven = try await TestTenant.create(in: fixture.database, slug: "leuven", role: .coordinator)
        let ids = try await Application(router: fixture.router).test(.router) { client in
            var ids: [UUID] = []
            for (user, partnership, partner, country, activity) in [
                (roeselare, "Roeselare–Dogbo", "Dogbo", "BJ", "Online exchange on crisis practice"),
                (leuven, "Leuven–Kpomassè", "Kpomassè", "BJ", "Market day"),
            ] {
                let created = try await client.send(
                    .post, "/api/v1/partnerships", as: user,
                    json:
                        #"{"title": "\#(partnership)", "partner": {"name": "\#(partner)", "country": "\#(country)"}, "status": "active"}"#
                )
                let id = try decode(Created.self, created).id
                let recorded = try await client.send(
                    .post, "/api/v1/partnerships/\(id)/activities", as: user,
                    json: #"{"title": "\#(activity)", "kind": "knowledge_exchange", "direction": "mutual"}"#)
                ids += [id, try decode(Created.self, recorded).id]
            }
            return ids
        }
        let shelf = Shelf(
            database: fixture.database, roeselare: roeselare, leuven: leuven, dogbo: ids[0], birthRegistration: ids[1],
            kpomasse: ids[2], market: ids[3])
        return (shelf, fixture)
    }

    /// Writes a lesson of `author`'s municipality on its activity; shared `minutesAgo` minutes ago when given.
    @discardableResult
    func lesson(
        _ title: String, body: String, by author: TestTenant, side: String = "partner_municipality",
        domain: String = "civil_registry", language: String = "fr", themes: [String] = [],
        targets: [String] = [], sharedMinutesAgo minutesAgo: Int? = nil
    ) async throws -> UUID {
        let id = UUID()
        let (partnership, activity, partnershipTitle, partner, activityTitle) =
            author.tenantID == roeselare.tenantID
            ? (dogbo, birthRegistration, "Roeselare–Dogbo", "Dogbo", "Online exchange on crisis practice")
            : (kpomasse, market, "Leuven–Kpomassè", "Kpomassè", "Market day")
        let sharedAt = minutesAgo.map { Date().addingTimeInterval(-60 * Double($0)) }
        _ = try await database.rows(
            """
            INSERT INTO learning.lessons (tenant_id, id, activity_id, partnership_id, title, body, side, themes,
                sdg_targets, policy_domain, language, author_id, author_role, shared, shared_at, created_at,
                updated_at)
            VALUES (\(author.tenantID), \(id), \(activity), \(partnership), \(title), \(body), \(side), \(themes),
                \(targets), \(domain), \(language), \(author.userID), 'partner_coordinator', \(sharedAt != nil),
                \(sharedAt), now(), now())
            """)
        guard let sharedAt else { return id }
        _ = try await database.rows(
            """
            INSERT INTO learning.shared_lessons (tenant_id, lesson_id, title, body, side, themes, sdg_targets,
                policy_domain, language, partnership_title, partner_name, partner_country, activity_title,
                contact_role, shared_at)
            VALUES (\(author.tenantID), \(id), \(title), \(body), \(side), \(themes), \(targets), \(domain),
                \(language), \(partnershipTitle), \(partner), 'BJ', \(activityTitle), 'partner_coordinator',
                \(sharedAt))
            """)
        return id
    }
}

@Suite("The practice library across municipalities")
struct LibraryTests {
    struct Page: Decodable {
        var items: [Item]
        var nextCursor: String?
    }

    struct Item: Decodable, Equatable {
        struct Municipality: Decodable, Equatable {
            var slug: String
            var name: String
        }

        struct Partnership: Decodable, Equatable {
            var title: String
            var partnerName: String
            var partnerCountry: String
        }

        var id: UUID
        var title: String
        var side: String
        var policyDomain: String
        var language: String
        var municipality: Municipality
        var partnership: Partnership
        var contactRole: String
    }

    /// The titles a search by `user` answers, in order.
    func titles(_ query: String, as user: TestTenant, on client: some TestClientProtocol) async throws -> [String] {
        let response = try await client.send(.get, "/api/v1/library/lessons?\(query)", as: user)
        #expect(response.status == .ok, "\(query): \(String(buffer: response.body))")
        return try decode(Page.self, response).items.map(\.title)
    }

    static let dogboLesson = "L'acte de naissance numérique"

    @Test("Leuven finds Dogbo's French lesson by its domain's words in any language, by its own words, by filters")
    func findsAcrossMunicipalities() async throws {
        let (shelf, fixture) = try await Shelf.make("libraryfinds")
        let dogbo = try await shelf.lesson(
            Self.dogboLesson,
            body: "À Dogbo, la mairie enregistre les naissances sur une tablette, jusque dans les villages.",
            by: shelf.roeselare, themes: ["covid-19"], targets: ["16.9"], sharedMinutesAgo: 5)
        try await shelf.lesson(
            "Afval ophalen met de fiets", body: "Roeselare leerde hoe Dogbo afval ophaalt.", by: shelf.roeselare,
            side: "flemish_municipality", domain: "waste", language: "nl", sharedMinutesAgo: 4)
        try await shelf.lesson(
            "Le marché du samedi", body: "Kpomassè a appris à organiser un marché.", by: shelf.leuven,
            domain: "local_economy", sharedMinutesAgo: 3)
        try await Application(router: fixture.router).test(.router) { client in
            // Through the domain civil_registry: its names and search words in four languages, without accents
            // or case; each word a prefix, and every word found.
            for words in [
                "registre", "burgerlijke%20stand", "Burgerlijke%20Stand", "etat%20civil", "%C3%A9tat", "geboorte",
                "acte%20naissance", "registre%20tablette", "civil%20registry", "REGISTRO",
            ] {
                #expect(
                    try await titles("q=\(words)", as: shelf.leuven, on: client) == [Self.dogboLesson],
                    "q=\(words)")
            }
            // Its own words: title, text and themes.
            #expect(try await titles("q=tablette", as: shelf.leuven, on: client) == [Self.dogboLesson])
            #expect(try await titles("q=covid", as: shelf.leuven, on: client) == [Self.dogboLesson])
            // Prefixes, not stems, and every word must be found somewhere.
            #expect(try await titles("q=registres", as: shelf.leuven, on: client).isEmpty)
            #expect(try await titles("q=registre%20fiets", as: shelf.leuven, on: client).isEmpty)
            // Punctuation never reaches the query.
            #expect(
                try await titles("q=registre%27%3A*%20%7C%20!", as: shelf.leuven, on: client) == [Self.dogboLesson])

            // Every filter alone and together; newest shared first without any.
            #expect(
                try await titles("", as: shelf.leuven, on: client) == [
                    "Le marché du samedi", "Afval ophalen met de fiets", Self.dogboLesson,
                ])
            for filter in [
                "theme=covid-19", "sdgTarget=16.9", "policyDomain=civil_registry",
                "theme=covid-19&sdgTarget=16.9&policyDomain=civil_registry&country=BJ&side=partner_municipality",
            ] {
                #expect(try await titles(filter, as: shelf.leuven, on: client) == [Self.dogboLesson], "\(filter)")
            }
            #expect(
                try await titles("side=partner_municipality", as: shelf.leuven, on: client) == [
                    "Le marché du samedi", Self.dogboLesson,
                ])
            #expect(try await titles("country=SN", as: shelf.leuven, on: client).isEmpty)

            // The result names the municipality, the partnership and a role, never a person.
            let response = try await client.send(.get, "/api/v1/library/lessons/\(dogbo)", as: shelf.leuven)
            #expect(response.status == .ok)
            let item = try decode(Item.self, response)
            #expect(item.municipality == .init(slug: "roeselare", name: "Roeselare"))
            #expect(item.partnership == .init(title: "Roeselare–Dogbo", partnerName: "Dogbo", partnerCountry: "BJ"))
            #expect(item.contactRole == "partner_coordinator" && item.language == "fr")
            let text = String(buffer: response.body)
            #expect(!text.contains("@") && !text.contains(shelf.roeselare.userID.uuidString.lowercased()))
            #expect(!text.contains(shelf.dogbo.uuidString.lowercased()))

            // A domain retired after the lesson was filed still finds it.
            _ = try await shelf.database.rows(
                "UPDATE learning.policy_domains SET retired_at = now() WHERE code = 'civil_registry'")
            #expect(try await titles("q=burgerlijke", as: shelf.leuven, on: client) == [Self.dogboLesson])
            #expect(try await titles("policyDomain=civil_registry", as: shelf.leuven, on: client) == [Self.dogboLesson])
        }
    }

    @Test("pages of two over five shared lessons, newest first, each once")
    func pagesByCursor() async throws {
        let (shelf, fixture) = try await Shelf.make("librarypages")
        for minutes in 1...5 {
            try await shelf.lesson(
                "Lesson \(minutes)", body: "Text", by: minutes.isMultiple(of: 2) ? shelf.leuven : shelf.roeselare,
                sharedMinutesAgo: minutes)
        }
        try await Application(router: fixture.router).test(.router) { client in
            var seen: [String] = []
            var cursor: String?
            repeat {
                let query = "limit=2" + (cursor.map { "&cursor=\($0)" } ?? "")
                let response = try await client.send(.get, "/api/v1/library/lessons?\(query)", as: shelf.roeselare)
                let page = try decode(Page.self, response)
                #expect(page.items.count <= 2)
                seen += page.items.map(\.title)
                cursor = page.nextCursor
            } while cursor != nil && seen.count < 10
            #expect(seen == ["Lesson 1", "Lesson 2", "Lesson 3", "Lesson 4", "Lesson 5"])
        }
    }

    @Test("an unshared lesson is found by nobody, its own municipality's library included; bad filters are named")
    func unsharedStaysHome() async throws {
        let (shelf, fixture) = try await Shelf.make("libraryunshared")
        let secret = try await shelf.lesson(
            "Geheime les over de burgerlijke stand", body: "Onzichtbaar buiten Roeselare.", by: shelf.roeselare)
        try await shelf.lesson("Gedeelde les", body: "Voor iedereen.", by: shelf.roeselare, sharedMinutesAgo: 1)
        let viewer = try await TestTenant.create(in: shelf.database, slug: "leuven", role: .viewer)
        let partner = try await TestTenant.create(
            in: shelf.database, slug: "leuven", role: .partnerCoordinator)
        try await Application(router: fixture.router).test(.router) { client in
            for user in [shelf.leuven, viewer, partner, shelf.roeselare] {
                for query in ["q=geheime", "q=onzichtbaar", "q=burgerlijke", "policyDomain=civil_registry", ""] {
                    #expect(
                        try await !titles(query, as: user, on: client).contains(where: { $0.hasPrefix("Geheime") }))
                }
                #expect(
                    try await client.send(.get, "/api/v1/library/lessons/\(secret)", as: user).status == .notFound)
            }
            // Every signed-in person of a municipality reads the library, a partner coordinator too.
            #expect(try await titles("", as: partner, on: client) == ["Gedeelde les"])

            for (query, field) in [
                ("sdgTarget=99.9", "sdgTarget"), ("side=north", "side"), ("policyDomain=nope", "policyDomain"),
                ("country=XX", "country"), ("theme=Covid", "theme"), ("limit=0", "limit"),
            ] {
                let response = try await client.send(.get, "/api/v1/library/lessons?\(query)", as: shelf.leuven)
                #expect(response.status == .unprocessableContent, "\(query)")
                #expect(String(buffer: response.body).contains(#""field":"\#(field)""#), "\(query)")
            }
        }
    }

    @Test("in SQL as the app role: another municipality's lessons are invisible, and the search needs a municipality")
    func theDatabaseHoldsTheLine() async throws {
        let (shelf, fixture) = try await Shelf.make("librarysql")
        try await shelf.lesson("Geheime les", body: "Niet gedeeld.", by: shelf.roeselare)
        try await shelf.lesson("Gedeelde les", body: "Gedeeld.", by: shelf.roeselare, sharedMinutesAgo: 1)
        let app = try await PostgresConnection.connect(
            to: shelf.database.appConfiguration, logger: TestLogger.make("library"))
        try await app.withTransaction(tenantID: shelf.leuven.tenantID) { connection in
            for table in ["lessons", "shared_lessons", "partnerships", "activities"] {
                let count = try await connection.query(
                    "SELECT count(*) FROM learning.\(unsafeSQL: table) WHERE tenant_id = \(shelf.roeselare.tenantID)"
                )[0].decode(Int.self, column: 0)
                #expect(count == 0, "learning.\(table)")
            }
        }
        let titles = try await app.withTransaction(tenantID: shelf.leuven.tenantID) { connection in
            try await connection.query(
                "SELECT s.title FROM learning.search_library('{}', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 50) s"
            ).map { try $0.decode(String.self, column: 0) }
        }
        // The owner's function reads every municipality's shared lessons, and only those.
        #expect(titles == ["Gedeelde les"])
        let outside = await #expect(throws: PostgresError.self) {
            try await app.query(
                "SELECT * FROM learning.search_library('{}', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 50)")
        }
        #expect(outside?.sqlState == .insufficientPrivilege)
        let domain = await #expect(throws: PostgresError.self) {
            try await app.withTransaction(tenantID: shelf.leuven.tenantID) { connection in
                try await connection.query(
                    """
                    SELECT learning.define_policy_domain('tourism',
                        '{"nl": "toerisme", "en": "tourism", "fr": "tourisme", "es": "turismo"}', NULL, NULL, false)
                    """)
            }
        }
        #expect(domain?.sqlState == .insufficientPrivilege)
        await app.close()
    }
}
