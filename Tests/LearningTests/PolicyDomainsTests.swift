import Foundation
import Gateway
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Postgres
import TestSupport
import Testing

@Suite("The instance's policy domains: defined by platform administrators, found in every language")
struct PolicyDomainsTests {
    /// A platform administrator's bearer token.
    static func platformAdministrator(in database: TestDatabase) async throws -> String {
        let admin = try await database.connectAsAdmin()
        let token = APIToken.generate()
        try await admin.withTransaction { connection in
            let id = try await connection.query(
                "INSERT INTO platform.platform_admins (email, name) VALUES ('ops@example.org', 'Ops') RETURNING id"
            )[0].decode(UUID.self, column: 0)
            try await Tenancy.insertToken(token, platformAdminID: id, name: "test", on: connection)
        }
        await admin.close()
        return "Bearer \(token.value)"
    }

    static let tourism = #"""
        {"names": {"nl": "toerisme", "en": "tourism", "fr": "tourisme", "es": "turismo"},
         "searchWords": {"fr": ["écotourisme", "hébergement"], "nl": ["ecotoerisme"]}, "position": 12}
        """#

    @Test("a platform administrator adds a domain whose words find its lessons at once, then retires it; others 404")
    func platformAdministratorsDefineDomains() async throws {
        let (shelf, fixture) = try await Shelf.make("policydomains")
        let bearer = try await Self.platformAdministrator(in: shelf.database)
        try await Application(router: fixture.router).test(.router) { client in
            func put(_ code: String, _ body: String, as authorization: String) async throws -> TestResponse {
                try await client.execute(
                    uri: "/api/v1/platform/policy-domains/\(code)", method: .put,
                    headers: [.authorization: authorization, .contentType: "application/json"],
                    body: ByteBuffer(string: body))
            }
            // Nobody but a platform administrator: a municipality's administrator gets 404, as for every platform
            // route, and the database function refuses too (LibraryTests).
            let admin = try await TestTenant.create(in: shelf.database, slug: "roeselare", role: .admin)
            #expect(try await put("tourism", Self.tourism, as: admin.authorization).status == .notFound)

            let defined = try await put("tourism", Self.tourism, as: bearer)
            #expect(defined.status == .ok, "\(String(buffer: defined.body))")
            let answer = String(buffer: defined.body)
            #expect(answer.contains(#""position":12"#) && answer.contains(#""retired":false"#))

            // A lesson filed under it is found by its Dutch search word, without the accent of the French one.
            try await shelf.lesson(
                "Un gîte communal", body: "Dogbo accueille des visiteurs.", by: shelf.roeselare, domain: "tourism",
                sharedMinutesAgo: 1)
            let found = try await client.send(.get, "/api/v1/library/lessons?q=ecotoerisme", as: shelf.leuven)
            #expect(String(buffer: found.body).contains("Un gîte communal"))
            let accents = try await client.send(.get, "/api/v1/library/lessons?q=ecotourisme", as: shelf.leuven)
            #expect(String(buffer: accents.body).contains("Un gîte communal"))

            // Retired: still there, still finding its lessons, no longer offered on the library's form.
            let retired = try await put(
                "tourism",
                #"{"names": {"nl": "toerisme", "en": "tourism", "fr": "tourisme", "es": "turismo"}, "retired": true}"#,
                as: bearer)
            #expect(String(buffer: retired.body).contains(#""retired":true"#))
            #expect(String(buffer: retired.body).contains("écotourisme"))  // words kept when not sent
            let still = try await client.send(.get, "/api/v1/library/lessons?policyDomain=tourism", as: shelf.leuven)
            #expect(String(buffer: still.body).contains("Un gîte communal"))

            // Each wrong field named.
            for (code, body, field) in [
                ("Tourism", Self.tourism, "code"),
                ("tourism", #"{"names": {"nl": "toerisme", "en": "tourism", "fr": "tourisme"}}"#, "names.es"),
                ("tourism", #"{"names": {"nl": "t", "en": "t", "fr": "t", "es": "t", "de": "t"}}"#, "names.de"),
                (
                    "tourism",
                    #"{"names": {"nl": "t", "en": "t", "fr": "t", "es": "t"}, "searchWords": {"pt": ["x"]}}"#,
                    "searchWords.pt"
                ),
                ("tourism", #"{"names": {"nl": "t", "en": "t", "fr": "t", "es": "t"}, "position": 0}"#, "position"),
            ] {
                let refused = try await put(code, body, as: bearer)
                #expect(refused.status == .unprocessableContent, "\(field)")
                #expect(String(buffer: refused.body).contains(#""field":"\#(field)""#), "\(field)")
            }
        }
    }
}
