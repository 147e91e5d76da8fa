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

/// A digest's mail and webhook carry ids in lower case, also when what they are built from was stored with
/// upper-case ids (as every id was written before 2026-12-05).
@Suite("Digests write ids in lower case")
struct LowercaseIDDeliveryTests {
    static var uuid: Regex<Substring> {
        #/[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}/#
    }

    static func upperCaseIDs(in text: String) -> [String] {
        text.matches(of: uuid).map { String($0.output) }.filter { $0 != $0.lowercased() }
    }

    @Test(
        "the mail through a real SMTP server and the webhook's body link and name everything by lower-case ids, from an inbox stored with upper-case ones"
    )
    func mailAndWebhookWriteIDsLowerCase() async throws {
        try await TestHTTPServer.with([TestHTTPServer.Response(status: 200)]) { receiver in
            try await TestSMTPServer.with { smtp in
                let sender = WebhookSender(
                    timeout: .seconds(2), caCertificatePath: receiver.caCertificatePath,
                    logger: TestLogger.make("webhook"))
                let fixture = try await NotificationsFixture.make(
                    "lowercasedelivery", transport: try SMTPMailer(url: smtp.url, logger: TestLogger.make("smtp")),
                    webhooks: sender, allowPrivateWebhooks: true)
                let coordinator = try await TestTenant.create(
                    in: fixture.database, slug: "roeselare", role: .coordinator)
                let partner = try await TestTenant.create(
                    in: fixture.database, slug: "roeselare", role: .partnerCoordinator, email: "awa@dogbo.bj")
                let (partnership, activity) = try await Application(router: fixture.router).test(.router) { client in
                    let settings = try await client.send(
                        .put, "/api/v1/me/notifications", as: partner,
                        json: #"{"webhook": {"url": "\#(receiver.url)"}}"#)
                    #expect(settings.status == .ok)
                    let partnership = try await client.partnership(
                        #"{"title": "Roeselare–Dogbo", "partner": {"name": "Dogbo", "country": "BJ"}}"#,
                        by: coordinator, member: partner)
                    let recorded = try await client.send(
                        .post, "/api/v1/partnerships/\(partnership)/activities", as: coordinator,
                        json: #"{"title": "Waterpunten", "kind": "infrastructure", "direction": "mutual"}"#)
                    #expect(recorded.status == .created)
                    return (partnership, try #require(try object(recorded)["id"] as? String))
                }
                #expect(partnership == partnership.lowercased() && activity == activity.lowercased())
                try await fixture.workers.drain()

                // The inbox as an earlier version stored it: every id in its JSON in upper case.
                let admin = try await fixture.database.connectAsAdmin()
                let rows = try await admin.query("SELECT ctid::text, item::text FROM notifications.inbox")
                #expect(rows.count >= 2)
                for row in rows {
                    let item = try row.decode(String.self, column: 1)
                    let shouted = item.replacing(Self.uuid) { $0.output.uppercased() }
                    try await admin.query(
                        "UPDATE notifications.inbox SET item = \(shouted)::jsonb WHERE ctid = \(try row.decode(String.self, column: 0))::tid"
                    )
                }
                let stored = try await admin.query("SELECT string_agg(item::text, ' ') FROM notifications.inbox")
                #expect(!Self.upperCaseIDs(in: try stored[0].decode(String.self, column: 0)).isEmpty)
                await admin.close()

                _ = try await fixture.schedule(movingTo: DigestScheduleProbe.nextDaily(7, "Europe/Brussels"))
                try await fixture.workers.drain()

                let mails = try await smtp.waitForMessages(count: 1)
                let raw = String(decoding: try #require(mails.first).data, as: UTF8.self)
                let mail = try await ParsedMail.parse(try #require(mails.first).data)
                #expect(mail.parts.map(\.contentType) == ["text/plain", "text/html"])
                let text = mail.parts.map(\.content).joined(separator: "\n")
                #expect(text.contains("/partnerships/\(partnership)"))
                #expect(text.contains("/activities/\(activity)"))
                #expect(Self.upperCaseIDs(in: text).isEmpty, "the mail writes \(Self.upperCaseIDs(in: text))")
                #expect(Self.upperCaseIDs(in: raw).isEmpty, "the raw mail writes \(Self.upperCaseIDs(in: raw))")

                let request = try #require(try await receiver.waitForRequests(count: 1).first)
                let body = String(decoding: request.body, as: UTF8.self)
                #expect(Self.upperCaseIDs(in: body).isEmpty, "the webhook body writes \(Self.upperCaseIDs(in: body))")
                let payload = try #require(try JSONSerialization.jsonObject(with: request.body) as? [String: Any])
                let digestID = try #require(payload["id"] as? String)
                #expect(digestID == digestID.lowercased() && UUID(uuidString: digestID) != nil)
                #expect(request.header("Stedenband-Delivery") == digestID)
                #expect(body.contains(#""partnershipId":"\#(partnership)""#))
            }
        }
    }
}
