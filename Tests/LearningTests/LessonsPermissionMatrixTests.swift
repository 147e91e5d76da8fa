import Foundation
import Gateway
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Postgres
import TestSupport
import Testing

/// docs/design/learning-library.md §3's table, row by row, for the lesson routes.
@Suite("The permission matrix: every role against every lesson route")
struct LessonsPermissionMatrixTests {
    enum Who: String, CaseIterable, Sendable {
        /// `member` is a partner coordinator of the partnership, `outsider` one of another partnership of the
        /// same municipality.
        case admin, coordinator, member, outsider, viewer, otherTenant, platformAdmin
    }

    /// The resources a route is asked about, fresh for every call.
    struct Resources: Sendable {
        var partnership: UUID
        var activity: UUID
        /// Written by the admin on the Flemish side.
        var flemish: UUID
        /// Written on the partner's side by another partner coordinator of the partnership (not `member`).
        var partner: UUID
    }

    struct Route: Sendable {
        var name: String
        var method: HTTPRequest.Method
        var path: @Sendable (Resources) -> String
        var body: String?
        var expected: [Who: HTTPResponse.Status]
    }

    static let readers: [Who: HTTPResponse.Status] = [
        .admin: .ok, .coordinator: .ok, .member: .ok, .outsider: .notFound, .viewer: .ok, .otherTenant: .notFound,
        .platformAdmin: .notFound,
    ]

    /// Administrators and coordinators only.
    static let writers: [Who: HTTPResponse.Status] = [
        .admin: .ok, .coordinator: .ok, .member: .forbidden, .outsider: .notFound, .viewer: .forbidden,
        .otherTenant: .notFound, .platformAdmin: .notFound,
    ]

    /// Administrators, coordinators and the partnership's partner coordinators.
    static let bothSides: [Who: HTTPResponse.Status] = [
        .admin: .ok, .coordinator: .ok, .member: .ok, .outsider: .notFound, .viewer: .forbidden,
        .otherTenant: .notFound, .platformAdmin: .notFound,
    ]

    /// The partner side's words: its partner coordinators' (and its author's).
    static let partnerWords: [Who: HTTPResponse.Status] = [
        .admin: .forbidden, .coordinator: .forbidden, .member: .ok, .outsider: .notFound, .viewer: .forbidden,
        .otherTenant: .notFound, .platformAdmin: .notFound,
    ]

    static func with(_ base: [Who: HTTPResponse.Status], _ status: HTTPResponse.Status) -> [Who: HTTPResponse.Status] {
        base.mapValues { $0 == .ok ? status : $0 }
    }

    static func lesson(side: String) -> String {
        #"{"title": "Wat we leerden", "body": "Veel.", "side": "\#(side)", "policyDomain": "waste", "language": "nl"}"#
    }

