import Foundation
import Gateway
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Postgres
import TestSupport
import Testing
import Vocabulary

/// A period as the tests read it.
struct PeriodJSON: Decodable {
    struct Value: Decodable, Equatable {
        var value: String?
        var comment: String
    }
    struct Actual: Decodable {
        var value: String?
        var comment: String
        var reportedBy: UUID
        var reportedAt: Date
    }
    struct Review: Decodable {
        var comment: String
        var reviewedBy: UUID
        var reviewedAt: Date
    }
    var id: UUID
    var indicatorId: UUID
    var resultId: UUID
    var partnershipId: UUID
    var activityId: UUID?
    var start: String
    var end: String
    var target: Value?
    var actual: Actual?
    var status: String
    var review: Review?
    var version: Int
}

/// An indicator with its periods, as the tests read it.
struct IndicatorWithPeriods: Decodable {
    var id: UUID
    var measure: String
    var periods: [PeriodJSON]
}

/// The answer's JSON as a dictionary, to see `null`s the decoder would read as absent.
func object(_ response: TestResponse) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any])
}

/// The decoder of instants the API writes (`.iso8601`).
private let isoDecoder: JSONDecoder = {
    let decoder = JSONDecoder()
    decoder.dateDecodingStrategy = .iso8601
    return decoder
}()

/// A period from the answer, which must have `status`.
func period(_ response: TestResponse, _ status: HTTPResponse.Status = .ok) throws -> PeriodJSON {
    #expect(response.status == status, "\(String(buffer: response.body))")
    return try isoDecoder.decode(PeriodJSON.self, from: Data(response.body.readableBytesView))
}

/// The fields a refusal names, after checking it is `status` as problem+json.
func refusedFields(_ response: TestResponse, _ status: HTTPResponse.Status = .unprocessableContent) throws
    -> [String]
{
    #expect(response.status == status, "\(String(buffer: response.body))")
    #expect(response.headers[.contentType] == "application/problem+json")
    return try decode(FieldProblem.self, response).errors?.map(\.field).sorted() ?? []
}

/// The message of the refusal's error on `field`.
func message(_ response: TestResponse, _ field: String) throws -> String? {
    try decode(FieldProblem.self, response).errors?.first { $0.field == field }?.message
}

@Suite("Reporting periods and the two-sided reporting over HTTP")
struct PeriodsTests {
    /// The scene of ``ResultsTests``, with a result of its activity and one indicator of `measure`.
    struct Setup {
        var scene: ResultsTests.Scene
        var result: UUID
        var indicator: UUID
    }

