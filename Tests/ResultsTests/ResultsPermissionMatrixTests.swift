import Foundation
import Gateway
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Postgres
import TestSupport
import Testing

@Suite("The permission matrix: every role against every result, indicator and period route")
struct ResultsPermissionMatrixTests {
    enum Who: String, CaseIterable, Sendable {
        case admin, coordinator, member, outsider, viewer, otherTenant, platformAdmin
    }

    /// The resources a route is asked about, fresh for every call.
    struct Resources: Sendable {
        var partnership: UUID
        var activity: UUID
        var result: UUID
        var indicator: UUID
        /// A draft period of the indicator, for 2020, with a target.
        var period: UUID
        /// A period of the indicator for 2021 whose value the admin reported: waiting for review.
        var submitted: UUID
    }

    struct Route: Sendable {
        var name: String
        var method: HTTPRequest.Method
        var path: @Sendable (Resources) -> String
        var body: String?
        var expected: [Who: HTTPResponse.Status]
        /// A body that names the resources (an import's rows), instead of ``body``.
        var bodyNaming: (@Sendable (Resources) -> String)? = nil
    }

    static let readers: [Who: HTTPResponse.Status] = [
        .admin: .ok, .coordinator: .ok, .member: .ok, .outsider: .notFound, .viewer: .ok, .otherTenant: .notFound,
        .platformAdmin: .notFound,
    ]

    static let writers: [Who: HTTPResponse.Status] = [
        .admin: .ok, .coordinator: .ok, .member: .forbidden, .outsider: .notFound, .viewer: .forbidden,
        .otherTenant: .notFound, .platformAdmin: .notFound,
    ]

    /// Reporting a value: both sides, the partnership's partner coordinator too.
    static let reporters: [Who: HTTPResponse.Status] = [
        .admin: .ok, .coordinator: .ok, .member: .ok, .outsider: .notFound, .viewer: .forbidden,
        .otherTenant: .notFound, .platformAdmin: .notFound,
    ]

    static func with(_ base: [Who: HTTPResponse.Status], _ status: HTTPResponse.Status) -> [Who: HTTPResponse.Status] {
        base.mapValues { $0 == .ok ? status : $0 }
    }

    static let result = #"{"title": "Every birth registered", "type": "outcome"}"#

