import ActivitiesContracts
import Foundation
import TestSupport
import Testing
import Vocabulary

@testable import Notifications

/// Renders one fixed digest in each language and compares it with the files in `Golden/`. After an intended
/// change, rerun with `STEDENBAND_UPDATE_GOLDEN=1` and review the diff.
@Suite("Digests rendered in Dutch, English, French and Spanish")
struct DigestRenderingTests {
    static let partnership = UUID(uuidString: "6F1B2A3C-0000-4000-8000-000000000001")!
    static let activity = UUID(uuidString: "6F1B2A3C-0000-4000-8000-000000000002")!
    static let member = UUID(uuidString: "6F1B2A3C-0000-4000-8000-000000000003")!

    static func entries() -> [DigestEntry] {
        let base = try! Date("2020-04-01T09:30:00Z", strategy: .iso8601)
        func at(_ minutes: Double) -> Date { base.addingTimeInterval(minutes * 60) }
        var entries = [
            DigestEntry(
                partnershipID: partnership, activityID: nil, occurredAt: at(0),
                item: InboxItem(kind: "partnership_member_added", partnershipTitle: "Roeselare–Dogbo", memberId: member)
            ),
            DigestEntry(
                partnershipID: partnership, activityID: activity, occurredAt: at(15),
                item: InboxItem(
                    kind: "activity_recorded", partnershipTitle: "Roeselare–Dogbo",
                    activityTitle: "Handwashing stations <market>", status: "planned",
                    budget: Budget(planned: Amount("12500.00")!, spent: Amount("0.00")!, currency: "EUR"))),
            DigestEntry(
                partnershipID: partnership, activityID: activity, occurredAt: at(45),
                item: InboxItem(
                    kind: "activity_status_changed", partnershipTitle: "Roeselare–Dogbo",
                    activityTitle: "Handwashing stations <market>", previousStatus: "planned", status: "ongoing")),
            DigestEntry(
                partnershipID: partnership, activityID: activity, occurredAt: at(60),
                item: InboxItem(
                    kind: "activity_update_posted", partnershipTitle: "Roeselare–Dogbo",
                    activityTitle: "Handwashing stations <market>", text: "Ten stations installed & working.")),
        ]
        // Twelve progress updates on a second activity: ten lines show, the rest are counted.
        for minute in 0..<12 {
            entries.append(
                DigestEntry(
                    partnershipID: partnership, activityID: member, occurredAt: at(-120 + Double(minute)),
                    item: InboxItem(
                        kind: "activity_updated", partnershipTitle: "Roeselare–Dogbo",
                        activityTitle: "Online exchange <crisis communication>", changedFields: ["results", "endsOn"])))
        }
        return entries
    }

    @Test(
        "each language's text and HTML match the golden files",
        arguments: [
            ("nl", "Europe/Brussels"), ("en", "Europe/London"), ("fr", "Africa/Dakar"), ("es", "America/La_Paz"),
        ])
    func golden(locale: String, zone: String) throws {
        let start = try Date("2020-03-31T07:00:00Z", strategy: .iso8601)
        let end = try Date("2020-04-01T07:00:00Z", strategy: .iso8601).addingTimeInterval(86_400)
        let digest = DigestBuilder(
            locale: locale, timeZone: TimeZone(identifier: zone)!, recipientName: "Awa Ndiaye",
            tenantName: "Roeselare", publicURL: "https://stedenband.example.org",
            memberNames: [Self.member: "Awa Ndiaye"]
        ).build(
            Self.entries(), window: start..<end, unsubscribeLink: "https://stedenband.example.org/unsubscribe/sbu_x")
        #expect(digest.itemCount == 16)
        #expect(digest.sections.count == 1)
        #expect(digest.sections[0].groups.flatMap(\.lines).count == Digest.maximumLinesPerPartnership)
        let renderer = try DigestRenderer()
        try compare(renderer.renderText(digest), golden: "\(locale).txt")
        try compare(renderer.renderHTML(digest), golden: "\(locale).html")
        // HTML escapes what users typed; the text part keeps it as written.
        #expect(renderer.renderHTML(digest).contains("Online exchange &lt;crisis communication&gt;"))
        #expect(renderer.renderText(digest).contains("Online exchange <crisis communication>"))
    }

    @Test("money follows the reader's conventions: € 12.500,00 in Dutch")
    func money() throws {
        let digest = DigestBuilder(
            locale: "nl", timeZone: TimeZone(identifier: "Europe/Brussels")!, recipientName: "Jan",
            tenantName: "Roeselare",
            publicURL: "https://x.example"
        ).build(Array(Self.entries().prefix(4)), window: Date(timeIntervalSince1970: 0)..<Date(), unsubscribeLink: nil)
        let lines = digest.sections.flatMap(\.groups).flatMap(\.lines).map(\.text)
        #expect(lines.contains { $0.contains("€\u{00A0}12.500,00") })
        #expect(digest.subject == "4 wijzigingen in Roeselare–Dogbo")
    }

    private func compare(_ rendered: String, golden name: String) throws {
        let path = TestPaths.root + "/Tests/NotificationsTests/Golden/" + name
        if ProcessInfo.processInfo.environment["STEDENBAND_UPDATE_GOLDEN"] == "1" {
            try rendered.write(toFile: path, atomically: true, encoding: .utf8)
        }
        let expected = try String(contentsOfFile: path, encoding: .utf8)
        #expect(rendered == expected, "\(name) differs from its golden file")
    }
}
