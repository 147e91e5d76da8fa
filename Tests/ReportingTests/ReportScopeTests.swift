import Foundation
import Gateway
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Messaging
import Postgres
import TestSupport
import Testing

@testable import Reporting

@Suite("A partner coordinator's reports")
struct ReportScopeTests {
    /// Roeselare–Dogbo (BJ, two activities, 100.00 EUR) with `partner` as its partner coordinator, and
    /// Roeselare–Secret (SN, one activity, 99999.00 XOF) without them; answers the two ids.
    private func scenario(_ fixture: ReportingFixture, coordinator: TestTenant, partner: TestTenant) async throws
        -> (String, String)
    {
        try await Application(router: fixture.router).test(.router) { client in
            var ids: [String] = []
            for (title, country, activities) in [
                (
                    "Roeselare–Dogbo", "BJ",
                    [
                        #"{"title": "Wells", "startsOn": "2020-03-01", "kind": "emergency_support", "direction": "mutual", "sdgTargets": ["6.1"], "budget": {"planned": "60", "currency": "EUR"}}"#,
                        #"{"title": "Visit", "startsOn": "2020-03-01", "kind": "study_visit", "direction": "south_to_north", "budget": {"planned": "40", "currency": "EUR"}}"#,
                    ]
                ),
                (
                    "Roeselare–Secret", "SN",
                    [
                        #"{"title": "Secret", "startsOn": "2020-03-01", "kind": "other", "direction": "north_to_south", "themes": ["hush"], "sdgTargets": ["3.d"], "budget": {"planned": "99999", "currency": "XOF"}}"#
                    ]
                ),
            ] {
                let partnership = try object(
                    try await client.send(
                        .post, "/api/v1/partnerships", as: coordinator,
                        json: #"{"title": "\#(title)", "partner": {"name": "P", "country": "\#(country)"}}"#))
                let id = try #require(partnership["id"] as? String)
                for body in activities {
                    #expect(
                        try await client.send(
                            .post, "/api/v1/partnerships/\(id)/activities", as: coordinator, json: body
                        ).status == .created)
                }
                ids.append(id)
            }
            #expect(
                try await client.send(
                    .post, "/api/v1/partnerships/\(ids[0])/members", as: coordinator,
                    json: #"{"userId": "\#(partner.userID)", "role": "partner_coordinator"}"#
                ).status == .created)
            return (ids[0], ids[1])
        }
    }

    @Test("count only the partnerships they are a member of, whatever the filter; the municipality's count all")
    func countOnlyTheirPartnerships() async throws {
        let fixture = try await ReportingFixture.make("reportscope")
        let coordinator = try await TestTenant.create(in: fixture.database, slug: "roeselare", role: .coordinator)
        let partner = try await TestTenant.create(in: fixture.database, slug: "roeselare", role: .partnerCoordinator)
        let viewer = try await TestTenant.create(in: fixture.database, slug: "roeselare", role: .viewer)
        let (_, secret) = try await scenario(fixture, coordinator: coordinator, partner: partner)
        try await fixture.workers.drain()
        try await Application(router: fixture.router).test(.router) { client in
            let theirs = try object(try await client.send(.get, "/api/v1/reports/overview", as: partner))
            #expect(theirs["activities"] as? Int == 2)
            #expect((theirs["partnershipsByStatus"] as? [[String: Any]])?.compactMap { $0["count"] as? Int } == [1])
            #expect((theirs["byCountry"] as? [[String: Any]])?.compactMap { $0["key"] as? String } == ["BJ"])
            #expect((theirs["budget"] as? [String: Any])?.keys.sorted() == ["EUR"])
            let sdg = try object(try await client.send(.get, "/api/v1/reports/sdg", as: partner))
            #expect((sdg["totals"] as? [String: Any])?["activities"] as? Int == 1)
            #expect((sdg["goals"] as? [[String: Any]])?[2]["activities"] as? Int == 0)
            // Naming the other partnership, its country or its theme finds nothing, in any format.
            for filter in ["partnershipId=\(secret)", "country=SN", "theme=hush"] {
                let filtered = try object(
                    try await client.send(.get, "/api/v1/reports/overview?\(filter)", as: partner))
                #expect(filtered["activities"] as? Int == 0, "\(filter)")
                // Partnerships are counted by the partnership and country filters only (a theme is an
                // activity's): at most their own.
                let partnerships = (filtered["partnershipsByStatus"] as? [[String: Any]])?.compactMap {
                    $0["count"] as? Int
                }
                #expect(partnerships == (filter.hasPrefix("theme") ? [1] : []), "\(filter)")
                let csv = try await client.send(.get, "/api/v1/reports/sdg?format=csv&\(filter)", as: partner)
                #expect(!String(buffer: csv.body).contains("XOF"), "\(filter)")
            }
            // The municipality's people see it all.
            for everyone in [coordinator, viewer] {
                let all = try object(try await client.send(.get, "/api/v1/reports/overview", as: everyone))
                #expect(all["activities"] as? Int == 3)
                #expect((all["byCountry"] as? [[String: Any]])?.compactMap { $0["key"] as? String } == ["BJ", "SN"])
            }
        }
    }

