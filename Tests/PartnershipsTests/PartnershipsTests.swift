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

/// A gateway with the Partnerships plugin on a database of its own.
struct PartnershipsFixture {
    let database: TestDatabase
    let router: Router<GatewayRequestContext>
    let pool: PostgresConnectionPool

    static func make(_ label: String) async throws -> PartnershipsFixture {
        let database = try await TestDatabase.migrated(label)
        let pool = PostgresConnectionPool(
            configuration: .init(connection: database.appConfiguration, maximumConnections: 4),
            logger: TestLogger.make("partnerships")
        )
        let environment = GatewayEnvironment(
            pool: pool,
            readiness: Ready(),
            logger: TestLogger.make("partnerships"),
            rateLimiter: RateLimiter(rate: 100_000, burst: 100_000)
        )
        let router = buildRouter(environment: environment)
        _ = try Kernel.assemble(
            plugins: [PartnershipsPlugin(), ActivitiesPlugin()],
            configuration: KernelConfiguration(),
            router: router,
            environment: environment,
            queue: PostgresJobQueue(),
            logger: TestLogger.make("partnerships")
        )
        return PartnershipsFixture(database: database, router: router, pool: pool)
    }

    func events(_ name: String) async throws -> [[String: Any]] {
        let admin = try await database.connectAsAdmin()
        let rows = try await admin.query(
            "SELECT payload::text FROM messaging.events WHERE name = \(name) ORDER BY position"
        )
        await admin.close()
        return try rows.map {
            try JSONSerialization.jsonObject(with: Data(try $0.decode(String.self, column: 0).utf8)) as! [String: Any]
        }
    }
}

struct Ready: ReadinessCheck {
    func notReadyReason() async -> String? { nil }
}

struct Partnership: Decodable {
    struct Partner: Decodable {
        var name: String
        var country: String
    }
    struct Member: Decodable {
        var userId: UUID
        var role: String
    }
    var id: UUID
    var title: String
    var partner: Partner
    var status: String
    var startedOn: String?
    var sdgFocus: [Int]
    var members: [Member]
    var version: Int
}

struct Page: Decodable {
    var items: [Partnership]
    var nextCursor: String?
}

