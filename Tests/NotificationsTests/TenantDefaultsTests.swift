import Foundation
import Gateway
import Hummingbird
import HummingbirdTesting
import Messaging
import TestSupport
import Testing

@testable import Notifications

@Suite("A municipality's digest defaults")
struct TenantDefaultsTests {
    @Test("an administrator sets the defaults; a new user gets them, through the scheduler; others may not set them")
    func defaultsComeFromTheTenant() async throws {
        let fixture = try await NotificationsFixture.make("digestdefaults")
        let admin = try await TestTenant.create(in: fixture.database, slug: "roeselare", role: .admin)
        let coordinator = try await TestTenant.create(in: fixture.database, slug: "roeselare", role: .coordinator)
        let partner = try await TestTenant.create(in: fixture.database, slug: "roeselare", role: .partnerCoordinator)
        let elsewhere = try await TestTenant.create(
            in: fixture.database, slug: "oostende", role: .partnerCoordinator)
        try await Application(router: fixture.router).test(.router) { client in
            let builtIn = try object(try await client.send(.get, "/api/v1/notifications/defaults", as: admin))
            #expect(builtIn["frequency"] as? String == "daily" && builtIn["hour"] as? Int == 7)
            #expect(builtIn["quietAfterDays"] as? Int == 90)
            let forbidden = try await client.send(
                .put, "/api/v1/notifications/defaults", as: coordinator, json: #"{"hour": 9}"#)
            #expect(forbidden.status == .forbidden)
            let invalid = try await client.send(
                .put, "/api/v1/notifications/defaults", as: admin, json: #"{"hour": 25, "weekday": 0}"#)
            #expect(invalid.status == .unprocessableContent)
            let set = try object(
                try await client.send(
                    .put, "/api/v1/notifications/defaults", as: admin,
                    json: #"{"frequency": "weekly", "weekday": 5, "hour": 9}"#))
            #expect(set["frequency"] as? String == "weekly" && set["weekday"] as? Int == 5 && set["hour"] as? Int == 9)
            // A field left out stays.
            let kept = try object(
                try await client.send(.put, "/api/v1/notifications/defaults", as: admin, json: #"{"hour": 8}"#))
            #expect(kept["frequency"] as? String == "weekly" && kept["hour"] as? Int == 8)
            #expect(kept["quietAfterDays"] as? Int == 90)
            // Quiet partnerships never remind here; the field left out later keeps that.
            let never = try object(
                try await client.send(
                    .put, "/api/v1/notifications/defaults", as: admin, json: #"{"quietAfterDays": null}"#))
            #expect(never["quietAfterDays"] is NSNull)
            let stillNever = try object(
                try await client.send(.put, "/api/v1/notifications/defaults", as: admin, json: #"{"hour": 8}"#))
            #expect(stillNever["quietAfterDays"] is NSNull)
            let wrongType = try await client.send(
                .put, "/api/v1/notifications/defaults", as: admin, json: #"{"quietAfterDays": "ninety"}"#)
            #expect(wrongType.status == .badRequest || wrongType.status == .unprocessableContent)

            let shown = try object(try await client.send(.get, "/api/v1/me/notifications", as: partner))
            #expect(shown["frequency"] as? String == "weekly")
            #expect(shown["weekday"] as? Int == 5 && shown["hour"] as? Int == 8)
            // The user's own zone and language stay theirs.
            #expect(shown["timeZone"] as? String == "Europe/Brussels" && shown["locale"] as? String == "nl")
            // Another municipality keeps the built-in defaults.
            let other = try object(try await client.send(.get, "/api/v1/me/notifications", as: elsewhere))
            #expect(other["frequency"] as? String == "daily" && other["hour"] as? Int == 7)

            _ = try await client.partnership(
                #"{"title": "Roeselare–Dogbo", "partner": {"name": "Dogbo", "country": "BJ"}}"#, by: coordinator,
                member: partner)
        }
        try await fixture.workers.drain()
        // The settings row the inbox made follows the tenant's schedule: nothing at the built-in 07:00, the
        // digest on Friday at 08:00.
        let daily = try #require(DigestScheduleProbe.daily(7, "Europe/Brussels").nextSend(after: fixture.clock.now()))
        let friday = try #require(
            DigestScheduleProbe.weekly(weekday: 5, hour: 8, "Europe/Brussels").nextSend(after: fixture.clock.now()))
        if daily < friday {
            #expect(try await fixture.schedule(movingTo: daily) == 0)
        }
        #expect(try await fixture.schedule(movingTo: friday.addingTimeInterval(-1)) == 0)
        #expect(try await fixture.schedule(movingTo: friday) == 1)
        try await fixture.workers.drain()
        #expect(fixture.mail.messages.count == 1)
    }
}
