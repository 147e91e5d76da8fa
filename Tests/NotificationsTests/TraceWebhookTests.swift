import Delivery
import Foundation
import Gateway
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Postgres
import TestSupport
import Testing

@testable import Notifications

@Suite("a request's trace reaches the webhook that carries its digest")
struct TraceWebhookTests {
    @Test(
        """
        a PATCH with a traceparent: its event, the inbox line, the delivery jobs and the webhook POST's \
        traceparent all carry its trace id; the POST names a span of its own
        """
    )
    func webhookCarriesTheTrace() async throws {
        let traceID = "0af7651916cd43dd8448eb211c80319c"
        let incoming = "00-\(traceID)-b7ad6b7169203331-01"
        try await TestHTTPServer.with([TestHTTPServer.Response(status: 200)]) { receiver in
            let sender = WebhookSender(
                timeout: .seconds(5), caCertificatePath: receiver.caCertificatePath, logger: TestLogger.make("webhook"))
            let fixture = try await NotificationsFixture.make(
                "tracewebhook", webhooks: sender, allowPrivateWebhooks: true)
            let coordinator = try await TestTenant.create(in: fixture.database, slug: "roeselare", role: .coordinator)
            let partner = try await TestTenant.create(
                in: fixture.database, slug: "roeselare", role: .partnerCoordinator)
            try await Application(router: fixture.router).test(.router) { client in
                let hook = try await client.send(
                    .put, "/api/v1/me/notifications", as: partner, json: #"{"webhook": {"url": "\#(receiver.url)"}}"#)
                #expect(hook.status == .ok)
                let id = try await client.partnership(
                    #"{"title": "Roeselare–Dogbo", "partner": {"name": "Dogbo", "country": "BJ"}}"#, by: coordinator,
                    member: partner)
                let changed = try await client.execute(
                    uri: "/api/v1/partnerships/\(id)", method: .patch,
                    headers: [
                        .authorization: coordinator.authorization, .contentType: "application/json",
                        .traceParent: incoming,
                    ],
                    body: ByteBuffer(string: #"{"title": "Roeselare–Dogbo, traced"}"#))
                #expect(changed.status == .ok)
                let answered = try #require(changed.headers[.traceParent])
                #expect(answered.hasPrefix("00-\(traceID)-") && answered != incoming)
            }
            try await fixture.workers.drain()
            #expect(try await fixture.schedule(at: DigestScheduleProbe.nextDaily(7, "Europe/Brussels")) == 1)
            try await fixture.workers.drain()
            let request = try #require(try await receiver.waitForRequests(count: 1).first)
            let header = try #require(request.header("traceparent"))
            #expect(header.hasPrefix("00-\(traceID)-") && header.hasSuffix("-01"), "\(header)")
            #expect(!header.contains("b7ad6b7169203331"), "the POST names the delivery job's span, not the caller's")

            // What the database kept: the event, its inbox line, and both jobs, in the trace.
            let admin = try await fixture.database.connectAsAdmin()
            let like = "00-\(traceID)-%"
            let events = try await admin.query(
                "SELECT name FROM messaging.events WHERE trace_parent LIKE \(like) ORDER BY position"
            ).map { try $0.decode(String.self, column: 0) }
            #expect(events == ["partnerships.partnership_updated.v1"])
            let jobs = try await admin.query(
                "SELECT kind FROM messaging.jobs WHERE trace_parent LIKE \(like) ORDER BY id"
            ).map { try $0.decode(String.self, column: 0) }
            #expect(jobs == ["notifications.deliver_digest", "notifications.deliver_webhook"])
            // Events published outside the traced request are in traces of their own, never this one.
            let others = try await admin.query(
                "SELECT count(*) FROM messaging.events WHERE trace_parent IS NOT NULL AND trace_parent NOT LIKE \(like)"
            )[0].decode(Int.self, column: 0)
            #expect(others >= 2)
            await admin.close()
        }
    }
}