    @Test("follow their membership: a partner coordinator who leaves the partnership sees none of it")
    func followMembership() async throws {
        let fixture = try await ReportingFixture.make("reportscopeleave")
        let coordinator = try await TestTenant.create(in: fixture.database, slug: "roeselare", role: .coordinator)
        let partner = try await TestTenant.create(in: fixture.database, slug: "roeselare", role: .partnerCoordinator)
        let (dogbo, _) = try await scenario(fixture, coordinator: coordinator, partner: partner)
        try await fixture.workers.drain()
        try await Application(router: fixture.router).test(.router) { client in
            let removed = try await client.send(
                .delete, "/api/v1/partnerships/\(dogbo)/members/\(partner.userID)", as: coordinator)
            #expect(removed.status == .noContent)
        }
        try await fixture.workers.drain()
        try await Application(router: fixture.router).test(.router) { client in
            let theirs = try object(try await client.send(.get, "/api/v1/reports/overview", as: partner))
            #expect(theirs["activities"] as? Int == 0)
            #expect((theirs["partnershipsByStatus"] as? [[String: Any]])?.isEmpty == true)
        }
    }

    @Test("the IATI export is the municipality's publication: 403 to a partner coordinator, XML to a viewer")
    func iatiExportIsForbidden() async throws {
        let fixture = try await ReportingFixture.make("reportscopeiati")
        let coordinator = try await TestTenant.create(in: fixture.database, slug: "roeselare", role: .coordinator)
        let partner = try await TestTenant.create(in: fixture.database, slug: "roeselare", role: .partnerCoordinator)
        let viewer = try await TestTenant.create(in: fixture.database, slug: "roeselare", role: .viewer)
        _ = try await scenario(fixture, coordinator: coordinator, partner: partner)
        try await fixture.workers.drain()
        let admin = try await fixture.database.connectAsAdmin()
        try await admin.query(
            """
            UPDATE platform.tenants SET iati_organisation_ref = 'BE-BCE_KBO-0205976047', iati_organisation_type = '11'
            WHERE id = \(coordinator.tenantID)
            """)
        await admin.close()
        try await Application(router: fixture.router).test(.router) { client in
            let refused = try await client.send(.get, "/api/v1/exports/iati?year=2020", as: partner)
            #expect(refused.status == .forbidden)
            #expect(refused.headers[.contentType] == "application/problem+json")
            #expect(!String(buffer: refused.body).contains("Secret"))
            let published = try await client.send(.get, "/api/v1/exports/iati", as: viewer)
            #expect(published.status == .ok)
            #expect(
                String(buffer: published.body).contains("Wells") && String(buffer: published.body).contains("Secret"))
        }
    }
}
