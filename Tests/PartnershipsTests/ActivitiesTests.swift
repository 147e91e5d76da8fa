import Foundation
import Gateway
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Postgres
import TestSupport
import Testing

struct Activity: Decodable, Equatable {
    struct Money: Decodable, Equatable {
        var planned: String
        var spent: String
        var currency: String
    }
    var id: UUID
    var partnershipId: UUID
    var title: String
    var kind: String
    var status: String
    var direction: String
    var sdgTargets: [String]
    var sdgGoals: [Int]
    var themes: [String]
    var budget: Money?
    var version: Int
}

struct ActivityPage: Decodable {
    var items: [Activity]
    var nextCursor: String?
}

@Suite("Activities over HTTP")
struct ActivitiesTests {
    @Test("a coordinator records COVID-19 activities right after the partnership, posts updates and filters them")
    func coordinatorScenario() async throws {
        let fixture = try await PartnershipsFixture.make("activities")
        let coordinator = try await TestTenant.create(in: fixture.database, slug: "roeselare", role: .coordinator)
        let partner = try await TestTenant.create(in: fixture.database, slug: "roeselare", role: .partnerCoordinator)
        let stranger = try await TestTenant.create(in: fixture.database, slug: "oostende", role: .admin)
        let admin = try await TestTenant.create(in: fixture.database, slug: "roeselare", role: .admin)
        try await Application(router: fixture.router).test(.router) { client in
            let partnership = try decode(
                Partnership.self,
                try await client.send(
                    .post,
                    "/api/v1/partnerships",
                    as: coordinator,
                    json:
                        #"{"title": "Roeselare–Dogbo", "partner": {"name": "Dogbo", "country": "BJ"}, "status": "active"}"#
                )
            )
            let other = try decode(
                Partnership.self,
                try await client.send(
                    .post,
                    "/api/v1/partnerships",
                    as: coordinator,
                    json: #"{"title": "Roeselare–Elsewhere", "partner": {"name": "Bohicon", "country": "BJ"}}"#
                )
            )
            #expect(
                try await client.send(
                    .post,
                    "/api/v1/partnerships/\(partnership.id)/members",
                    as: coordinator,
                    json: #"{"userId": "\#(partner.userID)", "role": "partner_coordinator"}"#
                ).status == .created
            )
            // Recorded in the request right after the partnership's: the local copy was kept in its transaction.
            let hygiene = try await client.send(
                .post,
                "/api/v1/partnerships/\(partnership.id)/activities",
                as: coordinator,
                json: #"""
                    {"title": "Handwashing stations at the market", "kind": "emergency_support", "status": "completed",
                     "startsOn": "2020-04-01", "endsOn": "2020-06-30", "direction": "north_to_south",
                     "sdgTargets": ["6.2", "3.d"], "themes": ["covid-19", "hygiene"],
                     "budget": {"planned": "12500.00", "spent": "11800.50", "currency": "EUR"},
                     "fundingSource": "flemish_government", "participants": 1200,
                     "description": "Hygiene campaign during the first lockdown."}
                    """#
            )
            #expect(hygiene.status == .created)
            let recorded = try decode(Activity.self, hygiene)
            #expect(recorded.sdgGoals == [3, 6])
            #expect(recorded.budget == Activity.Money(planned: "12500.00", spent: "11800.50", currency: "EUR"))
            let crisis = try decode(
                Activity.self,
                try await client.send(
                    .post,
                    "/api/v1/partnerships/\(partnership.id)/activities",
                    as: coordinator,
                    json: #"""
                        {"title": "Online exchange on crisis communication", "kind": "knowledge_exchange",
                         "startsOn": "2020-05-12", "direction": "south_to_north", "sdgTargets": ["16.6"],
                         "themes": ["covid-19"]}
                        """#
                )
            )
            _ = try await client.send(
                .post,
                "/api/v1/partnerships/\(other.id)/activities",
                as: coordinator,
                json: #"{"title": "Market study", "kind": "other", "startsOn": "2021-02-01", "direction": "mutual"}"#
            )
            // Updates, by the coordinator and by the partner coordinator.
            #expect(
                try await client.send(
                    .post,
                    "/api/v1/activities/\(recorded.id)/updates",
                    as: partner,
                    json: #"{"body": "Stations installed at both markets."}"#
                ).status == .created
            )
            let updates = try await client.send(.get, "/api/v1/activities/\(recorded.id)/updates", as: coordinator)
            #expect(String(buffer: updates.body).contains("Stations installed"))

            func titles(_ query: String, as user: TestTenant) async throws -> [String] {
                try decode(ActivityPage.self, try await client.send(.get, "/api/v1/activities?\(query)", as: user))
                    .items.map(\.title).sorted()
            }
            #expect(try await titles("theme=covid-19", as: coordinator).count == 2)
            #expect(try await titles("sdg=6", as: coordinator) == ["Handwashing stations at the market"])
            #expect(try await titles("target=16.6", as: coordinator) == ["Online exchange on crisis communication"])
            #expect(try await titles("direction=south_to_north", as: coordinator) == [crisis.title])
            #expect(try await titles("year=2021", as: coordinator) == ["Market study"])
            #expect(try await titles("q=lockdown", as: coordinator) == ["Handwashing stations at the market"])
            #expect(try await titles("partnershipId=\(other.id)", as: coordinator) == ["Market study"])
            // The partner coordinator sees exactly their partnership's activities; another tenant none.
            #expect(try await titles("", as: partner).count == 2)
            #expect(try await titles("", as: stranger).isEmpty)
            #expect(try await client.send(.get, "/api/v1/activities/\(recorded.id)", as: stranger).status == .notFound)
            #expect(
                try await client.send(
                    .patch, "/api/v1/activities/\(recorded.id)", as: partner, json: #"{"title": "X"}"#
                )
                .status == .forbidden
            )
            // A budget change with a stale version is refused; a current one publishes its events.
            let stale = try await client.send(
                .patch,
                "/api/v1/activities/\(recorded.id)",
                as: coordinator,
                json: #"{"budget": {"planned": "13000", "spent": "12000", "currency": "EUR"}}"#,
                headers: [.ifMatch: "\"0\""]
            )
            #expect(stale.status == .preconditionFailed)
            let changed = try await client.send(
                .patch,
                "/api/v1/activities/\(recorded.id)",
                as: coordinator,
                json: #"{"budget": {"planned": "13000", "spent": "12000", "currency": "EUR"}}"#,
                headers: [.ifMatch: "\"1\""]
            )
            #expect(changed.status == .ok)
            #expect(try decode(Activity.self, changed).budget?.planned == "13000.00")
            // The partnership with activities cannot be deleted.
            #expect(
                try await client.send(.delete, "/api/v1/partnerships/\(partnership.id)", as: admin).status == .conflict)
        }
        #expect(try await fixture.events("activities.activity_recorded.v1").count == 3)
        #expect(try await fixture.events("activities.activity_budget_changed.v1").count == 1)
        let posted = try await fixture.events("activities.activity_update_posted.v1")
        #expect(posted.first?["body"] as? String == "Stations installed at both markets.")
    }

    @Test("a PATCH clears a field sent as null and keeps a field left out")
    func patchClearsNull() async throws {
        let fixture = try await PartnershipsFixture.make("activitiesclear")
        let coordinator = try await TestTenant.create(in: fixture.database, slug: "roeselare", role: .coordinator)
        try await Application(router: fixture.router).test(.router) { client in
            let partnership = try decode(
                Partnership.self,
                try await client.send(
                    .post,
                    "/api/v1/partnerships",
                    as: coordinator,
                    json:
                        #"{"title": "Roeselare–Dogbo", "partner": {"name": "Dogbo", "country": "BJ"}, "startedOn": "1996-05-01"}"#
                )
            )
            let recorded = try decode(
                Activity.self,
                try await client.send(
                    .post,
                    "/api/v1/partnerships/\(partnership.id)/activities",
                    as: coordinator,
                    json: #"""
                        {"title": "Online exchange", "kind": "knowledge_exchange", "direction": "mutual",
                         "startsOn": "2020-04-01", "endsOn": "2020-06-30", "participants": 40, "fundingSource": "own",
                         "budget": {"planned": "500", "currency": "EUR"}}
                        """#
                )
            )
            let cleared = try await client.send(
                .patch, "/api/v1/activities/\(recorded.id)", as: coordinator,
                json: #"{"endsOn": null, "budget": null, "participants": null, "title": "Online exchanges"}"#
            )
            #expect(cleared.status == .ok)
            let after = try JSONSerialization.jsonObject(with: Data(cleared.body.readableBytesView)) as? [String: Any]
            #expect(after?["title"] as? String == "Online exchanges")
            #expect(after?["startsOn"] as? String == "2020-04-01")
            #expect(after?["fundingSource"] as? String == "own")
            #expect(after?["endsOn"] == nil && after?["budget"] == nil && after?["participants"] == nil)
            // An end before the kept start is still refused.
            let early = try await client.send(
                .patch, "/api/v1/activities/\(recorded.id)", as: coordinator, json: #"{"endsOn": "2020-01-01"}"#)
            #expect(early.status == .unprocessableContent)
            // A partnership that resumes loses its end date.
            let ended = try await client.send(
                .patch, "/api/v1/partnerships/\(partnership.id)", as: coordinator,
                json: #"{"status": "ended", "endedOn": "2021-12-31"}"#)
            #expect(ended.status == .ok)
            let resumed = try await client.send(
                .patch, "/api/v1/partnerships/\(partnership.id)", as: coordinator,
                json: #"{"status": "active", "endedOn": null}"#)
            let partnershipAfter =
                try JSONSerialization.jsonObject(with: Data(resumed.body.readableBytesView)) as? [String: Any]
            #expect(resumed.status == .ok)
            #expect(partnershipAfter?["endedOn"] == nil && partnershipAfter?["startedOn"] as? String == "1996-05-01")
        }
        let budgets = try await fixture.events("activities.activity_budget_changed.v1")
        #expect(budgets.count == 1)
        #expect((budgets.first?["activity"] as? [String: Any])?["budget"] == nil)
        let updates = try await fixture.events("activities.activity_updated.v1")
        #expect(
            (updates.first?["changedFields"] as? [String])?.sorted() == ["budget", "endsOn", "participants", "title"])
    }

    @Test("a budget PATCHed without spent keeps the amount spent; with spent it takes the new one")
    func patchBudgetKeepsSpent() async throws {
        let fixture = try await PartnershipsFixture.make("activitiesspent")
        let coordinator = try await TestTenant.create(in: fixture.database, slug: "roeselare", role: .coordinator)
        try await Application(router: fixture.router).test(.router) { client in
            let partnership = try decode(
                Partnership.self,
                try await client.send(
                    .post, "/api/v1/partnerships", as: coordinator,
                    json: #"{"title": "Roeselare–Dogbo", "partner": {"name": "Dogbo", "country": "BJ"}}"#)
            )
            let recorded = try decode(
                Activity.self,
                try await client.send(
                    .post, "/api/v1/partnerships/\(partnership.id)/activities", as: coordinator,
                    json: #"""
                        {"title": "Masks", "kind": "emergency_support", "direction": "north_to_south",
                         "budget": {"planned": "500", "spent": "120.50", "currency": "EUR"}}
                        """#)
            )
            let raised = try decode(
                Activity.self,
                try await client.send(
                    .patch, "/api/v1/activities/\(recorded.id)", as: coordinator,
                    json: #"{"budget": {"planned": "800", "currency": "EUR"}}"#)
            )
            #expect(raised.budget == Activity.Money(planned: "800.00", spent: "120.50", currency: "EUR"))
            let spent = try decode(
                Activity.self,
                try await client.send(
                    .patch, "/api/v1/activities/\(recorded.id)", as: coordinator,
                    json: #"{"budget": {"planned": "800", "spent": "0", "currency": "EUR"}}"#)
            )
            #expect(spent.budget == Activity.Money(planned: "800.00", spent: "0.00", currency: "EUR"))
        }
        #expect(try await fixture.events("activities.activity_budget_changed.v1").count == 2)
    }

    @Test("progress updates come newest first, a page at a time, each once")
    func updatesNewestFirstInPages() async throws {
        struct Note: Decodable { var body: String }
        struct Notes: Decodable {
            var items: [Note]
            var nextCursor: String?
        }
        let fixture = try await PartnershipsFixture.make("activitiesnotes")
        let coordinator = try await TestTenant.create(in: fixture.database, slug: "roeselare", role: .coordinator)
        try await Application(router: fixture.router).test(.router) { client in
            let partnership = try decode(
                Partnership.self,
                try await client.send(
                    .post, "/api/v1/partnerships", as: coordinator,
                    json: #"{"title": "Roeselare–Dogbo", "partner": {"name": "Dogbo", "country": "BJ"}}"#)
            )
            let activity = try decode(
                Activity.self,
                try await client.send(
                    .post, "/api/v1/partnerships/\(partnership.id)/activities", as: coordinator,
                    json: #"{"title": "Masks", "kind": "emergency_support", "direction": "north_to_south"}"#)
            )
            let path = "/api/v1/activities/\(activity.id)/updates"
            for number in 1...5 {
                let posted = try await client.send(
                    .post, path, as: coordinator, json: #"{"body": "note \#(number)"}"#)
                #expect(posted.status == .created)
            }
            var seen: [String] = []
            var cursor: String?
            repeat {
                let page = try decode(
                    Notes.self,
                    try await client.send(
                        .get, path + "?limit=2" + (cursor.map { "&cursor=\($0)" } ?? ""), as: coordinator))
                #expect(page.items.count <= 2)
                seen += page.items.map(\.body)
                // A note posted while the client pages is not among the older pages it is reading.
                if seen.count == 2 {
                    _ = try await client.send(.post, path, as: coordinator, json: #"{"body": "note 6"}"#)
                }
                cursor = page.nextCursor
            } while cursor != nil
            #expect(seen == ["note 5", "note 4", "note 3", "note 2", "note 1"])
            let first = try decode(Notes.self, try await client.send(.get, path, as: coordinator))
            #expect(first.items.first?.body == "note 6" && first.items.count == 6 && first.nextCursor == nil)
            let badLimit = try await client.send(.get, path + "?limit=0", as: coordinator)
            #expect(badLimit.status == .unprocessableContent)
        }
    }

    @Test("each bad activity field is a 422 naming it, and nothing is published")
    func badFields() async throws {
        let fixture = try await PartnershipsFixture.make("activitiesbad")
        let coordinator = try await TestTenant.create(in: fixture.database, slug: "edegem", role: .coordinator)
        try await Application(router: fixture.router).test(.router) { client in
            let partnership = try decode(
                Partnership.self,
                try await client.send(
                    .post,
                    "/api/v1/partnerships",
                    as: coordinator,
                    json: #"{"title": "Edegem–San Jerónimo", "partner": {"name": "San Jerónimo", "country": "PE"}}"#
                )
            )
            let base = #""title": "T", "kind": "other", "direction": "mutual""#
            let cases: [(String, String)] = [
                (#"{"kind": "other", "direction": "mutual"}"#, "title"),
                (#"{"title": "T", "kind": "party", "direction": "mutual"}"#, "kind"),
                (#"{"title": "T", "kind": "other", "direction": "sideways"}"#, "direction"),
                ("{\(base), \"status\": \"paused\"}", "status"),
                ("{\(base), \"sdgTargets\": [\"3.z\"]}", "sdgTargets"),
                ("{\(base), \"themes\": [\"COVID 19\"]}", "themes"),
                ("{\(base), \"budget\": {\"planned\": \"-5\", \"currency\": \"EUR\"}}", "budget.planned"),
                ("{\(base), \"budget\": {\"planned\": 12.5, \"currency\": \"EUR\"}}", "budget.planned"),
                ("{\(base), \"budget\": {\"planned\": \"5\", \"currency\": \"EURO\"}}", "budget.currency"),
                ("{\(base), \"fundingSource\": \"lottery\"}", "fundingSource"),
                ("{\(base), \"participants\": -1}", "participants"),
                ("{\(base), \"startsOn\": \"2020-05-01\", \"endsOn\": \"2020-04-01\"}", "endsOn"),
                // 10,001 characters of two code points each: 20,002 as the database counts them.
                ("{\(base), \"description\": \"\(String(repeating: "e\u{301}", count: 10_001))\"}", "description"),
                ("{\(base), \"results\": \"nul \\u0000 here\"}", "results"),
            ]
            for (body, field) in cases {
                let response = try await client.send(
                    .post,
                    "/api/v1/partnerships/\(partnership.id)/activities",
                    as: coordinator,
                    json: body
                )
                #expect(response.status == .unprocessableContent, "\(body)")
                #expect(
                    String(buffer: response.body).contains("\"field\":\"\(field)\""),
                    "\(body): \(String(buffer: response.body))")
            }
            for query in ["status=x", "kind=x", "direction=x", "sdg=18", "target=99.9", "year=20", "partnershipId=x"] {
                #expect(
                    try await client.send(.get, "/api/v1/activities?\(query)", as: coordinator).status
                        == .unprocessableContent,
                    "\(query)"
                )
            }
            #expect(
                try await client.send(
                    .post,
                    "/api/v1/partnerships/\(UUID())/activities",
                    as: coordinator,
                    json: "{\(base)}"
                ).status == .notFound
            )
        }
        #expect(try await fixture.events("activities.activity_recorded.v1").isEmpty)
    }
}
