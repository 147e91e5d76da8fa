import Foundation
import Gateway
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import TestSupport
import Testing

/// The results on the activity page, signed in as people are, on the stack with every plugin the page draws on.
@Suite("Results on the activity page")
struct ResultPagesTests {
    @Test("each indicator with its chart of approved values and a table of its periods, for both sides")
    func activityPageShowsResults() async throws {
        let fixture = try await ReportPagesTests.Fixture.make("resultpages")
        let reporting = fixture.reporting
        let coordinator = try await TestTenant.create(
            in: reporting.database, slug: "roeselare", role: .coordinator, email: "coordinator@roeselare.be")
        let partner = try await TestTenant.create(
            in: reporting.database, slug: "roeselare", role: .partnerCoordinator, email: "partner@roeselare.be")
        let (partnership, activity) = try await ResultsScene.scene(reporting, as: coordinator)
        let defined = try await ResultsScene.define(reporting, as: coordinator, activity: activity)
        let signIn = fixture.signIn
        try await Application(router: reporting.router).test(.router) { client in
            #expect(
                try await client.send(
                    .post, "/api/v1/partnerships/\(partnership)/members", as: coordinator,
                    json: #"{"userId": "\#(partner.userID)", "role": "partner_coordinator"}"#
                ).status == .created)
            var periods: [String] = []
            for (year, target, actual, approve) in [("2020", "70", "74", true), ("2021", "90", "80", false)] {
                let period = try object(
                    try await client.send(
                        .post, "/api/v1/indicators/\(defined.indicator)/periods", as: coordinator,
                        json:
                            #"{"start": "\#(year)-01-01", "end": "\#(year)-12-31", "target": {"value": "\#(target)"}}"#
                    ))
                let id = try #require(period["id"] as? String)
                periods.append(id.lowercased())
                let reported = try await client.send(
                    .put, "/api/v1/periods/\(id)/actual", as: partner,
                    json: #"{"value": "\#(actual)", "comment": "Mobile teams \#(year)"}"#)
                #expect(reported.status == .ok)
                if approve {
                    let approved = try await client.send(.post, "/api/v1/periods/\(id)/approve", as: coordinator)
                    #expect(approved.status == .ok)
                }
            }
            let browser = try await signIn.browser(client, as: "partner@roeselare.be")
            let page = try await browser.get("/activities/\(activity.uuidString.lowercased())")
            #expect(page.status == .ok)
            let html = String(buffer: page.body)
            #expect(html.contains(#"<h2 id="results-heading">Resultaten</h2>"#))
            #expect(html.contains("<h3>Every birth registered in time</h3>"))
            #expect(html.contains(">Birth registrations within 90 days (%)</h4>"))
            #expect(html.contains("SDG-subdoel 16.9 · Nulmeting 2019: 61%"))
            // In the partner coordinator's language (Dutch here). The chart: both targets, one dot for the one approved value, its title in words; no inline style.
            let chart = try #require(html.range(of: #"<svg class="indicator-chart""#)).lowerBound
            let chartEnd = try #require(html.range(of: "</svg>", range: chart..<html.endIndex)).upperBound
            let svg = String(html[chart..<chartEnd])
            #expect(svg.components(separatedBy: #"<rect class="target""#).count - 1 == 2)
            #expect(svg.components(separatedBy: #"<circle class="actual""#).count - 1 == 1)
            #expect(
                svg.contains("Birth registrations within 90 days (%): 74% in 2020, streefwaarde 90% in 2021</title>"))
            #expect(!html.contains("style=\"") && !html.contains("<script"))
            // The table shows the value waiting for review too, as such.
            #expect(
                html.contains(
                    #"<td>2021-01-01 – 2021-12-31</td><td class="n">90%</td><td class="n">80%</td><td>ingediend"#))
            #expect(
                html.contains(#"<td class="n">74%</td><td>goedgekeurd<br><span class="meta">Mobile teams 2020</span>"#))
            // Only the value not yet approved can be reported again, from the page's link.
            #expect(html.contains(#"<a href="/periods/\#(periods[1])/report">Waarde rapporteren</a>"#))
            #expect(!html.contains("/periods/\(periods[0])/report"))

            // The phone form: the period's target, the value as it stands; a typed decimal comma is read.
            let form = String(buffer: try await browser.get("/periods/\(periods[1])/report").body)
            #expect(form.contains(#"<dd id="period-target">90%</dd>"#) && form.contains(#"inputmode="decimal""#))
            #expect(form.contains(#"name="value" value="80""#))
            let refused = try await browser.post(
                "/periods/\(periods[1])/report", form: ["version": "2", "value": "veel", "comment": ""])
            #expect(refused.status == .unprocessableContent)
            let refusedHTML = String(buffer: refused.body)
            #expect(refusedHTML.contains("Er is een probleem") && refusedHTML.contains(#"id="value-error""#))
            #expect(refusedHTML.contains("Vul een getal in") && refusedHTML.contains(#"name="value" value="veel""#))
            let sent = try await browser.post(
                "/periods/\(periods[1])/report",
                form: ["version": "2", "value": "81,5", "comment": "Tweede telling"])
            #expect(sent.status == .seeOther)
            #expect(
                sent.headers[.location]
                    == "/activities/\(activity.uuidString.lowercased())#indicator-\(defined.indicator.uuidString.lowercased())"
            )
            let stored = try object(try await client.send(.get, "/api/v1/periods/\(periods[1])", as: coordinator))
            #expect((stored["actual"] as? [String: Any])?["value"] as? String == "81.5")
            #expect(stored["status"] as? String == "submitted")
            // An approved value is not reported again: the page says so and shows no form.
            let approvedForm = String(buffer: try await browser.get("/periods/\(periods[0])/report").body)
            #expect(approvedForm.contains(#"id="period-approved""#) && !approvedForm.contains(#"id="send-value""#))

            // A coordinator reviews: the activity page links the review; a return needs a comment beside the field.
            let reviewer = try await signIn.browser(client, as: "coordinator@roeselare.be")
            let theirs = String(buffer: try await reviewer.get("/activities/\(activity.uuidString.lowercased())").body)
            #expect(theirs.contains(#"<a href="/results/review#period-\#(periods[1])">Goedkeuren of terugsturen</a>"#))
            let board = String(buffer: try await reviewer.get("/").body)
            #expect(board.contains(#"<a href="/results/review" id="dashboard-to-review">1 waarde te beoordelen</a>"#))
            let review = String(buffer: try await reviewer.get("/results/review").body)
            #expect(
                review.contains(#"<dd id="period-\#(periods[1])-value">81,5%</dd>"#)
                    && review.contains("Tweede telling"))
            let bare = try await reviewer.post("/periods/\(periods[1])/return", form: ["version": "3", "comment": " "])
            #expect(bare.status == .unprocessableContent)
            let bareHTML = String(buffer: bare.body)
            #expect(
                bareHTML.contains(#"id="return-\#(periods[1])-error""#)
                    && bareHTML.contains("Zeg waarom de waarde teruggaat"))
            let returned = try await reviewer.post(
                "/periods/\(periods[1])/return", form: ["version": "3", "comment": "Welke bron?"])
            #expect(returned.status == .seeOther && returned.headers[.location] == "/results/review")
            let after = try object(try await client.send(.get, "/api/v1/periods/\(periods[1])", as: coordinator))
            #expect(after["status"] as? String == "returned")
            #expect(String(buffer: try await reviewer.get("/results/review").body).contains(#"id="nothing-to-review""#))
            // The returned value is the partner's to report again: first on their list, with the reason, and on
            // their dashboard.
            let list = String(buffer: try await browser.get("/results/report").body)
            #expect(
                list.contains("Teruggestuurd: Welke bron?") && list.contains(#"href="/periods/\#(periods[1])/report""#))
            let partnerBoard = String(buffer: try await browser.get("/").body)
            #expect(partnerBoard.contains("1 waarde te rapporteren, de eerste voor 2021-12-31"))
            // A partner coordinator does not review.
            #expect(try await browser.get("/results/review").status == .forbidden)

            // The partnership's page has no long-term results, so no section of them.
            let partnershipPage = String(
                buffer: try await browser.get("/partnerships/\(partnership.uuidString.lowercased())").body)
            #expect(!partnershipPage.contains("results-heading"))
        }
    }
}