let sintNiklaas = #"""
    {"title": "Sint-Niklaas–Tambacounda", "partner": {"name": "Tambacounda", "country": "SN", "region": "Tambacounda"},
     "status": "active", "startedOn": "2003-01-01", "sdgFocus": [16, 6, 11], "description": "Civil registry and waste."}
    """#

@Suite("Partnerships over HTTP")
struct PartnershipsTests {
    @Test("a coordinator registers, reads, filters and updates a partnership; each change publishes its event")
    func lifecycle() async throws {
        let fixture = try await PartnershipsFixture.make("partnerships")
        let coordinator = try await TestTenant.create(in: fixture.database, slug: "sint-niklaas", role: .coordinator)
        try await Application(router: fixture.router).test(.router) { client in
            let created = try await client.send(.post, "/api/v1/partnerships", as: coordinator, json: sintNiklaas)
            #expect(created.status == .created)
            #expect(created.headers[.eTag] == "\"1\"")
            let partnership = try decode(Partnership.self, created)
            #expect(partnership.sdgFocus == [6, 11, 16])
            #expect(partnership.startedOn == "2003-01-01")

            let filtered = try decode(
                Page.self,
                try await client.send(.get, "/api/v1/partnerships?status=active&country=SN&sdg=6", as: coordinator)
            )
            #expect(filtered.items.map(\.id) == [partnership.id])
            let none = try decode(Page.self, try await client.send(.get, "/api/v1/partnerships?sdg=3", as: coordinator))
            #expect(none.items.isEmpty)

            let updated = try await client.send(
                .patch,
                "/api/v1/partnerships/\(partnership.id)",
                as: coordinator,
                json: #"{"status": "suspended", "title": "Sint-Niklaas – Tambacounda"}"#,
                headers: [.ifMatch: "\"1\""]
            )
            #expect(updated.status == .ok)
            #expect(updated.headers[.eTag] == "\"2\"")
            let stale = try await client.send(
                .patch,
                "/api/v1/partnerships/\(partnership.id)",
                as: coordinator,
                json: #"{"status": "active"}"#,
                headers: [.ifMatch: "\"1\""]
            )
            #expect(stale.status == .preconditionFailed)
        }
        let created = try await fixture.events("partnerships.partnership_created.v1")
        #expect(created.count == 1)
        let state = created[0]["partnership"] as? [String: Any]
        #expect(state?["title"] as? String == "Sint-Niklaas–Tambacounda")
        #expect(state?["version"] as? Int == 1)
        let updates = try await fixture.events("partnerships.partnership_updated.v1")
        #expect((updates.first?["changedFields"] as? [String])?.sorted() == ["status", "title"])
        let statuses = try await fixture.events("partnerships.partnership_status_changed.v1")
        #expect(statuses.first?["previousStatus"] as? String == "active")
        #expect((statuses.first?["partnership"] as? [String: Any])?["version"] as? Int == 2)
    }

    @Test("each bad field is a 422 naming it")
    func badFields() async throws {
        let fixture = try await PartnershipsFixture.make("partnershipsbad")
        let coordinator = try await TestTenant.create(in: fixture.database, slug: "roeselare", role: .coordinator)
        let cases: [(String, String)] = [
            (#"{"partner": {"name": "Dogbo", "country": "BJ"}}"#, "title"),
            (#"{"title": "R–D", "partner": {"name": "Dogbo", "country": "XX"}}"#, "partner.country"),
            (#"{"title": "R–D", "partner": {"name": "", "country": "BJ"}}"#, "partner.name"),
            (
                #"{"title": "R–D", "partner": {"name": "Dogbo", "country": "BJ", "website": "ftp://x"}}"#,
                "partner.website"
            ),
            (#"{"title": "R–D", "partner": {"name": "Dogbo", "country": "BJ"}, "status": "frozen"}"#, "status"),
            (#"{"title": "R–D", "partner": {"name": "Dogbo", "country": "BJ"}, "sdgFocus": [18]}"#, "sdgFocus"),
            (#"{"title": "R–D", "partner": {"name": "Dogbo", "country": "BJ"}, "sdgFocus": [3, 3]}"#, "sdgFocus"),
            (
                #"{"title": "R–D", "partner": {"name": "Dogbo", "country": "BJ"}, "startedOn": "2010-13-01"}"#,
                "startedOn"
            ),
            (
                #"{"title": "R–D", "partner": {"name": "Dogbo", "country": "BJ"}, "startedOn": "2010-01-01", "endedOn": "2009-12-31"}"#,
                "endedOn"
            ),
            (#"{"title": "R–D", "partner": {"name": "Dogbo", "country": "BJ"}, "colour": "red"}"#, "colour"),
            (#"{"title": 7, "partner": {"name": "Dogbo", "country": "BJ"}}"#, "title"),
        ]
        try await Application(router: fixture.router).test(.router) { client in
            for (body, field) in cases {
                let response = try await client.send(.post, "/api/v1/partnerships", as: coordinator, json: body)
                #expect(response.status == .unprocessableContent, "\(body)")
                #expect(
                    String(buffer: response.body).contains("\"field\":\"\(field)\""),
                    "\(body): \(String(buffer: response.body))")
            }
            for query in ["status=frozen", "country=XX", "sdg=0", "sdg=x"] {
                let response = try await client.send(.get, "/api/v1/partnerships?\(query)", as: coordinator)
                #expect(response.status == .unprocessableContent, "\(query)")
            }
        }
        #expect(try await fixture.events("partnerships.partnership_created.v1").isEmpty)
    }

    @Test("permissions: partner coordinators see only their partnerships; viewers read; only admins delete")
    func permissions() async throws {
        let fixture = try await PartnershipsFixture.make("partnershipsroles")
        let database = fixture.database
        let admin = try await TestTenant.create(in: database, slug: "leuven", role: .admin)
        let coordinator = try await TestTenant.create(in: database, slug: "leuven", role: .coordinator)
        let partner = try await TestTenant.create(in: database, slug: "leuven", role: .partnerCoordinator)
        let viewer = try await TestTenant.create(in: database, slug: "leuven", role: .viewer)
        let stranger = try await TestTenant.create(in: database, slug: "herent", role: .admin)
        try await Application(router: fixture.router).test(.router) { client in
            let para = try decode(
                Partnership.self,
                try await client.send(
                    .post,
                    "/api/v1/partnerships",
                    as: coordinator,
                    json: #"{"title": "Leuven–Para", "partner": {"name": "Para", "country": "SR"}}"#
                )
            )
            let other = try decode(
                Partnership.self,
                try await client.send(
                    .post,
                    "/api/v1/partnerships",
                    as: admin,
                    json: #"{"title": "Leuven–Elsewhere", "partner": {"name": "Elsewhere", "country": "PE"}}"#
                )
            )
            let added = try await client.send(
                .post,
                "/api/v1/partnerships/\(para.id)/members",
                as: coordinator,
                json: #"{"userId": "\#(partner.userID)", "role": "partner_coordinator"}"#
            )
            #expect(added.status == .created)
            #expect(try decode(Partnership.self, added).members.map(\.userId) == [partner.userID])
            let unknownUser = try await client.send(
                .post,
                "/api/v1/partnerships/\(para.id)/members",
                as: coordinator,
                json: #"{"userId": "\#(stranger.userID)", "role": "coordinator"}"#
            )
            #expect(unknownUser.status == .unprocessableContent)

            // The partner coordinator sees exactly their partnership.
            let theirs = try decode(Page.self, try await client.send(.get, "/api/v1/partnerships", as: partner))
            #expect(theirs.items.map(\.id) == [para.id])
            #expect(try await client.send(.get, "/api/v1/partnerships/\(other.id)", as: partner).status == .notFound)
            #expect(try await client.send(.get, "/api/v1/partnerships/\(para.id)", as: partner).status == .ok)
            #expect(
                try await client.send(.patch, "/api/v1/partnerships/\(para.id)", as: partner, json: #"{"title": "X"}"#)
                    .status == .forbidden
            )
            #expect(
                try await client.send(.post, "/api/v1/partnerships", as: partner, json: sintNiklaas).status
                    == .forbidden
            )
            // Viewers read everything and write nothing.
            #expect(
                try decode(Page.self, try await client.send(.get, "/api/v1/partnerships", as: viewer)).items.count == 2)
            #expect(
                try await client.send(.post, "/api/v1/partnerships", as: viewer, json: sintNiklaas).status == .forbidden
            )
            // Another municipality sees none of it.
            #expect(try await client.send(.get, "/api/v1/partnerships/\(para.id)", as: stranger).status == .notFound)
            #expect(
                try decode(Page.self, try await client.send(.get, "/api/v1/partnerships", as: stranger)).items.isEmpty)
            #expect(try await client.send(.delete, "/api/v1/partnerships/\(para.id)", as: stranger).status == .notFound)

            // Only administrators delete, and only partnerships without activities.
            #expect(
                try await client.send(.delete, "/api/v1/partnerships/\(other.id)", as: coordinator).status == .forbidden
            )
            let owner = try await database.connectAsAdmin()
            try await owner.query("UPDATE partnerships.partnerships SET activity_count = 2 WHERE id = \(para.id)")
            #expect(try await client.send(.delete, "/api/v1/partnerships/\(para.id)", as: admin).status == .conflict)
            #expect(try await client.send(.delete, "/api/v1/partnerships/\(other.id)", as: admin).status == .noContent)
            #expect(try await client.send(.get, "/api/v1/partnerships/\(other.id)", as: admin).status == .notFound)

            let removed = try await client.send(
                .delete,
                "/api/v1/partnerships/\(para.id)/members/\(partner.userID)",
                as: coordinator
            )
            #expect(removed.status == .noContent)
            #expect(try await client.send(.get, "/api/v1/partnerships/\(para.id)", as: partner).status == .notFound)
        }
        #expect(try await fixture.events("partnerships.partnership_member_added.v1").count == 1)
        #expect(try await fixture.events("partnerships.partnership_member_removed.v1").count == 1)
        let deleted = try await fixture.events("partnerships.partnership_deleted.v1")
        #expect(deleted.count == 1)
        #expect((deleted[0]["partnership"] as? [String: Any])?["version"] as? Int == 2)
    }

    @Test("pages of partnerships stay stable while new ones are added")
    func pagination() async throws {
        let fixture = try await PartnershipsFixture.make("partnershipspages")
        let coordinator = try await TestTenant.create(in: fixture.database, slug: "mechelen", role: .coordinator)
        try await Application(router: fixture.router).test(.router) { client in
            func add(_ index: Int) async throws {
                let response = try await client.send(
                    .post,
                    "/api/v1/partnerships",
                    as: coordinator,
                    json: #"{"title": "P\#(index)", "partner": {"name": "Nador", "country": "MA"}}"#
                )
                #expect(response.status == .created)
            }
            for index in 0..<5 { try await add(index) }
            var seen: [String] = []
            var cursor: String?
            repeat {
                let uri = "/api/v1/partnerships?limit=2" + (cursor.map { "&cursor=\($0)" } ?? "")
                let page = try decode(Page.self, try await client.send(.get, uri, as: coordinator))
                seen += page.items.map(\.title)
                cursor = page.nextCursor
                if seen.count == 2 { try await add(5) }
            } while cursor != nil
            #expect(seen == ["P0", "P1", "P2", "P3", "P4", "P5"])
        }
    }
}
