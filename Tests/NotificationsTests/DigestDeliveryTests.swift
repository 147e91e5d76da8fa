import Delivery
import Foundation
import Gateway
import Hummingbird
import HummingbirdTesting
import Messaging
import Postgres
import TestSupport
import Testing

@testable import Notifications

@Suite("Delivering a claimed digest: retries, its record, its sender")
struct DigestDeliveryTests {
    @Test("SMTP unreachable on every attempt: the last one records the digest failed, with the error")
    func failedAfterTheLastAttempt() async throws {
        // A port nothing listens on: the server is started to get a free port, then stopped.
        let closed = try await TestSMTPServer.start()
        await closed.stop()
        let mailer = try SMTPMailer(url: closed.url, logger: TestLogger.make("smtp"))
        let fixture = try await NotificationsFixture.make("digestgiveup", transport: mailer)
        let coordinator = try await TestTenant.create(in: fixture.database, slug: "roeselare", role: .coordinator)
        let partner = try await TestTenant.create(in: fixture.database, slug: "roeselare", role: .partnerCoordinator)
        try await Application(router: fixture.router).test(.router) { client in
            _ = try await client.partnership(
                #"{"title": "Roeselare–Dogbo", "partner": {"name": "Dogbo", "country": "BJ"}}"#, by: coordinator,
                member: partner)
        }
        try await fixture.workers.drain()
        let sendTime = try #require(
            DigestScheduleProbe.daily(7, "Europe/Brussels").nextSend(after: fixture.clock.now()))
        #expect(try await fixture.schedule(movingTo: sendTime) == 1)

        // Each round runs the one due attempt, then moves the clock past its backoff. The bound is a deadline
        // on rounds, not time: a digest still pending after more rounds than attempts is the bug.
        var attempts = 0
        for _ in 0..<20 {
            let ran = try await fixture.workers.drain()
            attempts += ran
            if ran == 0 { break }
            try await fixture.expireBackoff()
        }
        #expect(attempts == 12)
        #expect(try await fixture.digests(status: "pending") == 0)
        #expect(try await fixture.digests(status: "failed") == 1)
        try await Application(router: fixture.router).test(.router) { client in
            let history = try object(try await client.send(.get, "/api/v1/me/digests", as: partner))
            let digest = try #require((history["items"] as? [[String: Any]])?.first)
            #expect(digest["status"] as? String == "failed")
            let error = try #require(digest["error"] as? String)
            #expect(error.contains("gave up after the last attempt") && error.contains("SMTP delivery failed"))
        }
    }

    @Test("a transient failure before the last attempt leaves the digest pending for the next one")
    func transientFailureIsRetried() async throws {
        let fixture = try await NotificationsFixture.make("digestnotyet")
        let coordinator = try await TestTenant.create(in: fixture.database, slug: "roeselare", role: .coordinator)
        let partner = try await TestTenant.create(in: fixture.database, slug: "roeselare", role: .partnerCoordinator)
        try await Application(router: fixture.router).test(.router) { client in
            _ = try await client.partnership(
                #"{"title": "Roeselare–Dogbo", "partner": {"name": "Dogbo", "country": "BJ"}}"#, by: coordinator,
                member: partner)
        }
        try await fixture.workers.drain()
        fixture.mail.failNext(11)
        let sendTime = try #require(
            DigestScheduleProbe.daily(7, "Europe/Brussels").nextSend(after: fixture.clock.now()))
        #expect(try await fixture.schedule(movingTo: sendTime) == 1)
        for _ in 0..<11 {
            #expect(try await fixture.workers.drain() == 1)
            #expect(try await fixture.digests(status: "pending") == 1)
            try await fixture.expireBackoff()
        }
        // The twelfth and last attempt finds the server back.
        #expect(try await fixture.workers.drain() == 1)
        #expect(try await fixture.digests(status: "sent") == 1)
        #expect(fixture.mail.messages.count == 1)
    }

    @Test("the From is the tenant's sender address, or no-reply at the public host when it has none")
    func senderAddress() async throws {
        let fixture = try await NotificationsFixture.make("digestsender")
        let coordinator = try await TestTenant.create(in: fixture.database, slug: "roeselare", role: .coordinator)
        let partner = try await TestTenant.create(in: fixture.database, slug: "roeselare", role: .partnerCoordinator)
        let elsewhere = try await TestTenant.create(in: fixture.database, slug: "oostende", role: .coordinator)
        let elsewherePartner = try await TestTenant.create(
            in: fixture.database, slug: "oostende", role: .partnerCoordinator)
        let admin = try await fixture.database.connectAsAdmin()
        try await admin.query(
            "UPDATE platform.tenants SET sender_email = 'stedenband@roeselare.be' WHERE id = \(coordinator.tenantID)")
        await admin.close()
        try await Application(router: fixture.router).test(.router) { client in
            _ = try await client.partnership(
                #"{"title": "Roeselare–Dogbo", "partner": {"name": "Dogbo", "country": "BJ"}}"#, by: coordinator,
                member: partner)
            _ = try await client.partnership(
                #"{"title": "Oostende–Banjul", "partner": {"name": "Banjul", "country": "GM"}}"#, by: elsewhere,
                member: elsewherePartner)
        }
        try await fixture.workers.drain()
        let sendTime = try #require(
            DigestScheduleProbe.daily(7, "Europe/Brussels").nextSend(after: fixture.clock.now()))
        #expect(try await fixture.schedule(movingTo: sendTime) == 2)
        try await fixture.workers.drain()
        let messages = fixture.mail.messages
        #expect(messages.count == 2)
        let roeselare = try #require(messages.first { $0.subject.contains("Roeselare") })
        #expect(roeselare.from.address == "stedenband@roeselare.be")
        #expect(roeselare.from.name == "Roeselare")
        let oostende = try #require(messages.first { $0.subject.contains("Oostende") })
        #expect(oostende.from.address == "no-reply@stedenband.example.org")
        #expect(oostende.from.name == "Oostende")
        // The mailto unsubscribe goes to the same sender.
        let unsubscribe = try #require(roeselare.headers.first { $0.name == "List-Unsubscribe" }?.value)
        #expect(unsubscribe.contains("<mailto:stedenband@roeselare.be?subject=unsubscribe%20sbu_"))
    }
}