    static let routes: [Route] = [
        Route(
            name: "list an activity's results", method: .get, path: { "/api/v1/activities/\($0.activity)/results" },
            expected: readers),
        Route(
            name: "list a partnership's results", method: .get,
            path: { "/api/v1/partnerships/\($0.partnership)/results" }, expected: readers),
        Route(
            name: "define an activity's result", method: .post, path: { "/api/v1/activities/\($0.activity)/results" },
            body: result, expected: with(writers, .created)),
        Route(
            name: "define a partnership's result", method: .post,
            path: { "/api/v1/partnerships/\($0.partnership)/results" }, body: result,
            expected: with(writers, .created)),
        Route(name: "read a result", method: .get, path: { "/api/v1/results/\($0.result)" }, expected: readers),
        Route(
            name: "change a result", method: .patch, path: { "/api/v1/results/\($0.result)" },
            body: #"{"type": "impact"}"#, expected: writers),
        Route(
            name: "delete a result", method: .delete, path: { "/api/v1/results/\($0.result)" },
            expected: with(writers, .noContent)),
        Route(
            name: "define an indicator", method: .post, path: { "/api/v1/results/\($0.result)/indicators" },
            body: #"{"title": "Registrations", "measure": "unit"}"#, expected: with(writers, .created)),
        Route(
            name: "read an indicator", method: .get, path: { "/api/v1/indicators/\($0.indicator)" }, expected: readers),
        Route(
            name: "change an indicator", method: .patch, path: { "/api/v1/indicators/\($0.indicator)" },
            body: #"{"ascending": false}"#, expected: writers),
        Route(
            name: "delete an indicator", method: .delete, path: { "/api/v1/indicators/\($0.indicator)" },
            expected: with(writers, .noContent)),
        Route(
            name: "define a period", method: .post, path: { "/api/v1/indicators/\($0.indicator)/periods" },
            body: #"{"start": "2022-01-01", "end": "2022-12-31", "target": {"value": "12"}}"#,
            expected: with(writers, .created)),
        Route(name: "read a period", method: .get, path: { "/api/v1/periods/\($0.period)" }, expected: readers),
        Route(
            name: "change a period", method: .patch, path: { "/api/v1/periods/\($0.period)" },
            body: #"{"target": {"value": "14"}}"#, expected: writers),
        Route(
            name: "delete a period", method: .delete, path: { "/api/v1/periods/\($0.period)" },
            expected: with(writers, .noContent)),
        Route(
            name: "report a value", method: .put, path: { "/api/v1/periods/\($0.period)/actual" },
            body: #"{"value": "11", "comment": "Eleven audits"}"#, expected: reporters),
        Route(
            name: "report a value again before review", method: .put,
            path: { "/api/v1/periods/\($0.submitted)/actual" }, body: #"{"value": "13"}"#, expected: reporters),
        Route(
            name: "approve a value", method: .post, path: { "/api/v1/periods/\($0.submitted)/approve" },
            body: #"{"comment": "Matches the audit reports"}"#, expected: writers),
        Route(
            name: "return a value", method: .post, path: { "/api/v1/periods/\($0.submitted)/return" },
            body: #"{"comment": "Which audits?"}"#, expected: writers),
        // The import names its activity in its rows: another municipality's is a row that is not found (422),
        // and a partner coordinator may not import, whatever partnership the file names.
        Route(
            name: "import results", method: .post, path: { _ in "/api/v1/imports/results" },
            expected: [
                .admin: .created, .coordinator: .created, .member: .forbidden, .outsider: .forbidden,
                .viewer: .forbidden, .otherTenant: .unprocessableContent, .platformAdmin: .notFound,
            ],
            bodyNaming: { "activity;result;indicator;measure\n\($0.activity);Imported result;Audits imported;unit\n" }),
    ]

    @Test("each role gets exactly the answer its permissions allow")
    func matrix() async throws {
        let fixture = try await ResultsFixture.make("resultsmatrix")
        var users: [Who: TestTenant] = [:]
        users[.admin] = try await TestTenant.create(in: fixture.database, slug: "kortrijk", role: .admin)
        users[.coordinator] = try await TestTenant.create(in: fixture.database, slug: "kortrijk", role: .coordinator)
        users[.member] = try await TestTenant.create(in: fixture.database, slug: "kortrijk", role: .partnerCoordinator)
        users[.outsider] = try await TestTenant.create(
            in: fixture.database, slug: "kortrijk", role: .partnerCoordinator)
        users[.viewer] = try await TestTenant.create(in: fixture.database, slug: "kortrijk", role: .viewer)
        users[.otherTenant] = try await TestTenant.create(in: fixture.database, slug: "zoersel", role: .admin)
        let everyone = users
        // A platform administrator runs the instance and sees no municipality's work: every route is a 404.
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
        try await Application(router: fixture.router).test(.router) { client in
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
                    _ = try await client.send(
                        .post, "/api/v1/partnerships/\(partnership)/members", as: admin,
                        json: #"{"userId": "\#(member.userID)", "role": "partner_coordinator"}"#)
                    let activity = try decode(
                        Created.self,
                        try await client.send(
                            .post, "/api/v1/partnerships/\(partnership)/activities", as: admin,
                            json: #"{"title": "Energy audit", "kind": "knowledge_exchange", "direction": "mutual"}"#)
                    ).id
                    let result = try decode(
                        Created.self,
                        try await client.send(
                            .post, "/api/v1/activities/\(activity)/results", as: admin, json: Self.result)
                    ).id
                    let indicator = try decode(
                        Created.self,
                        try await client.send(
                            .post, "/api/v1/results/\(result)/indicators", as: admin,
                            json: #"{"title": "Audits done", "measure": "unit"}"#)
                    ).id
                    let period = try decode(
                        Created.self,
                        try await client.send(
                            .post, "/api/v1/indicators/\(indicator)/periods", as: admin,
                            json: #"{"start": "2020-01-01", "end": "2020-12-31", "target": {"value": "10"}}"#)
                    ).id
                    let submitted = try decode(
                        Created.self,
                        try await client.send(
                            .post, "/api/v1/indicators/\(indicator)/periods", as: admin,
                            json: #"{"start": "2021-01-01", "end": "2021-12-31"}"#)
                    ).id
                    let reported = try await client.send(
                        .put, "/api/v1/periods/\(submitted)/actual", as: admin, json: #"{"value": "9"}"#)
                    #expect(reported.status == .ok)
                    let resources = Resources(
                        partnership: partnership, activity: activity, result: result, indicator: indicator,
                        period: period, submitted: submitted)
                    let response = try await client.execute(
                        uri: route.path(resources), method: route.method,
                        headers: [.authorization: bearers[who]!, .contentType: "application/json"],
                        body: (route.bodyNaming?(resources) ?? route.body).map { ByteBuffer(string: $0) })
                    #expect(
                        response.status == route.expected[who]!,
                        "\(route.name) as \(who.rawValue): \(String(buffer: response.body))")
                }
            }
        }
    }
}
