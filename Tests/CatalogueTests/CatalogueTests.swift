import Catalogue
import Foundation
import Gateway
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Kernel
import Messaging
import Postgres
import ReferenceData
import TestSupport
import Testing
import Vocabulary

@Suite("The SDG catalogue and reference lists")
struct CatalogueTests {
    @Test("17 goals with their official colours and names in four languages, 169 targets with valid codes")
    func catalogue() throws {
        #expect(SDGCatalogue.goals.count == 17)
        #expect(SDGCatalogue.targets.count == 169)
        let health = try #require(SDGCatalogue.goal(3))
        #expect(health.colour == "#4C9F38")
        #expect(health.shortName(.nl) == "Goede gezondheid en welzijn")
        #expect(health.shortName(.en) == "Good health and well-being")
        #expect(!health.title(.fr).isEmpty && !health.title(.es).isEmpty)
        #expect(SDGCatalogue.goal(0) == nil && SDGCatalogue.goal(18) == nil)
        let target = try #require(SDGCatalogue.target("3.d"))
        #expect(target.goal == 3)
        #expect(target.text(.en).contains("health risks"))
        #expect(!target.text(.es).isEmpty && target.text(.es) != target.text(.en))
        #expect(target.text(.nl) == target.text(.en))
        #expect(SDGCatalogue.target("3.z") == nil)
        #expect(SDGCatalogue.targets(ofGoal: 17).count == 19)
        #expect(Set(SDGCatalogue.targets.map(\.code)).count == 169)
    }

    @Test("the active DAC 5-digit sectors with their categories, named in English and French")
    func dacSectors() throws {
        #expect(DACSectors.all.count == 295)
        #expect(Set(DACSectors.all.map(\.code)).count == 295)
        #expect(DACSectors.all.allSatisfy { $0.code.count == 5 && $0.code.allSatisfy(\.isNumber) })
        let decentralisation = try #require(DACSectors.sector("15112"))
        #expect(decentralisation.category == "151")
        #expect(decentralisation.name(.en).hasPrefix("Decentralisation"))
        #expect(!decentralisation.name(.fr).isEmpty && decentralisation.name(.fr) != decentralisation.name(.en))
        // No Dutch or Spanish names in the codelist: English stands in.
        #expect(decentralisation.name(.nl) == decentralisation.name(.en))
        // Withdrawn codes and categories are not sectors.
        #expect(DACSectors.sector("15120") == nil && DACSectors.sector("151") == nil)
        // Every sector's category exists, to group it under.
        let categories = Set(DACSectors.categories.map(\.code))
        #expect(DACSectors.all.allSatisfy { categories.contains($0.category) })
        #expect(DACSectors.sectors(inCategory: "151").contains(decentralisation))
        #expect(DACSectors.categories.first { $0.code == "151" }?.name(.en).isEmpty == false)
    }

    @Test("every goal and target of the catalogue has an id of the vocabulary, with the same goal")
    func ids() throws {
        #expect(SDGGoalID.all.map { SDGCatalogue.goal($0).number } == Array(1...17))
        for target in SDGCatalogue.targets {
            let id = try #require(SDGTargetID(rawValue: target.code), "\(target.code)")
            #expect(id.goal.rawValue == target.goal)
            #expect(SDGCatalogue.targetID(target.code) == id)
        }
        #expect(SDGCatalogue.targetID("3.z") == nil && SDGCatalogue.targetID("3d") == nil)
    }

    @Test("countries and currencies are the ISO lists")
    func isoLists() {
        for code in ["BE", "SN", "BJ", "SR", "GT", "MA", "GM", "PE"] { #expect(Countries.isValid(code), "\(code)") }
        #expect(!Countries.isValid("XX") && !Countries.isValid("be"))
        #expect(Countries.name("SN") == "Senegal")
        for code in ["EUR", "XOF", "SRD", "GTQ", "MAD", "PEN"] { #expect(Currencies.isValid(code), "\(code)") }
        #expect(!Currencies.isValid("ABC"))
    }

    @Test("GET /api/v1/sdgs answers in the language asked for, refuses an unknown one, and needs a token")
    func route() async throws {
        let database = try await TestDatabase.migrated("catalogue")
        let user = try await TestTenant.create(in: database, slug: "zoersel", role: .viewer)
        let pool = PostgresConnectionPool(
            configuration: .init(connection: database.appConfiguration, maximumConnections: 2),
            logger: TestLogger.make("catalogue")
        )
        let environment = GatewayEnvironment(pool: pool, readiness: Ready(), logger: TestLogger.make("catalogue"))
        let router = buildRouter(environment: environment)
        _ = try Kernel.assemble(
            plugins: [CataloguePlugin()],
            configuration: KernelConfiguration(),
            router: router,
            environment: environment,
            queue: PostgresJobQueue(),
            logger: TestLogger.make("catalogue")
        )
        struct Body: Decodable {
            struct Goal: Decodable {
                struct Target: Decodable {
                    var code: String
                    var text: String
                }
                var number: Int
                var colour: String
                var shortName: String
                var targets: [Target]
            }
            var language: String
            var goals: [Goal]
        }
        try await Application(router: router).test(.router) { client in
            let response = try await client.execute(
                uri: "/api/v1/sdgs?lang=nl",
                method: .get,
                headers: [.authorization: user.authorization]
            )
            #expect(response.status == .ok)
            let body = try JSONDecoder().decode(Body.self, from: Data(response.body.readableBytesView))
            #expect(body.language == "nl")
            #expect(body.goals.count == 17)
            #expect(body.goals[5].shortName == "Schoon water en sanitair")
            #expect(body.goals.flatMap(\.targets).count == 169)
            let spanish = try await client.execute(
                uri: "/api/v1/sdgs?lang=es",
                method: .get,
                headers: [.authorization: user.authorization]
            )
            let es = try JSONDecoder().decode(Body.self, from: Data(spanish.body.readableBytesView))
            #expect(es.goals[0].shortName == "Fin de la Pobreza")
            let bad = try await client.execute(
                uri: "/api/v1/sdgs?lang=de",
                method: .get,
                headers: [.authorization: user.authorization]
            )
            #expect(bad.status == .unprocessableContent)
            #expect(String(buffer: bad.body).contains("\"lang\""))
            #expect(try await client.execute(uri: "/api/v1/sdgs", method: .get).status == .unauthorized)
        }
        await pool.close()
    }
}

struct Ready: ReadinessCheck {
    func notReadyReason() async -> String? { nil }
}
