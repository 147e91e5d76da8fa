import Activities
import Foundation
import Gateway
import Hummingbird
import HummingbirdTesting
import Postgres
import ReferenceData
import Reporting
import TestSupport
import Testing

/// The activity events carry the description a coordinator wrote and the DAC sectors they chose, so the read model
/// (and the IATI file it feeds) holds them; the events published before carried no description, and restating
/// them fills it in, for good.
@Suite("An activity's description and DAC sectors in the events and the read model")
struct ActivityDetailsTests {
    static func description(_ fixture: ReportingFixture, _ activity: String) async throws -> String? {
        let admin = try await fixture.database.connectAsAdmin()
        defer { Task { await admin.close() } }
        return try await admin.query(
            "SELECT description FROM reporting.activities WHERE id = \(UUID(uuidString: activity)!)"
        ).map { try $0.decode(String?.self) }.first ?? nil
    }

    @Test("recorded and changed descriptions reach the read model; an old event's lack is filled by restating")
    func restatedDescriptionsSurviveRebuild() async throws {
        let fixture = try await ReportingFixture.make("activitydescriptions")
        let coordinator = try await TestTenant.create(in: fixture.database, slug: "roeselare", role: .coordinator)
        let viewer = try await TestTenant.create(in: fixture.database, slug: "roeselare", role: .viewer)
        let router = fixture.router
        let activity = try await Application(router: router).test(.router) { client in
            let partnership = try #require(
                try object(
                    try await client.send(
                        .post, "/api/v1/partnerships", as: coordinator,
                        json: #"{"title": "Roeselare–Dogbo", "partner": {"name": "Dogbo", "country": "BJ"}}"#)
                )["id"] as? String)
            return try #require(
                try object(
                    try await client.send(
                        .post, "/api/v1/partnerships/\(partnership)/activities", as: coordinator,
                        json: #"""
                            {"title": "Digital birth registration", "kind": "knowledge_exchange", "direction": "mutual",
                             "description": "Mobile teams register births in the villages"}
                            """#)
                )["id"] as? String)
        }
        try await fixture.workers.drain()
        #expect(try await Self.description(fixture, activity) == "Mobile teams register births in the villages")
        try await Application(router: router).test(.router) { client in
            let patched = try await client.send(
                .patch, "/api/v1/activities/\(activity)", as: coordinator,
                json: #"{"description": "Mobile teams and the health centres register births"}"#)
            #expect(patched.status == .ok)
        }
        try await fixture.workers.drain()
        let changed = "Mobile teams and the health centres register births"
        #expect(try await Self.description(fixture, activity) == changed)

        // As before the upgrade: the kept events without a description, so a rebuild knows none.
        let admin = try await fixture.database.connectAsAdmin()
        try await admin.query(
            "UPDATE messaging.events SET payload = payload #- '{activity,description}' WHERE name LIKE 'activities.%'")
        await admin.close()
        _ = try await ReportingPlugin.rebuild(tenants: [coordinator.tenantID], pool: fixture.pool)
        #expect(try await Self.description(fixture, activity) == nil)

        // Restating states it again at the activity's own version; the model takes it, and a rebuild keeps it.
        let service = ActivitiesService(publisher: fixture.publisher)
        let access = TenantAccess(tenantID: coordinator.tenantID, userID: coordinator.userID, role: .coordinator)
        let restated = try await fixture.pool.withTransaction(tenantID: coordinator.tenantID) { connection in
            try await service.restateDescriptions(access: access, on: connection)
        }
        #expect(restated == 1)
        try await fixture.workers.drain()
        #expect(try await Self.description(fixture, activity) == changed)
        _ = try await ReportingPlugin.rebuild(tenants: [coordinator.tenantID], pool: fixture.pool)
        #expect(try await Self.description(fixture, activity) == changed)
        // The version stays: a client's If-Match still holds. A viewer may not restate.
        try await Application(router: router).test(.router) { client in
            let stored = try object(try await client.send(.get, "/api/v1/activities/\(activity)", as: coordinator))
            #expect(stored["version"] as? Int == 2)
        }
        let viewerAccess = TenantAccess(tenantID: viewer.tenantID, userID: viewer.userID, role: .viewer)
        await #expect(throws: Problem.self) {
            try await fixture.pool.withTransaction(tenantID: viewer.tenantID) { connection in
                try await service.restateDescriptions(access: viewerAccess, on: connection)
            }
        }
    }

    static func sectors(_ fixture: ReportingFixture, _ activity: String) async throws -> [String]? {
        let admin = try await fixture.database.connectAsAdmin()
        defer { Task { await admin.close() } }
        return try await admin.query(
            "SELECT dac_sectors FROM reporting.activities WHERE id = \(UUID(uuidString: activity)!)"
        ).map { try $0.decode([String]?.self) }.first ?? nil
    }

    @Test("DAC sectors come from the codelist, at most ten, none repeated; chosen and changed, they reach the model")
    func dacSectorsValidated() async throws {
        let fixture = try await ReportingFixture.make("activitysectors")
        let coordinator = try await TestTenant.create(in: fixture.database, slug: "roeselare", role: .coordinator)
        let router = fixture.router
        let activity = try await Application(router: router).test(.router) { client in
            let partnership = try #require(
                try object(
                    try await client.send(
                        .post, "/api/v1/partnerships", as: coordinator,
                        json: #"{"title": "Roeselare–Dogbo", "partner": {"name": "Dogbo", "country": "BJ"}}"#)
                )["id"] as? String)
            let path = "/api/v1/partnerships/\(partnership)/activities"
            func refused(_ sectors: String) async throws -> String? {
                let response = try await client.send(
                    .post, path, as: coordinator,
                    json:
                        #"{"title": "Registry", "kind": "knowledge_exchange", "direction": "mutual", "dacSectors": \#(sectors)}"#
                )
                #expect(response.status == .unprocessableContent, "\(sectors)")
                return ((try object(response)["errors"] as? [[String: Any]])?.first)?["field"] as? String
            }
            #expect(try await refused(#"["15112", "99999"]"#) == "dacSectors")
            #expect(try await refused(#"["15112", "15112"]"#) == "dacSectors")
            let eleven = DACSectors.all.prefix(11).map { "\"\($0.code)\"" }.joined(separator: ", ")
            #expect(try await refused("[\(eleven)]") == "dacSectors")
            let created = try object(
                try await client.send(
                    .post, path, as: coordinator,
                    json: #"""
                        {"title": "Digital birth registration", "kind": "knowledge_exchange", "direction": "mutual",
                         "dacSectors": ["15112", "13020"]}
                        """#))
            #expect(created["dacSectors"] as? [String] == ["15112", "13020"])
            return try #require(created["id"] as? String)
        }
        try await fixture.workers.drain()
        #expect(try await Self.sectors(fixture, activity) == ["15112", "13020"])
        try await Application(router: router).test(.router) { client in
            let changed = try await client.send(
                .patch, "/api/v1/activities/\(activity)", as: coordinator, json: #"{"dacSectors": ["16010"]}"#)
            #expect(changed.status == .ok)
            #expect(try object(changed)["dacSectors"] as? [String] == ["16010"])
        }
        try await fixture.workers.drain()
        #expect(try await Self.sectors(fixture, activity) == ["16010"])
    }
}
