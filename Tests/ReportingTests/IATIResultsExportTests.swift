import ActivitiesContracts
import Foundation
import Gateway
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Messaging
import NIOCore
import Postgres
import TestSupport
import Testing
import Vocabulary

@testable import Reporting

@Suite("The IATI export carries approved results")
struct IATIResultsExportTests {
    @Test(
        "define, report, approve: the exported file holds the approved value and validates; a returned or unapproved value is not there"
    )
    func iatiCarriesApprovedResultsOnly() async throws {
        let fixture = try await ReportingFixture.make("reportiatiresults")
        let coordinator = try await TestTenant.create(in: fixture.database, slug: "roeselare", role: .coordinator)
        let admin = try await fixture.database.connectAsAdmin()
        try await admin.query(
            "UPDATE platform.tenants SET iati_organisation_ref = 'BE-BCE_KBO-0205667873', iati_organisation_type = '11' WHERE slug = 'roeselare'"
        )
        await admin.close()

        let empty = try await Application(router: fixture.router).test(.router) { client in
            func id(_ response: TestResponse) throws -> String {
                #expect(response.status == .created || response.status == .ok, "\(String(buffer: response.body))")
                return try #require(try object(response)["id"] as? String)
            }
            let partnership = try id(
                try await client.send(
                    .post, "/api/v1/partnerships", as: coordinator,
                    json: #"{"title": "Roeselare–Dogbo", "partner": {"name": "Dogbo", "country": "BJ"}}"#))
            let activity = try id(
                try await client.send(
                    .post, "/api/v1/partnerships/\(partnership)/activities", as: coordinator,
                    json: #"""
                        {"title": "Mobile registration teams", "kind": "knowledge_exchange", "direction": "mutual",
                         "startsOn": "2020-01-01", "endsOn": "2023-12-31", "sdgTargets": ["16.9"]}
                        """#))
            let result = try id(
                try await client.send(
                    .post, "/api/v1/activities/\(activity)/results", as: coordinator,
                    json: #"{"title": "Every birth registered in time", "type": "outcome"}"#))
            let registrations = try id(
                try await client.send(
                    .post, "/api/v1/results/\(result)/indicators", as: coordinator,
                    json: #"""
                        {"title": "Birth registrations within 90 days (%)", "measure": "percentage",
                         "sdgTarget": "16.9", "baseline": {"year": 2019, "value": "61", "comment": "Civil registry"}}
                        """#))
            let registers = try id(
                try await client.send(
                    .post, "/api/v1/results/\(result)/indicators", as: coordinator,
                    json: #"{"title": "Registers delivered", "measure": "unit"}"#))
            func period(_ indicator: String, _ year: Int, target: String) async throws -> String {
                try id(
                    try await client.send(
                        .post, "/api/v1/indicators/\(indicator)/periods", as: coordinator,
                        json:
                            #"{"start": "\#(year)-01-01", "end": "\#(year)-12-31", "target": {"value": "\#(target)"}}"#
                    ))
            }
            let approved = try await period(registrations, 2020, target: "70")
            let submitted = try await period(registrations, 2021, target: "80")
            let returned = try await period(registers, 2020, target: "10")

            // Reported, then approved; reported and waiting; reported and returned.
            _ = try id(
                try await client.send(
                    .put, "/api/v1/periods/\(approved)/actual", as: coordinator,
                    json: #"{"value": "74", "comment": "Mobile teams"}"#))
            _ = try id(try await client.send(.post, "/api/v1/periods/\(approved)/approve", as: coordinator))
            _ = try id(
                try await client.send(
                    .put, "/api/v1/periods/\(submitted)/actual", as: coordinator, json: #"{"value": "83"}"#))
            _ = try id(
                try await client.send(
                    .put, "/api/v1/periods/\(returned)/actual", as: coordinator, json: #"{"value": "12"}"#))
            _ = try id(
                try await client.send(
                    .post, "/api/v1/periods/\(returned)/return", as: coordinator,
                    json: #"{"comment": "The register counts 9"}"#))
            // A result with no indicator yet: IATI cannot carry it, so it is trimmed and named.
            return try id(
                try await client.send(
                    .post, "/api/v1/activities/\(activity)/results", as: coordinator,
                    json: #"{"title": "Archives kept", "type": "output"}"#))
        }
        try await fixture.workers.drain()

        try await Application(router: fixture.router).test(.router) { client in
            let response = try await client.send(.get, "/api/v1/exports/iati", as: coordinator)
            #expect(response.status == .ok)
            let xml = String(buffer: response.body)
            let verdict = try await IATISchema.verdict(xml)
            #expect(verdict.valid, "\(verdict.output)")
            #expect(xml.contains("<result type=\"2\" aggregation-status=\"1\">"))
            #expect(xml.contains("<baseline year=\"2019\" value=\"61\">"))
            #expect(xml.contains("<target value=\"70\"/>"))
            #expect(xml.contains("<actual value=\"74\">"))
            #expect(xml.contains("Mobile teams"))
            // Neither the value waiting for approval nor the returned one, nor the return's reason.
            #expect(!xml.contains("value=\"83\"") && !xml.contains("value=\"12\""))
            #expect(!xml.contains("The register counts 9"))
            #expect(xml.components(separatedBy: "<actual ").count - 1 == 1)
            #expect(!xml.contains("Archives kept"))
            #expect(response.headers[IATIExportController.skippedHeader] == "0")
            let trimmed = try #require(response.headers[IATIExportController.trimmedHeader])
            #expect(trimmed.hasPrefix("1; \(empty.lowercased()): result left out: it has no indicator"))
        }
    }

    @Test(
        "the spending ledger keeps each UTC year's latest statement: a duplicate or an older version changes nothing, a rebuild equals live, the export writes a transaction per year"
    )
    func spendingLedgerFollowsTheEvents() async throws {
        let fixture = try await ReportingFixture.make("reportspending")
        let coordinator = try await TestTenant.create(in: fixture.database, slug: "roeselare", role: .coordinator)
        let id = ActivityID(rawValue: UUID())
        let partnership = UUID()
        func state(_ version: Int, spent: String?) -> ActivityState {
            ActivityState(
                id: id, partnershipId: partnership, title: "Registry", kind: .other, status: .ongoing,
                startsOn: CalendarDate("2020-01-01"), endsOn: nil, direction: .mutual, sdgTargets: [], sdgGoals: [],
                themes: [],
                budget: spent.map { Budget(planned: Amount("1000.00")!, spent: Amount($0)!, currency: "EUR") },
                fundingSource: nil, participants: nil, version: version)
        }
        func at(_ text: String) -> Date { ISO8601DateFormatter().date(from: text)! }
        func ledger() async throws -> [String] {
            try await fixture.pool.withTransaction(tenantID: coordinator.tenantID) { connection in
                try await connection.query(
                    "SELECT year || ' v' || version || ' ' || spent || ' ' || currency || ' ' || recorded_on FROM reporting.activity_spending ORDER BY year"
                ).map { try $0.decode(String.self, column: 0) }
            }
        }
        try await fixture.pool.withTransaction(tenantID: coordinator.tenantID) { connection in
            // One batch: two states of 2020 (the newer wins), one of 2021 without a budget (nothing), one of 2022.
            try await SpendingLedger.keep(
                [
                    (state(2, spent: "400.00"), at("2020-12-31T23:30:00Z")),
                    (state(1, spent: "100.00"), at("2020-03-01T10:00:00Z")),
                    (state(3, spent: nil), at("2021-06-01T10:00:00Z")),
                    (state(4, spent: "350.00"), at("2022-02-01T10:00:00Z")),
                ], tenant: coordinator.tenantID, on: connection)
            // Again, and an older version of 2022 afterwards: nothing changes.
            try await SpendingLedger.keep(
                [
                    (state(2, spent: "400.00"), at("2020-12-31T23:30:00Z")),
                    (state(3, spent: "999.00"), at("2022-01-01T10:00:00Z")),
                ],
                tenant: coordinator.tenantID, on: connection)
        }
        #expect(try await ledger() == ["2020 v2 400.00 EUR 2020-12-31", "2022 v4 350.00 EUR 2022-02-01"])

        // Through the API and the subscriber: the year's row follows the latest spent amount, a rebuild equals it.
        let other = try await TestTenant.create(in: fixture.database, slug: "oostende", role: .coordinator)
        let activity = try await Application(router: fixture.router).test(.router) { client in
            let partnership = try #require(
                try object(
                    try await client.send(
                        .post, "/api/v1/partnerships", as: other,
                        json: #"{"title": "Oostende–Banjul", "partner": {"name": "Banjul", "country": "GM"}}"#))["id"]
                    as? String)
            let activity = try #require(
                try object(
                    try await client.send(
                        .post, "/api/v1/partnerships/\(partnership)/activities", as: other,
                        json: #"""
                            {"title": "Wells", "kind": "other", "direction": "mutual", "startsOn": "2020-01-01",
                             "budget": {"planned": "100.00", "spent": "10.00", "currency": "EUR"}}
                            """#))["id"] as? String)
            #expect(
                try await client.send(
                    .patch, "/api/v1/activities/\(activity)", as: other,
                    json: #"{"budget": {"planned": "100.00", "spent": "25.00", "currency": "EUR"}}"#
                ).status == .ok)
            return activity
        }
        try await fixture.workers.drain()
        let rows = try await fixture.pool.withTransaction(tenantID: other.tenantID) { connection in
            try await connection.query(
                "SELECT activity_id::text, year, spent::text FROM reporting.activity_spending"
            ).map { try $0.decode((String, Int, String).self) }
        }
        let thisYear = Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "UTC")!, from: Date())
            .year!
        #expect(rows.map { "\($0.0) \($0.1) \($0.2)" } == ["\(activity.lowercased()) \(thisYear) 25.00"])
        let live = try await fixture.snapshot()
        #expect(live.contains { $0.hasPrefix("S ") && $0.contains("25.00") })
        _ = try await ReportingPlugin.rebuild(tenants: [other.tenantID], pool: fixture.pool)
        #expect(try await fixture.snapshot() == live)

        // The export: one transaction per year that changed the amount, adding up to it.
        let admin = try await fixture.database.connectAsAdmin()
        try await admin.query(
            "UPDATE platform.tenants SET iati_organisation_ref = 'BE-BCE_KBO-0205667873', iati_organisation_type = '11' WHERE slug = 'roeselare'"
        )
        try await admin.query(
            """
            INSERT INTO reporting.partnerships (tenant_id, id, title, status, partner_name, partner_country, version)
            VALUES (\(coordinator.tenantID), \(partnership), 'Roeselare–Dogbo', 'active', 'Dogbo', 'BJ', 1)
            """)
        await admin.close()
        try await fixture.pool.withTransaction(tenantID: coordinator.tenantID) { connection in
            try await ReadModel.apply(
                state(4, spent: "350.00"), deleted: false, tenant: coordinator.tenantID, at: at("2022-02-01T10:00:00Z"),
                keepingFigures: false, on: connection)
        }
        try await Application(router: fixture.router).test(.router) { client in
            let response = try await client.send(.get, "/api/v1/exports/iati", as: coordinator)
            #expect(response.status == .ok)
            let xml = String(buffer: response.body)
            let verdict = try await IATISchema.verdict(xml)
            #expect(verdict.valid, "\(verdict.output)")
            #expect(xml.contains("<transaction-date iso-date=\"2020-12-31\"/>"))
            #expect(xml.contains(">400.00</value>") && xml.contains(">-50.00</value>"))
            #expect(xml.components(separatedBy: "<transaction>").count - 1 == 2)
        }
    }
}
