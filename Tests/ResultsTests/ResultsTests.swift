import Foundation
import Gateway
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Postgres
import TestSupport
import Testing

/// A result as the tests read it.
struct ResultJSON: Decodable {
    struct Indicator: Decodable {
        struct Baseline: Decodable, Equatable {
            var year: Int
            var value: String?
            var comment: String
        }
        var id: UUID
        var resultId: UUID
        var activityId: UUID?
        var title: String
        var measure: String
        var ascending: Bool
        var sdgTarget: String?
        var baseline: Baseline?
        var version: Int
    }
    var id: UUID
    var partnershipId: UUID
    var activityId: UUID?
    var title: String
    var type: String
    var description: String
    var aggregates: Bool
    var version: Int
    var indicators: [Indicator]
}

/// A page of results.
struct ResultJSONPage: Decodable {
    var items: [ResultJSON]
    var nextCursor: String?
}

/// A problem's field errors, as `field: message`.
struct FieldProblem: Decodable {
    struct FieldError: Decodable {
        var field: String
        var message: String
    }
    var status: Int
    var errors: [FieldError]?
}

@Suite("Results and indicators over HTTP")
struct ResultsTests {
    /// A coordinator's municipality with a partnership (and its partner coordinator) and an activity of it.
    struct Scene {
        var coordinator: TestTenant
        var partner: TestTenant
        var partnership: UUID
        var activity: UUID
    }

