import Foundation
import Testing

@testable import Notifications

/// A digest leads to the pages: each partnership and activity to its page, "change how often" to the digest
/// settings; the one-click unsubscribe link stays as it was.
@Suite("A rendered digest links to the pages")
struct DigestLinksTests {
    static let publicURL = "https://stedenband.example.org"
    static let partnership = DigestRenderingTests.partnership.uuidString.lowercased()
    static let activity = DigestRenderingTests.activity.uuidString.lowercased()
    /// The second activity of the fixture (its id reuses the member's).
    static let otherActivity = DigestRenderingTests.member.uuidString.lowercased()

    static func digest(_ locale: String) throws -> Digest {
        let start = try Date("2020-03-31T07:00:00Z", strategy: .iso8601)
        return DigestBuilder(
            locale: locale, timeZone: TimeZone(identifier: "Europe/Brussels")!, recipientName: "Awa Ndiaye",
            tenantName: "Roeselare", publicURL: publicURL, memberNames: [DigestRenderingTests.member: "Awa Ndiaye"]
        ).build(
            DigestRenderingTests.entries(), window: start..<start.addingTimeInterval(2 * 86_400),
            unsubscribeLink: "\(publicURL)/unsubscribe/sbu_x")
    }

    @Test("the HTML part links each partnership, each activity and the settings", arguments: ["nl", "en", "fr", "es"])
    func html(locale: String) throws {
        let html = try DigestRenderer().renderHTML(try Self.digest(locale))
        let links = Set(html.matches(of: #/href="([^"]+)"/#).map { String($0.output.1) })
        #expect(links.contains("\(Self.publicURL)/partnerships/\(Self.partnership)"))
        #expect(links.contains("\(Self.publicURL)/activities/\(Self.activity)"))
        #expect(links.contains("\(Self.publicURL)/activities/\(Self.otherActivity)"))
        #expect(links.contains("\(Self.publicURL)/settings#notifications"))
        #expect(links.contains("\(Self.publicURL)/unsubscribe/sbu_x"))
        // Nothing leads to the JSON API any more.
        #expect(!links.contains { $0.contains("/api/") })
        // The partnership's title and each activity's title are the links.
        #expect(
            html.contains(
                #"<a href="\#(Self.publicURL)/partnerships/\#(Self.partnership)" style="color:#19486a;">Roeselare–Dogbo</a>"#
            ))
        #expect(
            html.contains(
                #"<a href="\#(Self.publicURL)/activities/\#(Self.activity)" style="color:#1f2933;">Handwashing stations &lt;market&gt;</a>"#
            ))
    }

    @Test("the text part names each page's address", arguments: ["nl", "en", "fr", "es"])
    func text(locale: String) throws {
        let text = try DigestRenderer().renderText(try Self.digest(locale))
        let lines = text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        #expect(lines.contains("\(Self.publicURL)/partnerships/\(Self.partnership)"))
        #expect(lines.contains("\(Self.publicURL)/activities/\(Self.activity)"))
        #expect(lines.contains("\(Self.publicURL)/activities/\(Self.otherActivity)"))
        #expect(lines.contains { $0.hasSuffix(": \(Self.publicURL)/settings#notifications") })
        #expect(lines.contains { $0.hasSuffix(": \(Self.publicURL)/unsubscribe/sbu_x") })
        #expect(!text.contains("/api/"))
    }
}