    static func setup(
        _ database: TestDatabase, _ client: some TestClientProtocol, measure: String = "percentage"
    ) async throws -> Setup {
        let scene = try await ResultsTests.scene(database, client)
        let result = try decode(
            Created.self,
            try await client.send(
                .post, "/api/v1/activities/\(scene.activity)/results", as: scene.coordinator,
                json: #"{"title": "Every birth registered", "type": "outcome"}"#)
        ).id
        let indicator = try await Self.indicator(of: result, measure: measure, scene.coordinator, client)
        return Setup(scene: scene, result: result, indicator: indicator)
    }

    static func indicator(
        of result: UUID, measure: String, _ coordinator: TestTenant, _ client: some TestClientProtocol
    ) async throws -> UUID {
        let response = try await client.send(
            .post, "/api/v1/results/\(result)/indicators", as: coordinator,
            json: #"{"title": "Birth registrations within 90 days", "measure": "\#(measure)"}"#)
        #expect(response.status == .created)
        return try decode(Created.self, response).id
    }

    /// Defines a period of the indicator for `year`, with a target when given.
    static func definePeriod(
        _ indicator: UUID, year: Int, target: String? = nil, _ coordinator: TestTenant,
        _ client: some TestClientProtocol
    ) async throws -> PeriodJSON {
        let targetJSON = target.map { #", "target": {"value": "\#($0)"}"# } ?? ""
        return try period(
            try await client.send(
                .post, "/api/v1/indicators/\(indicator)/periods", as: coordinator,
                json: #"{"start": "\#(year)-01-01", "end": "\#(year)-12-31"\#(targetJSON)}"#),
            .created)
    }

    /// The names of the Results events published so far, oldest first.
    static func eventNames(_ database: TestDatabase) async throws -> [String] {
        try await database.rows(
            "SELECT name FROM messaging.events WHERE name LIKE 'results.%' ORDER BY position"
        ).map { try $0.decode(String.self, column: 0) }
    }

    @Test(
        "a partner coordinator reports a value, a coordinator approves it; both are announced with who and which side")
    func partnerReportsCoordinatorApproves() async throws {
        let fixture = try await ResultsFixture.make("periodsreport")
        let database = fixture.database
        try await Application(router: fixture.router).test(.router) { client in
            let setup = try await Self.setup(database, client)
            let scene = setup.scene
            let created = try await client.send(
                .post, "/api/v1/indicators/\(setup.indicator)/periods", as: scene.coordinator,
                json: #"{"start": "2020-01-01", "end": "2020-12-31", "target": {"value": "70"}}"#)
            let draft = try period(created, .created)
            #expect(created.headers[.location] == "/api/v1/periods/\(draft.id.uuidString.lowercased())")
            #expect(created.headers[.eTag] == "\"1\"")
            #expect(draft.status == "draft" && draft.start == "2020-01-01" && draft.end == "2020-12-31")
            #expect(draft.target == .init(value: "70", comment: ""))
            #expect(draft.indicatorId == setup.indicator && draft.resultId == setup.result)
            #expect(draft.activityId == scene.activity && draft.partnershipId == scene.partnership)
            // A draft answers every field, empty ones as null.
            let fields = try object(created)
            #expect(fields["actual"] is NSNull && fields["review"] is NSNull)

            // The partner coordinator reports; they may not approve.
            let reported = try await client.send(
                .put, "/api/v1/periods/\(draft.id)/actual", as: scene.partner,
                json: #"{"value": "74.50", "comment": "Mobile registration teams"}"#, headers: [.ifMatch: "\"1\""])
            let submitted = try period(reported)
            #expect(reported.headers[.eTag] == "\"2\"")
            #expect(submitted.status == "submitted" && submitted.actual?.value == "74.50")
            #expect(submitted.actual?.comment == "Mobile registration teams")
            #expect(submitted.actual?.reportedBy == scene.partner.userID && submitted.review == nil)
            let byPartner = try await client.send(.post, "/api/v1/periods/\(draft.id)/approve", as: scene.partner)
            #expect(try refusedFields(byPartner, .forbidden).isEmpty)

            // The coordinator approves, with no body at all.
            let approved = try period(
                try await client.send(.post, "/api/v1/periods/\(draft.id)/approve", as: scene.coordinator))
            #expect(approved.status == "approved" && approved.version == 3)
            #expect(approved.review?.reviewedBy == scene.coordinator.userID && approved.review?.comment == "")
            #expect(approved.actual?.reportedBy == scene.partner.userID)

            // The indicator, the result and the activity's list nest the period, as the partner sees them.
            let indicator = try isoDecoder.decode(
                IndicatorWithPeriods.self,
                from: Data(
                    try await client.send(.get, "/api/v1/indicators/\(setup.indicator)", as: scene.partner).body
                        .readableBytesView))
            #expect(indicator.periods.map(\.id) == [draft.id] && indicator.periods[0].status == "approved")
            let list = try await client.send(.get, "/api/v1/activities/\(scene.activity)/results", as: scene.partner)
            let items = try #require(try object(list)["items"] as? [[String: Any]])
            let nested = (items.first?["indicators"] as? [[String: Any]])?.first?["periods"] as? [[String: Any]]
            #expect(nested?.first?["status"] as? String == "approved")
            let shown = try await client.send(.get, "/api/v1/periods/\(draft.id)", as: scene.partner)
            #expect(try period(shown).status == "approved" && shown.headers[.eTag] == "\"3\"")

            // The coordinator reports a second period themselves: the municipality's side.
            let second = try await Self.definePeriod(setup.indicator, year: 2021, scene.coordinator, client)
            _ = try period(
                try await client.send(
                    .put, "/api/v1/periods/\(second.id)/actual", as: scene.coordinator, json: #"{"value": "80"}"#))
        }
        #expect(
            try await Self.eventNames(database) == [
                "results.result_defined.v1", "results.indicator_defined.v1", "results.period_defined.v1",
                "results.value_reported.v1", "results.value_approved.v1", "results.period_defined.v1",
                "results.value_reported.v1",
            ])
        let reports = try await database.rows(
            """
            SELECT payload ->> 'reporterSide', payload ->> 'partnerName', payload -> 'period' ->> 'reportedBy',
                payload -> 'period' -> 'actual' ->> 'value', payload -> 'indicator' ->> 'measure'
            FROM messaging.events WHERE name = 'results.value_reported.v1' ORDER BY position
            """
        ).map { try $0.decode((String, String, String, String, String).self) }
        #expect(reports.count == 2)
        #expect(reports.first?.0 == "partner" && reports.first?.1 == "Dogbo" && reports.first?.3 == "74.50")
        #expect(reports.first?.4 == "percentage")
        #expect(reports.last?.0 == "municipality" && reports.last?.3 == "80")
        let approval = try await database.rows(
            """
            SELECT payload -> 'period' ->> 'status', (payload -> 'period' ->> 'version')::int
            FROM messaging.events WHERE name = 'results.value_approved.v1'
            """
        ).map { try $0.decode((String, Int).self) }
        #expect(approval.count == 1 && approval.first?.0 == "approved" && approval.first?.1 == 3)
    }

    @Test("returning a value needs a comment saying why; the reporter sees it and reports again")
    func returnNeedsAComment() async throws {
        let fixture = try await ResultsFixture.make("periodsreturn")
        let database = fixture.database
        try await Application(router: fixture.router).test(.router) { client in
            let setup = try await Self.setup(database, client)
            let scene = setup.scene
            let draft = try await Self.definePeriod(
                setup.indicator, year: 2020, target: "70", scene.coordinator, client)
            _ = try period(
                try await client.send(
                    .put, "/api/v1/periods/\(draft.id)/actual", as: scene.partner, json: #"{"value": "74"}"#))
            for body in [#"{}"#, #"{"comment": "   "}"#, #"{"comment": null}"#] {
                let refused = try await client.send(
                    .post, "/api/v1/periods/\(draft.id)/return", as: scene.coordinator, json: body)
                #expect(try refusedFields(refused) == ["comment"], "\(body)")
            }
            let noBody = try await client.send(.post, "/api/v1/periods/\(draft.id)/return", as: scene.coordinator)
            #expect(noBody.status == .badRequest || noBody.status == .unprocessableContent)
            let unchanged = try period(try await client.send(.get, "/api/v1/periods/\(draft.id)", as: scene.partner))
            #expect(unchanged.status == "submitted" && unchanged.version == 2)

            let returned = try period(
                try await client.send(
                    .post, "/api/v1/periods/\(draft.id)/return", as: scene.coordinator,
                    json: #"{"comment": "The register says 71: check the March figures"}"#))
            #expect(returned.status == "returned")
            #expect(returned.review?.comment == "The register says 71: check the March figures")
            #expect(returned.review?.reviewedBy == scene.coordinator.userID)
            // The returned value stays to be corrected.
            #expect(returned.actual?.value == "74")

            let again = try period(
                try await client.send(
                    .put, "/api/v1/periods/\(draft.id)/actual", as: scene.partner,
                    json: #"{"value": "71", "comment": "March corrected"}"#))
            #expect(again.status == "submitted" && again.actual?.value == "71" && again.review == nil)
        }
        let returns = try await database.rows(
            """
            SELECT payload -> 'period' ->> 'reviewComment', payload -> 'period' ->> 'status'
            FROM messaging.events WHERE name = 'results.value_returned.v1'
            """
        ).map { try $0.decode((String, String).self) }
        #expect(returns.count == 1)
        #expect(returns.first?.0 == "The register says 71: check the March figures" && returns.first?.1 == "returned")
    }

    @Test("an approved value is locked until a coordinator returns it: no report, no new dates, no deletion")
    func approvedIsLockedUntilReturned() async throws {
        let fixture = try await ResultsFixture.make("periodslocked")
        let database = fixture.database
        try await Application(router: fixture.router).test(.router) { client in
            let setup = try await Self.setup(database, client)
            let scene = setup.scene
            let draft = try await Self.definePeriod(
                setup.indicator, year: 2020, target: "70", scene.coordinator, client)
            _ = try period(
                try await client.send(
                    .put, "/api/v1/periods/\(draft.id)/actual", as: scene.partner, json: #"{"value": "74"}"#))
            _ = try period(try await client.send(.post, "/api/v1/periods/\(draft.id)/approve", as: scene.coordinator))

            func conflict(_ method: HTTPRequest.Method, _ uri: String, json: String? = nil, field: String = "status")
                async throws
            {
                let response = try await client.send(method, uri, as: scene.coordinator, json: json)
                #expect(try refusedFields(response, .conflict) == [field], "\(method) \(uri)")
            }
            let reportOver = try await client.send(
                .put, "/api/v1/periods/\(draft.id)/actual", as: scene.partner, json: #"{"value": "75"}"#)
            #expect(try refusedFields(reportOver, .conflict) == ["status"])
            #expect(try message(reportOver, "status") == "is approved")
            try await conflict(.put, "/api/v1/periods/\(draft.id)/actual", json: #"{"value": "75"}"#)
            try await conflict(.patch, "/api/v1/periods/\(draft.id)", json: #"{"start": "2020-02-01"}"#)
            try await conflict(.patch, "/api/v1/periods/\(draft.id)", json: #"{"end": "2021-01-31"}"#)
            try await conflict(.delete, "/api/v1/periods/\(draft.id)")
            try await conflict(.delete, "/api/v1/indicators/\(setup.indicator)")
            try await conflict(.delete, "/api/v1/results/\(setup.result)")
            try await conflict(.post, "/api/v1/periods/\(draft.id)/approve")
            try await conflict(
                .patch, "/api/v1/indicators/\(setup.indicator)", json: #"{"measure": "unit"}"#, field: "measure")
            // Targets are the plan: they may change after approval.
            let retargeted = try period(
                try await client.send(
                    .patch, "/api/v1/periods/\(draft.id)", as: scene.coordinator,
                    json: #"{"target": {"value": "72", "comment": "revised plan"}}"#))
            #expect(retargeted.status == "approved" && retargeted.target == .init(value: "72", comment: "revised plan"))
            #expect(retargeted.actual?.value == "74")

            // Returned, it opens again.
            _ = try period(
                try await client.send(
                    .post, "/api/v1/periods/\(draft.id)/return", as: scene.coordinator,
                    json: #"{"comment": "Reopened: the census changed the base"}"#))
            let moved = try period(
                try await client.send(
                    .patch, "/api/v1/periods/\(draft.id)", as: scene.coordinator, json: #"{"end": "2021-01-31"}"#))
            #expect(moved.end == "2021-01-31" && moved.status == "returned")
            #expect(
                try await client.send(.delete, "/api/v1/periods/\(draft.id)", as: scene.coordinator).status
                    == .noContent)
            #expect(
                try await client.send(.get, "/api/v1/periods/\(draft.id)", as: scene.coordinator).status == .notFound)
            // With its periods gone, the indicator may be measured otherwise.
            let remeasured = try await client.send(
                .patch, "/api/v1/indicators/\(setup.indicator)", as: scene.coordinator, json: #"{"measure": "unit"}"#)
            #expect(remeasured.status == .ok)
        }
        let names = try await Self.eventNames(database)
        #expect(
            Array(names.suffix(5)) == [
                "results.period_updated.v1", "results.value_returned.v1", "results.period_updated.v1",
                "results.period_deleted.v1", "results.indicator_updated.v1",
            ])
        let changes = try await database.rows(
            """
            SELECT (payload -> 'changedFields')::text FROM messaging.events WHERE name = 'results.period_updated.v1'
            ORDER BY position
            """
        ).map { try $0.decode(String.self, column: 0) }
        #expect(changes == [#"["target"]"#, #"["end"]"#])
    }

    @Test("a measure holding targets cannot change, one without values can")
    func measureStaysWhilePeriodsHoldValues() async throws {
        let fixture = try await ResultsFixture.make("periodsmeasure")
        let database = fixture.database
        try await Application(router: fixture.router).test(.router) { client in
            let setup = try await Self.setup(database, client, measure: "unit")
            let scene = setup.scene
            let planned = try await Self.definePeriod(
                setup.indicator, year: 2020, target: "150", scene.coordinator, client)
            let refused = try await client.send(
                .patch, "/api/v1/indicators/\(setup.indicator)", as: scene.coordinator,
                json: #"{"measure": "percentage"}"#)
            #expect(try refusedFields(refused, .conflict) == ["measure"])
            // Other fields still change.
            let retitled = try await client.send(
                .patch, "/api/v1/indicators/\(setup.indicator)", as: scene.coordinator, json: #"{"ascending": false}"#)
            #expect(retitled.status == .ok)
            _ = try period(
                try await client.send(
                    .patch, "/api/v1/periods/\(planned.id)", as: scene.coordinator, json: #"{"target": null}"#))
            let changed = try await client.send(
                .patch, "/api/v1/indicators/\(setup.indicator)", as: scene.coordinator,
                json: #"{"measure": "percentage"}"#)
            #expect(changed.status == .ok)
            let indicator = try isoDecoder.decode(IndicatorWithPeriods.self, from: Data(changed.body.readableBytesView))
            #expect(indicator.measure == "percentage" && indicator.periods.map { $0.target == nil } == [true])
        }
    }

    @Test("a qualitative indicator takes comments only: a target or a value with a number is refused")
    func qualitativeTakesCommentsOnly() async throws {
        let fixture = try await ResultsFixture.make("periodsqualitative")
        let database = fixture.database
        try await Application(router: fixture.router).test(.router) { client in
            let setup = try await Self.setup(database, client, measure: "qualitative")
            let scene = setup.scene
            let withNumber = try await client.send(
                .post, "/api/v1/indicators/\(setup.indicator)/periods", as: scene.coordinator,
                json: #"{"start": "2020-01-01", "end": "2020-12-31", "target": {"value": "3"}}"#)
            #expect(try refusedFields(withNumber) == ["target.value"])
            #expect(try message(withNumber, "target.value") == "a qualitative indicator takes only a comment")
            let draft = try period(
                try await client.send(
                    .post, "/api/v1/indicators/\(setup.indicator)/periods", as: scene.coordinator,
                    json:
                        #"{"start": "2020-01-01", "end": "2020-12-31", "target": {"comment": "Families trust the registry"}}"#
                ),
                .created)
            #expect(draft.target == .init(value: nil, comment: "Families trust the registry"))
            let number = try await client.send(
                .put, "/api/v1/periods/\(draft.id)/actual", as: scene.partner,
                json: #"{"value": "3", "comment": "Better"}"#)
            #expect(try refusedFields(number) == ["value"])
            for body in [#"{}"#, #"{"comment": ""}"#, #"{"value": null, "comment": " \n "}"#] {
                let silent = try await client.send(
                    .put, "/api/v1/periods/\(draft.id)/actual", as: scene.partner, json: body)
                #expect(try refusedFields(silent) == ["comment"], "\(body)")
            }
            let retarget = try await client.send(
                .patch, "/api/v1/periods/\(draft.id)", as: scene.coordinator, json: #"{"target": {"value": "4"}}"#)
            #expect(try refusedFields(retarget) == ["target.value"])
            let words = try period(
                try await client.send(
                    .put, "/api/v1/periods/\(draft.id)/actual", as: scene.partner,
                    json: #"{"value": null, "comment": "Mothers now register at the health post"}"#))
            #expect(words.status == "submitted" && words.actual?.value == nil)
            #expect(words.actual?.comment == "Mothers now register at the health post")

            // A quantitative indicator needs its number; the comment is free.
            let counted = try await Self.indicator(of: setup.result, measure: "unit", scene.coordinator, client)
            let countedPeriod = try await Self.definePeriod(counted, year: 2020, scene.coordinator, client)
            let onlyWords = try await client.send(
                .put, "/api/v1/periods/\(countedPeriod.id)/actual", as: scene.partner,
                json: #"{"comment": "Many more"}"#)
            #expect(try refusedFields(onlyWords) == ["value"])
            #expect(
                try period(
                    try await client.send(
                        .put, "/api/v1/periods/\(countedPeriod.id)/actual", as: scene.partner,
                        json: #"{"value": "1200"}"#)
                ).actual?.comment == "")
        }
        // Only the defining and the two accepted reports were written.
        let names = try await Self.eventNames(database)
        #expect(names.filter { $0 == "results.value_reported.v1" }.count == 2)
        #expect(names.filter { $0 == "results.period_defined.v1" }.count == 2)
    }

    @Test("a percentage is at most 100, a nominal or ordinal value whole, no value negative or with a comma")
    func percentageAtMost100() async throws {
        let fixture = try await ResultsFixture.make("periodspercentage")
        let database = fixture.database
        try await Application(router: fixture.router).test(.router) { client in
            let setup = try await Self.setup(database, client, measure: "percentage")
            let scene = setup.scene
            let over = try await client.send(
                .post, "/api/v1/indicators/\(setup.indicator)/periods", as: scene.coordinator,
                json: #"{"start": "2020-01-01", "end": "2020-12-31", "target": {"value": "100.5"}}"#)
            #expect(try refusedFields(over) == ["target.value"])
            #expect(try message(over, "target.value") == "a percentage is at most 100")
            let full = try await Self.definePeriod(
                setup.indicator, year: 2020, target: "100", scene.coordinator, client)
            #expect(full.target?.value == "100")
            for value in ["101", "100.000001", "-1", "74,5", "1e2", " 74"] {
                let refused = try await client.send(
                    .put, "/api/v1/periods/\(full.id)/actual", as: scene.partner, json: #"{"value": "\#(value)"}"#)
                #expect(try refusedFields(refused) == ["value"], "\(value)")
            }
            let exact = try period(
                try await client.send(
                    .put, "/api/v1/periods/\(full.id)/actual", as: scene.partner, json: #"{"value": "100.000"}"#))
            #expect(exact.actual?.value == "100.000")

            let ranks = try await Self.indicator(of: setup.result, measure: "ordinal", scene.coordinator, client)
            let ranked = try await Self.definePeriod(ranks, year: 2020, scene.coordinator, client)
            let half = try await client.send(
                .put, "/api/v1/periods/\(ranked.id)/actual", as: scene.partner, json: #"{"value": "2.5"}"#)
            #expect(try refusedFields(half) == ["value"])
            #expect(
                try period(
                    try await client.send(
                        .put, "/api/v1/periods/\(ranked.id)/actual", as: scene.partner, json: #"{"value": "3.0"}"#)
                ).actual?.value == "3.0")
        }
    }

    @Test("periods of one indicator do not overlap, and end on or after they start")
    func periodsDoNotOverlap() async throws {
        let fixture = try await ResultsFixture.make("periodsoverlap")
        let database = fixture.database
        try await Application(router: fixture.router).test(.router) { client in
            let setup = try await Self.setup(database, client)
            let scene = setup.scene
            _ = try await Self.definePeriod(setup.indicator, year: 2020, scene.coordinator, client)
            let overlapping = try await client.send(
                .post, "/api/v1/indicators/\(setup.indicator)/periods", as: scene.coordinator,
                json: #"{"start": "2020-12-31", "end": "2021-06-30"}"#)
            #expect(try refusedFields(overlapping) == ["start"])
            #expect(try message(overlapping, "start") == "overlaps 2020-01-01 to 2020-12-31")
            let backwards = try await client.send(
                .post, "/api/v1/indicators/\(setup.indicator)/periods", as: scene.coordinator,
                json: #"{"start": "2021-12-31", "end": "2021-01-01"}"#)
            #expect(try refusedFields(backwards) == ["end"])
            let notADate = try await client.send(
                .post, "/api/v1/indicators/\(setup.indicator)/periods", as: scene.coordinator,
                json: #"{"start": "2021-02-30", "end": "2021-12-31", "colour": "red"}"#)
            #expect(try refusedFields(notADate) == ["colour", "start"])
            let next = try await Self.definePeriod(setup.indicator, year: 2021, scene.coordinator, client)
            // A change is checked against the other periods and against the date it keeps.
            let moved = try await client.send(
                .patch, "/api/v1/periods/\(next.id)", as: scene.coordinator, json: #"{"start": "2020-06-01"}"#)
            #expect(try refusedFields(moved) == ["start"])
            let beforeStart = try await client.send(
                .patch, "/api/v1/periods/\(next.id)", as: scene.coordinator, json: #"{"end": "2020-12-31"}"#)
            #expect(try refusedFields(beforeStart) == ["end"])
            // Its own dates are no overlap; another indicator's periods are none either.
            let widened = try period(
                try await client.send(
                    .patch, "/api/v1/periods/\(next.id)", as: scene.coordinator, json: #"{"end": "2022-06-30"}"#))
            #expect(widened.start == "2021-01-01" && widened.end == "2022-06-30")
            let other = try await Self.indicator(of: setup.result, measure: "unit", scene.coordinator, client)
            _ = try await Self.definePeriod(other, year: 2020, scene.coordinator, client)
        }
        let names = try await Self.eventNames(database)
        #expect(names.filter { $0.hasPrefix("results.period_") }.count == 4)
    }

    @Test("two coordinators approving one value at once: one approves, the other is told it is approved")
    func concurrentApprovalsOneWins() async throws {
        let fixture = try await ResultsFixture.make("periodsconcurrent")
        let database = fixture.database
        try await Application(router: fixture.router).test(.router) { client in
            let setup = try await Self.setup(database, client)
            let scene = setup.scene
            let admin = try await TestTenant.create(in: database, slug: "roeselare", role: .admin)
            for year in 2001...2005 {
                let draft = try await Self.definePeriod(setup.indicator, year: year, scene.coordinator, client)
                _ = try period(
                    try await client.send(
                        .put, "/api/v1/periods/\(draft.id)/actual", as: scene.partner, json: #"{"value": "74"}"#))
                async let first = client.send(.post, "/api/v1/periods/\(draft.id)/approve", as: scene.coordinator)
                async let second = client.send(.post, "/api/v1/periods/\(draft.id)/approve", as: admin)
                let (one, other) = (try await first, try await second)
                let statuses = [one.status.code, other.status.code].sorted()
                #expect(statuses == [200, 409], "\(year)")
            }
        }
        let approvals = try await database.rows(
            "SELECT aggregate_id, count(*) FROM messaging.events WHERE name = 'results.value_approved.v1' GROUP BY 1"
        ).map { try $0.decode((UUID, Int).self) }
        #expect(approvals.count == 5 && approvals.allSatisfy { $0.1 == 1 })
    }

    @Test("every status against every action: the step PeriodStatus.after allows, else 409 naming the status")
    func everyTransition() async throws {
        let fixture = try await ResultsFixture.make("periodstransitions")
        let database = fixture.database
        try await Application(router: fixture.router).test(.router) { client in
            let setup = try await Self.setup(database, client)
            let scene = setup.scene
            var year = 2000
            for status in PeriodStatus.allCases {
                for action in PeriodAction.allCases {
                    year += 1
                    let draft = try await Self.definePeriod(setup.indicator, year: year, scene.coordinator, client)
                    let report = "/api/v1/periods/\(draft.id)/actual"
                    let approve = "/api/v1/periods/\(draft.id)/approve"
                    let sendBack = "/api/v1/periods/\(draft.id)/return"
                    let comment = #"{"comment": "Check the register"}"#
                    if status != .draft {
                        _ = try period(
                            try await client.send(.put, report, as: scene.partner, json: #"{"value": "60"}"#))
                    }
                    if status == .approved {
                        _ = try period(try await client.send(.post, approve, as: scene.coordinator))
                    }
                    if status == .returned {
                        _ = try period(try await client.send(.post, sendBack, as: scene.coordinator, json: comment))
                    }
                    let response: TestResponse
                    switch action {
                    case .report:
                        response = try await client.send(.put, report, as: scene.partner, json: #"{"value": "61"}"#)
                    case .approve:
                        response = try await client.send(.post, approve, as: scene.coordinator)
                    case .return:
                        response = try await client.send(.post, sendBack, as: scene.coordinator, json: comment)
                    }
                    if let next = status.after(action) {
                        #expect(try period(response).status == next.rawValue, "\(status) \(action)")
                    } else {
                        #expect(try refusedFields(response, .conflict) == ["status"], "\(status) \(action)")
                        #expect(try message(response, "status") == "is \(status.rawValue)")
                        let unchanged = try period(
                            try await client.send(.get, "/api/v1/periods/\(draft.id)", as: scene.coordinator))
                        #expect(unchanged.status == status.rawValue, "\(status) \(action)")
                    }
                }
            }
        }
    }

    @Test(
        "the answers come in order: out of scope 404, then the role's 403, the body's 422, If-Match's 412, the status's 409"
    )
    func answersInOrder() async throws {
        let fixture = try await ResultsFixture.make("periodsorder")
        let database = fixture.database
        try await Application(router: fixture.router).test(.router) { client in
            let setup = try await Self.setup(database, client)
            let scene = setup.scene
            let viewer = try await TestTenant.create(in: database, slug: "roeselare", role: .viewer)
            let outsider = try await TestTenant.create(in: database, slug: "roeselare", role: .partnerCoordinator)
            let stranger = try await TestTenant.create(in: database, slug: "oostende", role: .admin)
            let draft = try await Self.definePeriod(setup.indicator, year: 2020, scene.coordinator, client)
            let actual = "/api/v1/periods/\(draft.id)/actual"
            let bad = #"{"value": "101"}"#
            #expect(try await client.send(.put, actual, as: outsider, json: bad).status == .notFound)
            #expect(try await client.send(.put, actual, as: stranger, json: bad).status == .notFound)
            #expect(try await client.send(.put, actual, as: viewer, json: bad).status == .forbidden)
            #expect(
                try await client.send(.put, actual, as: scene.partner, json: bad, headers: [.ifMatch: "\"9\""]).status
                    == .unprocessableContent)
            #expect(
                try await client.send(
                    .put, actual, as: scene.partner, json: #"{"value": "70"}"#, headers: [.ifMatch: "\"9\""]
                ).status == .preconditionFailed)
            _ = try period(try await client.send(.put, actual, as: scene.partner, json: #"{"value": "70"}"#))
            _ = try period(try await client.send(.post, "/api/v1/periods/\(draft.id)/approve", as: scene.coordinator))
            #expect(
                try await client.send(
                    .put, actual, as: scene.partner, json: #"{"value": "70"}"#, headers: [.ifMatch: "\"9\""]
                ).status == .preconditionFailed)
            #expect(
                try await client.send(
                    .put, actual, as: scene.partner, json: #"{"value": "70"}"#, headers: [.ifMatch: "\"3\""]
                ).status == .conflict)
            let stale = try await client.send(
                .patch, "/api/v1/periods/\(draft.id)", as: scene.coordinator, json: #"{"target": {"value": "80"}}"#,
                headers: [.ifMatch: "\"1\""])
            #expect(stale.status == .preconditionFailed)
            // Nothing of another municipality's or another partnership's period is told, not even its existence.
            #expect(try await client.send(.get, "/api/v1/periods/\(draft.id)", as: stranger).status == .notFound)
            #expect(try await client.send(.get, "/api/v1/periods/\(draft.id)", as: outsider).status == .notFound)
            #expect(
                try await client.send(
                    .post, "/api/v1/indicators/\(setup.indicator)/periods", as: outsider, json: #"{"start": "x"}"#
                ).status == .notFound)
            #expect(
                try await client.send(
                    .post, "/api/v1/indicators/\(setup.indicator)/periods", as: viewer, json: #"{"start": "x"}"#
                ).status == .forbidden)
        }
    }
}