    static let routes: [Route] = [
        Route(
            name: "list an activity's lessons", method: .get, path: { "/api/v1/activities/\($0.activity)/lessons" },
            expected: readers),
        Route(name: "read a lesson", method: .get, path: { "/api/v1/lessons/\($0.flemish)" }, expected: readers),
        Route(
            name: "read a partner's lesson", method: .get, path: { "/api/v1/lessons/\($0.partner)" },
            expected: readers),
        Route(
            name: "write on the Flemish side", method: .post, path: { "/api/v1/activities/\($0.activity)/lessons" },
            body: lesson(side: "flemish_municipality"), expected: with(writers, .created)),
        Route(
            name: "write on the partner's side", method: .post,
            path: { "/api/v1/activities/\($0.activity)/lessons" }, body: lesson(side: "partner_municipality"),
            expected: with(bothSides, .created)),
        Route(
            name: "change the words of a partner coordinator's lesson", method: .patch,
            path: { "/api/v1/lessons/\($0.partner)" }, body: #"{"title": "Herschreven", "body": "Anders."}"#,
            expected: partnerWords),
        Route(
            name: "change the language of a partner coordinator's lesson", method: .patch,
            path: { "/api/v1/lessons/\($0.partner)" }, body: #"{"language": "en"}"#, expected: partnerWords),
        Route(
            name: "retag a partner coordinator's lesson", method: .patch, path: { "/api/v1/lessons/\($0.partner)" },
            body: #"{"themes": ["waste"], "sdgTargets": ["11.6"], "policyDomain": "water"}"#, expected: bothSides),
        Route(
            name: "change the words of a Flemish lesson", method: .patch, path: { "/api/v1/lessons/\($0.flemish)" },
            body: #"{"body": "Anders."}"#, expected: writers),
        Route(
            name: "retag a Flemish lesson", method: .patch, path: { "/api/v1/lessons/\($0.flemish)" },
            body: #"{"themes": ["waste"]}"#, expected: writers),
        Route(
            name: "share a Flemish lesson", method: .patch, path: { "/api/v1/lessons/\($0.flemish)" },
            body: #"{"shared": true}"#, expected: writers),
        Route(
            name: "share a partner coordinator's lesson", method: .patch, path: { "/api/v1/lessons/\($0.partner)" },
            body: #"{"shared": true}"#, expected: writers),
        Route(
            name: "publish a partner coordinator's lesson", method: .patch,
            path: { "/api/v1/lessons/\($0.partner)" }, body: #"{"published": true}"#, expected: writers),
        Route(
            name: "delete a Flemish lesson", method: .delete, path: { "/api/v1/lessons/\($0.flemish)" },
            expected: with(writers, .noContent)),
        Route(
            name: "delete a partner's lesson", method: .delete, path: { "/api/v1/lessons/\($0.partner)" },
            expected: with(bothSides, .noContent)),
        // The instance's list, not a municipality's: anyone signed in, a platform administrator too.
        Route(
            name: "list the policy domains", method: .get, path: { _ in "/api/v1/policy-domains" },
            expected: Dictionary(uniqueKeysWithValues: Who.allCases.map { ($0, HTTPResponse.Status.ok) })),
    ]

    @Test("each role gets exactly the answer its permissions allow")
    func matrix() async throws {
        let fixture = try await LearningFixture.make("lessonsmatrix")
        var users: [Who: TestTenant] = [:]
        users[.admin] = try await TestTenant.create(in: fixture.database, slug: "kortrijk", role: .admin)
        users[.coordinator] = try await TestTenant.create(in: fixture.database, slug: "kortrijk", role: .coordinator)
        users[.member] = try await TestTenant.create(in: fixture.database, slug: "kortrijk", role: .partnerCoordinator)
        users[.outsider] = try await TestTenant.create(
            in: fixture.database, slug: "kortrijk", role: .partnerCoordinator)
        users[.viewer] = try await TestTenant.create(in: fixture.database, slug: "kortrijk", role: .viewer)
        users[.otherTenant] = try await TestTenant.create(in: fixture.database, slug: "zoersel", role: .admin)
        let author = try await TestTenant.create(in: fixture.database, slug: "kortrijk", role: .partnerCoordinator)
        let everyone = users
        // A platform administrator runs the instance and sees no municipality's work: every lesson route is a 404.
        let platformToken = APIToken.generate()
        let owner = try await fixture.database.connectAsAdmin()
        try await owner.withTransaction { connection in
            let id = try await connection.query(
                "INSERT INTO platform.platform_admins (email, name) VALUES ('ops@platform.example.org', 'Ops') RETURNING id"
            )[0].decode(UUID.self, column: 0)
            try await Tenancy.insertToken(platformToken, platformAdminID: id, name: "matrix", on: connection)
        }
        await owner.close()
        var authorizations = everyone.mapValues(\.authorization)
        authorizations[.platformAdmin] = "Bearer \(platformToken.value)"
        let bearers = authorizations
        let admin = everyone[.admin]!
        let member = everyone[.member]!
        let outsider = everyone[.outsider]!
        try await Application(router: fixture.router).test(.router) { client in
            // The outsider coordinates another partnership of the municipality.
            let elsewhere = try decode(
                Created.self,
                try await client.send(
                    .post, "/api/v1/partnerships", as: admin,
                    json: #"{"title": "Kortrijk–Cuenca", "partner": {"name": "Cuenca", "country": "EC"}}"#)
            ).id
            _ = try await client.send(
                .post, "/api/v1/partnerships/\(elsewhere)/members", as: admin,
                json: #"{"userId": "\#(outsider.userID)", "role": "partner_coordinator"}"#)
            for route in Self.routes {
                for who in Who.allCases {
                    // Fresh resources for every call, so one call's effect cannot change another's answer.
                    let partnership = try decode(
                        Created.self,
                        try await client.send(
                            .post, "/api/v1/partnerships", as: admin,
                            json:
                                #"{"title": "Kortrijk–Chefchaouen", "partner": {"name": "Chefchaouen", "country": "MA"}}"#
                        )
                    ).id
                    for partner in [member, author] {
                        _ = try await client.send(
                            .post, "/api/v1/partnerships/\(partnership)/members", as: admin,
                            json: #"{"userId": "\#(partner.userID)", "role": "partner_coordinator"}"#)
                    }
                    let activity = try decode(
                        Created.self,
                        try await client.send(
                            .post, "/api/v1/partnerships/\(partnership)/activities", as: admin,
                            json: #"{"title": "Waste collection", "kind": "knowledge_exchange", "direction": "mutual"}"#
                        )
                    ).id
                    let flemish = try decode(
                        Created.self,
                        try await client.send(
                            .post, "/api/v1/activities/\(activity)/lessons", as: admin,
                            json: Self.lesson(side: "flemish_municipality"))
                    ).id
                    let partnerLesson = try decode(
                        Created.self,
                        try await client.send(
                            .post, "/api/v1/activities/\(activity)/lessons", as: author,
                            json: Self.lesson(side: "partner_municipality"))
                    ).id
                    let resources = Resources(
                        partnership: partnership, activity: activity, flemish: flemish, partner: partnerLesson)
                    let response = try await client.execute(
                        uri: route.path(resources), method: route.method,
                        headers: [.authorization: bearers[who]!, .contentType: "application/json"],
                        body: route.body.map { ByteBuffer(string: $0) })
                    #expect(
                        response.status == route.expected[who]!,
                        "\(route.name) as \(who.rawValue): \(String(buffer: response.body))")
                }
            }
        }
        await fixture.pool.close()
    }
}
