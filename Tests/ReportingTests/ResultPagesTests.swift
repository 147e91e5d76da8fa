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
            #expect(
                html.contains(
                    #"<h3 id="result-\#(defined.result.uuidString.lowercased())">Every birth registered in time</h3>"#))
            // A partner coordinator reports; they do not define.
            #expect(!html.contains("/edit") && !html.contains("/delete") && !html.contains(#"id="add-result""#))
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
                    #"<td>2021</td><td class="n">90%</td><td class="n">80%</td><td>ingediend"#))
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

    @Test(
        "a coordinator defines, changes and deletes results, indicators and periods on pages; refusals beside the field"
    )
    func coordinatorDefinesOnPages() async throws {
        let fixture = try await ReportPagesTests.Fixture.make("resultforms")
        let reporting = fixture.reporting
        let coordinator = try await TestTenant.create(
            in: reporting.database, slug: "roeselare", role: .coordinator, email: "coordinator@roeselare.be")
        let partner = try await TestTenant.create(
            in: reporting.database, slug: "roeselare", role: .partnerCoordinator, email: "partner@roeselare.be")
        let stranger = try await TestTenant.create(
            in: reporting.database, slug: "leuven", role: .coordinator, email: "coordinator@leuven.be")
        let (partnership, activityID) = try await ResultsScene.scene(reporting, as: coordinator)
        let activity = activityID.uuidString.lowercased()
        let signIn = fixture.signIn
        try await Application(router: reporting.router).test(.router) { client in
            #expect(
                try await client.send(
                    .post, "/api/v1/partnerships/\(partnership)/members", as: coordinator,
                    json: #"{"userId": "\#(partner.userID)", "role": "partner_coordinator"}"#
                ).status == .created)
            let browser = try await signIn.browser(client, as: "coordinator@roeselare.be")
            // Without results the section is there for a writer, to add the first.
            let empty = String(buffer: try await browser.get("/activities/\(activity)").body)
            #expect(
                empty.contains("Nog geen resultaten.")
                    && empty.contains(#"<a href="/activities/\#(activity)/results/new" id="add-result">"#))

            // A result: a title is required, said beside the field; what was typed stays.
            let bare = try await browser.post(
                "/activities/\(activity)/results/new",
                form: ["title": " ", "type": "outcome", "description": "Kept text", "aggregates": "yes"])
            #expect(bare.status == .unprocessableContent)
            let bareHTML = String(buffer: bare.body)
            #expect(bareHTML.contains(#"<p class="error-message" id="title-error">Vul een titel in"#))
            #expect(bareHTML.contains(">Kept text</textarea>") && bareHTML.contains(##"href="#title""##))
            let created = try await browser.post(
                "/activities/\(activity)/results/new",
                form: ["title": "Every birth registered", "type": "outcome", "description": "", "aggregates": "yes"])
            #expect(created.status == .seeOther)
            let results = try object(
                try await client.send(.get, "/api/v1/activities/\(activity)/results", as: coordinator))
            let result = try #require((results["items"] as? [[String: Any]])?.first)
            let resultID = try #require(result["id"] as? String).lowercased()
            #expect(created.headers[.location] == "/activities/\(activity)#result-\(resultID)")
            #expect(result["type"] as? String == "outcome" && result["aggregates"] as? Bool == true)

            // An indicator: a percentage baseline above 100 is refused beside its field, the measure's words.
            var indicatorForm = [
                "title": "Birth registrations within 90 days (%)", "measure": "percentage", "ascending": "yes",
                "sdgTarget": "16.9", "baseline.year": "2019", "baseline.value": "120", "baseline.comment": "",
                "description": "",
            ]
            let tooHigh = try await browser.post("/results/\(resultID)/indicators/new", form: indicatorForm)
            #expect(tooHigh.status == .unprocessableContent)
            let tooHighHTML = String(buffer: tooHigh.body)
            #expect(tooHighHTML.contains(#"id="baseline.value-error">Vul een getal in"#))
            #expect(tooHighHTML.contains(#"<option value="16.9" selected>"#))
            indicatorForm["baseline.value"] = "61,5"
            let indicatorSaved = try await browser.post("/results/\(resultID)/indicators/new", form: indicatorForm)
            #expect(indicatorSaved.status == .seeOther)
            let indicatorLocation = try #require(indicatorSaved.headers[.location])
            let indicatorID = try #require(indicatorLocation.split(separator: "#indicator-").last.map(String.init))
            let indicator = try object(
                try await client.send(.get, "/api/v1/indicators/\(indicatorID)", as: coordinator))
            #expect((indicator["baseline"] as? [String: Any])?["value"] as? String == "61.5")
            #expect(indicator["sdgTarget"] as? String == "16.9" && indicator["ascending"] as? Bool == true)

            // Periods: a date that is no date, then an overlap, each refused beside its field.
            let unreadable = try await browser.post(
                "/indicators/\(indicatorID)/periods/new",
                form: ["start": "31/12", "end": "2020-12-31", "target.value": "70", "target.comment": ""])
            #expect(unreadable.status == .unprocessableContent)
            #expect(String(buffer: unreadable.body).contains(#"id="start-error">Vul een datum in"#))
            let first = try await browser.post(
                "/indicators/\(indicatorID)/periods/new",
                form: ["start": "2020-01-01", "end": "2020-12-31", "target.value": "70", "target.comment": ""])
            #expect(first.status == .seeOther && first.headers[.location] == indicatorLocation)
            let overlapping = try await browser.post(
                "/indicators/\(indicatorID)/periods/new",
                form: ["start": "2020-06-01", "end": "2021-05-31", "target.value": "80", "target.comment": ""])
            #expect(overlapping.status == .unprocessableContent)
            #expect(String(buffer: overlapping.body).contains(#"id="start-error">Deze periode overlapt"#))
            #expect(
                try await browser.post(
                    "/indicators/\(indicatorID)/periods/new",
                    form: ["start": "2021-01-01", "end": "2021-12-31", "target.value": "", "target.comment": ""]
                ).status == .seeOther)
            let periods = try #require(
                try object(try await client.send(.get, "/api/v1/indicators/\(indicatorID)", as: coordinator))["periods"]
                    as? [[String: Any]])
            #expect(periods.count == 2)
            let firstPeriod = try #require(periods.first?["id"] as? String).lowercased()
            let secondPeriod = try #require(periods.last?["id"] as? String).lowercased()

            // The page links every change to a writer.
            let page = String(buffer: try await browser.get("/activities/\(activity)").body)
            for href in [
                "/results/\(resultID)/edit", "/results/\(resultID)/delete", "/results/\(resultID)/indicators/new",
                "/indicators/\(indicatorID)/edit", "/indicators/\(indicatorID)/periods/new",
                "/periods/\(firstPeriod)/edit", "/periods/\(secondPeriod)/delete",
            ] {
                #expect(page.contains(#"href="\#(href)""#), "no link to \(href)")
            }

            // Changing a period: the form shows what is stored; a stale version keeps what was typed (409).
            let editForm = String(buffer: try await browser.get("/periods/\(firstPeriod)/edit").body)
            #expect(
                editForm.contains(#"name="target.value" value="70""#) && editForm.contains(#"name="version" value="1""#)
            )
            let stale = try await browser.post(
                "/periods/\(firstPeriod)/edit",
                form: ["version": "0", "start": "2020-01-01", "end": "2020-12-31", "target.value": "75"])
            #expect(stale.status == .conflict)
            let staleHTML = String(buffer: stale.body)
            #expect(staleHTML.contains(#"id="stale""#) && staleHTML.contains(#"name="target.value" value="75""#))
            #expect(staleHTML.contains(#"name="version" value="1""#))
            #expect(
                try await browser.post(
                    "/periods/\(firstPeriod)/edit",
                    form: ["version": "1", "start": "2020-01-01", "end": "2020-12-31", "target.value": "75"]
                ).status == .seeOther)
            let changed = try object(try await client.send(.get, "/api/v1/periods/\(firstPeriod)", as: coordinator))
            #expect((changed["target"] as? [String: Any])?["value"] as? String == "75")

            // Who may not: a partner coordinator's 403 page, another municipality's 404 page.
            let partnerBrowser = try await signIn.browser(client, as: "partner@roeselare.be")
            #expect(try await partnerBrowser.get("/results/\(resultID)/edit").status == .forbidden)
            #expect(try await partnerBrowser.get("/activities/\(activity)/results/new").status == .forbidden)
            let strangerBrowser = try await signIn.browser(client, as: "coordinator@leuven.be")
            #expect(try await strangerBrowser.get("/indicators/\(indicatorID)/edit").status == .notFound)
            #expect(
                try await strangerBrowser.post("/periods/\(secondPeriod)/delete", form: [:]).status == .notFound)
            _ = stranger

            // Deleting: something holding an approved value is kept, and the page says why.
            #expect(
                try await client.send(
                    .put, "/api/v1/periods/\(firstPeriod)/actual", as: partner, json: #"{"value": "74"}"#
                ).status == .ok)
            #expect(
                try await client.send(.post, "/api/v1/periods/\(firstPeriod)/approve", as: coordinator).status == .ok)
            let question = String(buffer: try await browser.get("/indicators/\(indicatorID)/delete").body)
            #expect(question.contains("“Birth registrations within 90 days (%)” verwijderen?"))
            let held = try await browser.post("/indicators/\(indicatorID)/delete", form: [:])
            #expect(held.status == .conflict && String(buffer: held.body).contains("goedgekeurde waarde"))
            let deleted = try await browser.post("/periods/\(secondPeriod)/delete", form: [:])
            #expect(deleted.status == .seeOther && deleted.headers[.location] == indicatorLocation)
            #expect(try await client.send(.get, "/api/v1/periods/\(secondPeriod)", as: coordinator).status == .notFound)
        }
    }
}