    static func scene(_ database: TestDatabase, _ client: some TestClientProtocol) async throws -> Scene {
        let coordinator = try await TestTenant.create(in: database, slug: "roeselare", role: .coordinator)
        let partner = try await TestTenant.create(in: database, slug: "roeselare", role: .partnerCoordinator)
        let partnership = try decode(
            Created.self,
            try await client.send(
                .post, "/api/v1/partnerships", as: coordinator,
                json: #"{"title": "Roeselare–Dogbo", "partner": {"name": "Dogbo", "country": "BJ"}}"#)
        ).id
        _ = try await client.send(
            .post, "/api/v1/partnerships/\(partnership)/members", as: coordinator,
            json: #"{"userId": "\#(partner.userID)", "role": "partner_coordinator"}"#)
        let activity = try decode(
            Created.self,
            try await client.send(
                .post, "/api/v1/partnerships/\(partnership)/activities", as: coordinator,
                json: #"{"title": "Civil registry", "kind": "capacity_building", "direction": "mutual"}"#)
        ).id
        return Scene(coordinator: coordinator, partner: partner, partnership: partnership, activity: activity)
    }

    @Test("a coordinator defines results of an activity and of a partnership, with indicators; all read them back")
    func definesAndReadsResults() async throws {
        let fixture = try await ResultsFixture.make("resultsdefine")
        let database = fixture.database
        try await Application(router: fixture.router).test(.router) { client in
            let scene = try await Self.scene(database, client)
            let created = try await client.send(
                .post, "/api/v1/activities/\(scene.activity)/results", as: scene.coordinator,
                json: #"{"title": "Every birth registered", "type": "outcome"}"#)
            #expect(created.status == .created)
            #expect(created.headers[.eTag] == "\"1\"")
            let result = try decode(ResultJSON.self, created)
            #expect(created.headers[.location] == "/api/v1/results/\(result.id.uuidString.lowercased())")
            #expect(result.activityId == scene.activity && result.partnershipId == scene.partnership)
            #expect(result.aggregates && result.description.isEmpty && result.indicators.isEmpty)

            let defined = try await client.send(
                .post, "/api/v1/results/\(result.id)/indicators", as: scene.coordinator,
                json: #"""
                    {"title": "Birth registrations within 90 days (%)", "measure": "percentage", "sdgTarget": "16.9",
                     "baseline": {"year": 2019, "value": "61.50", "comment": "Civil registry, Dogbo"}}
                    """#)
            #expect(defined.status == .created)
            let indicator = try decode(ResultJSON.Indicator.self, defined)
            #expect(indicator.resultId == result.id && indicator.activityId == scene.activity)
            #expect(indicator.ascending && indicator.sdgTarget == "16.9")
            // The value is kept exactly as written.
            #expect(indicator.baseline == .init(year: 2019, value: "61.50", comment: "Civil registry, Dogbo"))

            let longTerm = try await client.send(
                .post, "/api/v1/partnerships/\(scene.partnership)/results", as: scene.coordinator,
                json: #"{"title": "A civil registry that works", "type": "impact", "aggregates": false}"#)
            #expect(longTerm.status == .created)
            let partnershipResult = try decode(ResultJSON.self, longTerm)
            #expect(partnershipResult.activityId == nil && !partnershipResult.aggregates)

            // The partner coordinator of the partnership reads both lists, each result with its indicators.
            let ofActivity = try decode(
                ResultJSONPage.self,
                try await client.send(.get, "/api/v1/activities/\(scene.activity)/results", as: scene.partner))
            #expect(ofActivity.items.map(\.id) == [result.id])
            #expect(ofActivity.items[0].indicators.map(\.id) == [indicator.id])
            let ofPartnership = try decode(
                ResultJSONPage.self,
                try await client.send(.get, "/api/v1/partnerships/\(scene.partnership)/results", as: scene.partner))
            #expect(ofPartnership.items.map(\.id) == [partnershipResult.id])
            let shown = try await client.send(.get, "/api/v1/results/\(result.id)", as: scene.partner)
            #expect(shown.status == .ok && shown.headers[.eTag] == "\"1\"")
            #expect(
                try decode(ResultJSON.self, shown).indicators.map(\.title) == ["Birth registrations within 90 days (%)"]
            )

            // A change may clear the SDG target and the baseline with null.
            let cleared = try await client.send(
                .patch, "/api/v1/indicators/\(indicator.id)", as: scene.coordinator,
                json: #"{"sdgTarget": null, "baseline": null}"#)
            #expect(cleared.status == .ok && cleared.headers[.eTag] == "\"2\"")
            let plain = try decode(ResultJSON.Indicator.self, cleared)
            #expect(plain.sdgTarget == nil && plain.baseline == nil && plain.measure == "percentage")

            // A page of one, then the next.
            let second = try decode(
                ResultJSON.self,
                try await client.send(
                    .post, "/api/v1/activities/\(scene.activity)/results", as: scene.coordinator,
                    json: #"{"title": "Registrars trained", "type": "output"}"#))
            let first = try decode(
                ResultJSONPage.self,
                try await client.send(
                    .get, "/api/v1/activities/\(scene.activity)/results?limit=1", as: scene.coordinator))
            #expect(first.items.map(\.id) == [result.id])
            let cursor = try #require(first.nextCursor)
            let next = try decode(
                ResultJSONPage.self,
                try await client.send(
                    .get, "/api/v1/activities/\(scene.activity)/results?limit=1&cursor=\(cursor)",
                    as: scene.coordinator))
            #expect(next.items.map(\.id) == [second.id] && next.nextCursor == nil)

            // Deleting the indicator, then the result, each announced once.
            #expect(
                try await client.send(.delete, "/api/v1/indicators/\(indicator.id)", as: scene.coordinator).status
                    == .noContent)
            #expect(
                try await client.send(.get, "/api/v1/indicators/\(indicator.id)", as: scene.coordinator).status
                    == .notFound)
            #expect(
                try await client.send(.delete, "/api/v1/results/\(result.id)", as: scene.coordinator).status
                    == .noContent)
            #expect(
                try await client.send(.get, "/api/v1/results/\(result.id)", as: scene.coordinator).status == .notFound)
        }
        let names = try await database.rows(
            "SELECT name FROM messaging.events WHERE name LIKE 'results.%' ORDER BY position"
        ).map { try $0.decode(String.self, column: 0) }
        #expect(
            names == [
                "results.result_defined.v1", "results.indicator_defined.v1", "results.result_defined.v1",
                "results.indicator_updated.v1", "results.result_defined.v1", "results.indicator_deleted.v1",
                "results.result_deleted.v1",
            ])
    }

    @Test("a change with a stale If-Match is refused with 412 and changes nothing; a current one goes through")
    func rejectsStaleIfMatch() async throws {
        let fixture = try await ResultsFixture.make("resultsifmatch")
        let database = fixture.database
        try await Application(router: fixture.router).test(.router) { client in
            let scene = try await Self.scene(database, client)
            let result = try decode(
                ResultJSON.self,
                try await client.send(
                    .post, "/api/v1/activities/\(scene.activity)/results", as: scene.coordinator,
                    json: #"{"title": "Every birth registered", "type": "outcome"}"#))
            let changed = try await client.send(
                .patch, "/api/v1/results/\(result.id)", as: scene.coordinator,
                json: #"{"title": "Every birth registered in time"}"#, headers: [.ifMatch: "\"1\""])
            #expect(changed.status == .ok && changed.headers[.eTag] == "\"2\"")
            let stale = try await client.send(
                .patch, "/api/v1/results/\(result.id)", as: scene.coordinator, json: #"{"type": "impact"}"#,
                headers: [.ifMatch: "\"1\""])
            #expect(stale.status == .preconditionFailed)
            let now = try decode(
                ResultJSON.self, try await client.send(.get, "/api/v1/results/\(result.id)", as: scene.coordinator))
            #expect(now.type == "outcome" && now.version == 2 && now.title == "Every birth registered in time")

            let indicator = try decode(
                ResultJSON.Indicator.self,
                try await client.send(
                    .post, "/api/v1/results/\(result.id)/indicators", as: scene.coordinator,
                    json: #"{"title": "Registrations", "measure": "unit"}"#))
            let staleIndicator = try await client.send(
                .patch, "/api/v1/indicators/\(indicator.id)", as: scene.coordinator, json: #"{"ascending": false}"#,
                headers: [.ifMatch: "\"2\""])
            #expect(staleIndicator.status == .preconditionFailed)
            let current = try await client.send(
                .patch, "/api/v1/indicators/\(indicator.id)", as: scene.coordinator,
                json: #"{"ascending": false, "baseline": {"year": 2019, "value": "120"}}"#, headers: [.ifMatch: "\"1\""]
            )
            #expect(current.status == .ok && current.headers[.eTag] == "\"2\"")
            let read = try decode(ResultJSON.Indicator.self, current)
            #expect(!read.ascending && read.baseline?.value == "120")
        }
        let changes = try await database.rows(
            """
            SELECT (payload -> 'changedFields')::text FROM messaging.events WHERE name LIKE 'results.%_updated.v1'
            ORDER BY position
            """
        ).map { try $0.decode(String.self, column: 0) }
        #expect(changes == [#"["title"]"#, #"["ascending", "baseline"]"#])
    }

    @Test("a refused body names each field it refuses, as problem+json, and nothing is written")
    func validationNamesTheField() async throws {
        let fixture = try await ResultsFixture.make("resultsvalidation")
        let database = fixture.database
        try await Application(router: fixture.router).test(.router) { client in
            let scene = try await Self.scene(database, client)
            func fields(_ response: TestResponse) throws -> [String] {
                #expect(response.status == .unprocessableContent)
                #expect(response.headers[.contentType] == "application/problem+json")
                return try decode(FieldProblem.self, response).errors?.map(\.field).sorted() ?? []
            }
            let badResult = try await client.send(
                .post, "/api/v1/activities/\(scene.activity)/results", as: scene.coordinator,
                json: #"{"title": " ", "type": "goal", "colour": "red"}"#)
            #expect(try fields(badResult) == ["colour", "title", "type"])
            let result = try decode(
                ResultJSON.self,
                try await client.send(
                    .post, "/api/v1/activities/\(scene.activity)/results", as: scene.coordinator,
                    json: #"{"title": "Every birth registered", "type": "outcome"}"#))
            let badIndicator = try await client.send(
                .post, "/api/v1/results/\(result.id)/indicators", as: scene.coordinator,
                json: #"""
                    {"title": "Registrations (%)", "measure": "percentage", "sdgTarget": "16.99",
                     "baseline": {"year": 1850, "value": "101"}}
                    """#)
            #expect(try fields(badIndicator) == ["baseline.value", "baseline.year", "sdgTarget"])
            let messages = try decode(FieldProblem.self, badIndicator).errors ?? []
            #expect(messages.contains { $0.field == "baseline.value" && $0.message == "a percentage is at most 100" })
            let qualitative = try await client.send(
                .post, "/api/v1/results/\(result.id)/indicators", as: scene.coordinator,
                json:
                    #"{"title": "How families see it", "measure": "qualitative", "baseline": {"year": 2019, "value": "3"}}"#
            )
            let words = try decode(FieldProblem.self, qualitative).errors ?? []
            #expect(words.map(\.field) == ["baseline.value"])
            #expect(words.first?.message == "a qualitative indicator takes only a comment")
            let notANumber = try await client.send(
                .post, "/api/v1/results/\(result.id)/indicators", as: scene.coordinator,
                json: #"{"title": "Visits", "measure": "ordinal", "baseline": {"year": 2019, "value": "2.5"}}"#)
            #expect(try fields(notANumber) == ["baseline.value"])
            let negative = try await client.send(
                .post, "/api/v1/results/\(result.id)/indicators", as: scene.coordinator,
                json: #"{"title": "Visits", "measure": "unit", "baseline": {"year": 2019, "value": "-1"}}"#)
            #expect(try fields(negative) == ["baseline.value"])
            let noYear = try await client.send(
                .post, "/api/v1/results/\(result.id)/indicators", as: scene.coordinator,
                json: #"{"title": "Visits", "measure": "unit", "baseline": {"value": "1"}}"#)
            #expect(try fields(noYear) == ["baseline.year"])

            // A change is checked against the measure the indicator ends up with.
            let indicator = try decode(
                ResultJSON.Indicator.self,
                try await client.send(
                    .post, "/api/v1/results/\(result.id)/indicators", as: scene.coordinator,
                    json: #"{"title": "Registrations", "measure": "unit", "baseline": {"year": 2019, "value": "150"}}"#)
            )
            let toPercentage = try await client.send(
                .patch, "/api/v1/indicators/\(indicator.id)", as: scene.coordinator, json: #"{"measure": "percentage"}"#
            )
            #expect(try fields(toPercentage) == ["baseline.value"])
            let unchanged = try decode(
                ResultJSON.Indicator.self,
                try await client.send(.get, "/api/v1/indicators/\(indicator.id)", as: scene.coordinator))
            #expect(unchanged.measure == "unit" && unchanged.version == 1)
        }
        let count = try await database.rows(
            "SELECT count(*) FROM messaging.events WHERE name LIKE 'results.%'"
        ).map { try $0.decode(Int.self, column: 0) }
        #expect(count == [2])
    }

    @Test("an activity deleted in Activities takes its results and their indicators with it")
    func activityDeletionRemovesResults() async throws {
        let fixture = try await ResultsFixture.make("resultscascade")
        let database = fixture.database
        try await Application(router: fixture.router).test(.router) { client in
            let scene = try await Self.scene(database, client)
            let result = try decode(
                ResultJSON.self,
                try await client.send(
                    .post, "/api/v1/activities/\(scene.activity)/results", as: scene.coordinator,
                    json: #"{"title": "Every birth registered", "type": "outcome"}"#))
            let indicator = try decode(
                ResultJSON.Indicator.self,
                try await client.send(
                    .post, "/api/v1/results/\(result.id)/indicators", as: scene.coordinator,
                    json: #"{"title": "Registrations", "measure": "unit"}"#))
            let longTerm = try decode(
                ResultJSON.self,
                try await client.send(
                    .post, "/api/v1/partnerships/\(scene.partnership)/results", as: scene.coordinator,
                    json: #"{"title": "A civil registry that works", "type": "impact"}"#))
            #expect(
                try await client.send(.delete, "/api/v1/activities/\(scene.activity)", as: scene.coordinator).status
                    == .noContent)
            #expect(
                try await client.send(.get, "/api/v1/results/\(result.id)", as: scene.coordinator).status == .notFound)
            #expect(
                try await client.send(.get, "/api/v1/indicators/\(indicator.id)", as: scene.coordinator).status
                    == .notFound)
            #expect(
                try await client.send(.get, "/api/v1/activities/\(scene.activity)/results", as: scene.coordinator)
                    .status == .notFound)
            // The partnership's own result stays.
            #expect(try await client.send(.get, "/api/v1/results/\(longTerm.id)", as: scene.coordinator).status == .ok)
        }
        let left = try await database.rows(
            "SELECT (SELECT count(*) FROM results.results), (SELECT count(*) FROM results.indicators)"
        ).map { "\(try $0.decode((Int, Int).self))" }
        #expect(left == ["(1, 0)"])
    }
}
