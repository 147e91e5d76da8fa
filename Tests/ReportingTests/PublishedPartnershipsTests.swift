import Foundation
import Gateway
import Hummingbird
import HummingbirdTesting
import Postgres
import Reporting
import TestSupport
import Testing

/// What the showcase will read: the read model knows which partnerships are published, with their story and their
/// lasting address, from the partnership events, and a rebuild knows the same.
@Suite("Published partnerships in the read model")
struct PublishedPartnershipsTests {
    static func row(_ fixture: ReportingFixture, _ id: String) async throws -> String {
        let admin = try await fixture.database.connectAsAdmin()
        let rows = try await admin.query(
            """
            SELECT published, published_at IS NOT NULL, story, slug FROM reporting.partnerships
            WHERE id = \(UUID(uuidString: id)!)
            """
        ).map { "\(try $0.decode((Bool, Bool, String, String?).self))" }
        await admin.close()
        return rows.first ?? "none"
    }

    @Test("publishing, a new story and unpublishing reach the read model; the address stays; a rebuild agrees")
    func publicationReachesTheReadModel() async throws {
        let fixture = try await ReportingFixture.make("publishedpartnerships")
        let coordinator = try await TestTenant.create(in: fixture.database, slug: "roeselare", role: .coordinator)
        let router = fixture.router
        let id = try await Application(router: router).test(.router) { client in
            try #require(
                try object(
                    try await client.send(
                        .post, "/api/v1/partnerships", as: coordinator,
                        json: #"{"title": "Roeselare–Dogbo", "partner": {"name": "Dogbo", "country": "BJ"}}"#)
                )["id"] as? String)
        }
        try await fixture.workers.drain()
        #expect(try await Self.row(fixture, id) == #"(false, false, "", nil)"#)

        func patch(_ body: String) async throws {
            try await Application(router: router).test(.router) { client in
                let patched = try await client.send(.patch, "/api/v1/partnerships/\(id)", as: coordinator, json: body)
                #expect(patched.status == .ok, "\(String(buffer: patched.body))")
            }
            try await fixture.workers.drain()
        }
        try await patch(#"{"published": true, "story": "Since 2003, Roeselare and Dogbo register births together."}"#)
        #expect(
            try await Self.row(fixture, id)
                == #"(true, true, "Since 2003, Roeselare and Dogbo register births together.", Optional("dogbo"))"#)
        try await patch(#"{"published": false}"#)
        let unpublished =
            #"(false, false, "Since 2003, Roeselare and Dogbo register births together.", Optional("dogbo"))"#
        #expect(try await Self.row(fixture, id) == unpublished)

        let live = try await fixture.snapshot()
        _ = try await ReportingPlugin.rebuild(tenants: [coordinator.tenantID], pool: fixture.pool)
        #expect(try await fixture.snapshot() == live)
        #expect(try await Self.row(fixture, id) == unpublished)
    }
}
