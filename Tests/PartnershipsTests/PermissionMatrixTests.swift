import Foundation
import Gateway
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import TestSupport
import Testing

@Suite("The permission matrix: every role against every partnership and activity route")
struct PermissionMatrixTests {
    enum Who: String, CaseIterable, Sendable {
        case admin, coordinator, member, outsider, viewer, otherTenant
    }

    struct Route: Sendable {
        var name: String
        var method: HTTPRequest.Method
        var path: @Sendable (_ partnership: UUID, _ activity: UUID, _ memberID: UUID) -> String
        var body: String?
        var expected: [Who: HTTPResponse.Status]
    }

    static let allowedForWriters: [Who: HTTPResponse.Status] = [
        .admin: .ok, .coordinator: .ok, .member: .forbidden, .outsider: .notFound, .viewer: .forbidden,
        .otherTenant: .notFound,
    ]

    static func with(_ base: [Who: HTTPResponse.Status], _ status: HTTPResponse.Status) -> [Who: HTTPResponse.Status] {
        base.mapValues { $0 == .ok ? status : $0 }
    }

    static let routes: [Route] = [
        Route(
            name: "create partnership", method: .post, path: { _, _, _ in "/api/v1/partnerships" },
            body: #"{"title": "New", "partner": {"name": "Banjul", "country": "GM"}}"#,
            expected: [
                .admin: .created, .coordinator: .created, .member: .forbidden, .outsider: .forbidden,
                .viewer: .forbidden, .otherTenant: .created,
            ]
        ),
        Route(
            name: "read partnership", method: .get, path: { p, _, _ in "/api/v1/partnerships/\(p)" },
            expected: [
                .admin: .ok, .coordinator: .ok, .member: .ok, .outsider: .notFound, .viewer: .ok,
                .otherTenant: .notFound,
            ]
        ),
        Route(
            name: "update partnership", method: .patch, path: { p, _, _ in "/api/v1/partnerships/\(p)" },
            body: #"{"title": "Renamed"}"#, expected: allowedForWriters
        ),
        Route(
            name: "publish partnership", method: .patch, path: { p, _, _ in "/api/v1/partnerships/\(p)" },
            body: #"{"published": true, "story": "Kortrijk and Chefchaouen learn from each other."}"#,
            expected: allowedForWriters
        ),
        Route(
            name: "delete partnership (has an activity)", method: .delete,
            path: { p, _, _ in "/api/v1/partnerships/\(p)" },
            expected: [
                .admin: .conflict, .coordinator: .forbidden, .member: .forbidden, .outsider: .notFound,
                .viewer: .forbidden, .otherTenant: .notFound,
            ]
        ),
        Route(
            name: "add member", method: .post, path: { p, _, _ in "/api/v1/partnerships/\(p)/members" },
            body: nil, expected: with(allowedForWriters, .created)
        ),
        Route(
            name: "remove member", method: .delete,
            path: { p, _, member in "/api/v1/partnerships/\(p)/members/\(member)" },
            expected: with(allowedForWriters, .noContent)
        ),
        Route(
            name: "record activity", method: .post, path: { p, _, _ in "/api/v1/partnerships/\(p)/activities" },
            body: #"{"title": "New", "kind": "other", "direction": "mutual"}"#,
            expected: with(allowedForWriters, .created)
        ),
        Route(
            name: "read activity", method: .get, path: { _, a, _ in "/api/v1/activities/\(a)" },
            expected: [
                .admin: .ok, .coordinator: .ok, .member: .ok, .outsider: .notFound, .viewer: .ok,
                .otherTenant: .notFound,
            ]
        ),
        Route(
            name: "update activity", method: .patch, path: { _, a, _ in "/api/v1/activities/\(a)" },
            body: #"{"status": "ongoing"}"#, expected: allowedForWriters
        ),
        Route(
            name: "delete activity", method: .delete, path: { _, a, _ in "/api/v1/activities/\(a)" },
            expected: with(allowedForWriters, .noContent)
        ),
        Route(
            name: "post update", method: .post, path: { _, a, _ in "/api/v1/activities/\(a)/updates" },
            body: #"{"body": "Progress."}"#,
            expected: [
                .admin: .created, .coordinator: .created, .member: .created, .outsider: .notFound,
                .viewer: .forbidden, .otherTenant: .notFound,
            ]
        ),
        Route(
            name: "read updates", method: .get, path: { _, a, _ in "/api/v1/activities/\(a)/updates" },
            expected: [
                .admin: .ok, .coordinator: .ok, .member: .ok, .outsider: .notFound, .viewer: .ok,
                .otherTenant: .notFound,
            ]
        ),
    ]

    @Test("each role gets exactly the answer its permissions allow")
    func matrix() async throws {
        let fixture = try await PartnershipsFixture.make("matrix")
        var users: [Who: TestTenant] = [:]
        users[.admin] = try await TestTenant.create(in: fixture.database, slug: "kortrijk", role: .admin)
        users[.coordinator] = try await TestTenant.create(in: fixture.database, slug: "kortrijk", role: .coordinator)
        users[.member] = try await TestTenant.create(in: fixture.database, slug: "kortrijk", role: .partnerCoordinator)
        users[.outsider] = try await TestTenant.create(
            in: fixture.database, slug: "kortrijk", role: .partnerCoordinator)
        users[.viewer] = try await TestTenant.create(in: fixture.database, slug: "kortrijk", role: .viewer)
        users[.otherTenant] = try await TestTenant.create(in: fixture.database, slug: "zoersel", role: .admin)
        let everyone = users
        let admin = everyone[.admin]!
        let member = everyone[.member]!
        try await Application(router: fixture.router).test(.router) { client in
            for route in Self.routes {
                for who in Who.allCases {
                    // Fresh resources for every call, so one call's effect cannot change another's answer.
                    let partnership = try decode(
                        Partnership.self,
                        try await client.send(
                            .post,
                            "/api/v1/partnerships",
                            as: admin,
                            json:
                                #"{"title": "Kortrijk–Chefchaouen", "partner": {"name": "Chefchaouen", "country": "MA"}}"#
                        )
                    )
                    _ = try await client.send(
                        .post,
                        "/api/v1/partnerships/\(partnership.id)/members",
                        as: admin,
                        json: #"{"userId": "\#(member.userID)", "role": "partner_coordinator"}"#
                    )
                    let activity = try decode(
                        Activity.self,
                        try await client.send(
                            .post,
                            "/api/v1/partnerships/\(partnership.id)/activities",
                            as: admin,
                            json: #"{"title": "Energy audit", "kind": "knowledge_exchange", "direction": "mutual"}"#
                        )
                    )
                    let body =
                        route.body
                        ?? (route.name == "add member"
                            ? #"{"userId": "\#(everyone[.viewer]!.userID)", "role": "coordinator"}"# : nil)
                    let response = try await client.send(
                        route.method,
                        route.path(partnership.id, activity.id, member.userID),
                        as: everyone[who]!,
                        json: body
                    )
                    let expected = route.expected[who]!
                    #expect(
                        response.status == expected,
                        "\(route.name) as \(who.rawValue): \(String(buffer: response.body))")
                }
            }
        }
    }
}
