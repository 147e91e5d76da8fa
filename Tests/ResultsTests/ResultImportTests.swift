import Foundation
import Gateway
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Postgres
import TestSupport
import Testing

/// `POST /api/v1/imports/results`: results, indicators, periods and approved values from a spreadsheet, all or
/// nothing, matched so that importing the same file again changes nothing.
@Suite("Importing results from a CSV file")
struct ResultImportTests {
    /// The answer of an import that went through.
    struct Imported: Decodable, Equatable {
        struct Counts: Decodable, Equatable {
            var results: Int
            var indicators: Int
            var periods: Int
        }
        var imported: Counts
    }

    /// The decoder of the API's instants.
    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }()

    /// The documented example file.
    static func example() throws -> String {
        try String(contentsOfFile: TestPaths.root + "/docs/results-import-example.csv", encoding: .utf8)
    }

    static func importCSV(_ csv: String, as user: TestTenant, _ client: some TestClientProtocol) async throws
        -> TestResponse
    {
        try await client.execute(
            uri: "/api/v1/imports/results", method: .post,
            headers: [.authorization: user.authorization, .contentType: "text/csv"], body: ByteBuffer(string: csv))
    }

    /// The partnership's long-term results, each indicator with its periods.
    static func partnershipIndicators(
        _ scene: ResultsTests.Scene, _ client: some TestClientProtocol
    ) async throws -> [(result: ResultJSON, indicators: [IndicatorWithPeriods])] {
        let page = try decode(
            ResultJSONPage.self,
            try await client.send(.get, "/api/v1/partnerships/\(scene.partnership)/results", as: scene.coordinator))
        var answer: [(result: ResultJSON, indicators: [IndicatorWithPeriods])] = []
        for result in page.items {
            var indicators: [IndicatorWithPeriods] = []
            for indicator in result.indicators {
                let response = try await client.send(
                    .get, "/api/v1/indicators/\(indicator.id)", as: scene.coordinator)
                indicators.append(
                    try Self.decoder.decode(IndicatorWithPeriods.self, from: Data(response.body.readableBytesView)))
            }
            answer.append((result: result, indicators: indicators))
        }
        return answer
    }

    /// How many events the municipality's tables hold: a re-import that changes nothing publishes none.
    static func eventCount(_ database: TestDatabase) async throws -> Int {
        try await database.rows("SELECT count(*) FROM messaging.events")[0].decode(Int.self, column: 0)
    }

    @Test("the example file defines Dogbo's indicator with its baseline, yearly targets and 2020's approved value")
    func importsTheExampleFile() async throws {
        let fixture = try await ResultsFixture.make("resultimportexample")
        let database = fixture.database
        try await Application(router: fixture.router).test(.router) { client in
            let scene = try await ResultsTests.scene(database, client)
            let response = try await Self.importCSV(try Self.example(), as: scene.coordinator, client)
            #expect(response.status == .created, "\(String(buffer: response.body))")
            #expect(try decode(Imported.self, response).imported == .init(results: 1, indicators: 1, periods: 4))

            let results = try await Self.partnershipIndicators(scene, client)
            let (result, indicators) = try #require(results.first)
            #expect(results.count == 1)
            #expect(result.title == "Every birth in Dogbo registered in time" && result.type == "outcome")
            #expect(result.description.contains("Illustrative"))
            let indicator = try #require(result.indicators.first)
            #expect(indicator.title == "Birth registrations within 90 days (%)" && indicator.measure == "percentage")
            #expect(indicator.ascending && indicator.sdgTarget == "16.9")
            #expect(
                indicator.baseline == .init(year: 2019, value: "61", comment: "Civil registry of Dogbo (illustrative)"))
            let periods = try #require(indicators.first).periods
            #expect(periods.map(\.start) == ["2020-01-01", "2021-01-01", "2022-01-01", "2023-01-01"])
            #expect(periods.map(\.end) == ["2020-12-31", "2021-12-31", "2022-12-31", "2023-12-31"])
            // A Belgian decimal comma is read as a point.
            #expect(periods.map { $0.target?.value } == ["70", "77.5", "85", "90"])
            #expect(periods[3].target?.comment == "Illustrative target")
            // 2020's actual: reported and approved by the importer; the other years wait as drafts.
            #expect(periods.map(\.status) == ["approved", "draft", "draft", "draft"])
            #expect(periods[0].actual?.value == "74" && periods[0].actual?.comment.contains("Mobile") == true)
            #expect(periods[0].actual?.reportedBy == scene.coordinator.userID)
            #expect(periods[0].review?.reviewedBy == scene.coordinator.userID)
            // Both steps are told, as the API's own report and approval are.
            let names = try await database.rows(
                "SELECT name FROM messaging.events WHERE name LIKE 'results.value_%' ORDER BY position")
            #expect(try names.map { try $0.decode(String.self, column: 0) }.contains { $0.contains("approved") })
            #expect(try names.map { try $0.decode(String.self, column: 0) }.contains { $0.contains("reported") })
        }
    }

    @Test("importing the same file again changes nothing: no new rows, versions or events")
    func reimportChangesNothing() async throws {
        let fixture = try await ResultsFixture.make("resultimportagain")
        let database = fixture.database
        try await Application(router: fixture.router).test(.router) { client in
            let scene = try await ResultsTests.scene(database, client)
            let example = try Self.example()
            #expect(try await Self.importCSV(example, as: scene.coordinator, client).status == .created)
            let before = try await Self.partnershipIndicators(scene, client)
            let events = try await Self.eventCount(database)

            let again = try await Self.importCSV(example, as: scene.coordinator, client)
            #expect(again.status == .created)
            #expect(try decode(Imported.self, again).imported == .init(results: 0, indicators: 0, periods: 0))
            #expect(try await Self.eventCount(database) == events)
            let after = try await Self.partnershipIndicators(scene, client)
            #expect(after.map(\.result.id) == before.map(\.result.id))
            #expect(after.map(\.result.version) == before.map(\.result.version))
            #expect(
                after.flatMap(\.indicators).flatMap(\.periods).map(\.version)
                    == before.flatMap(\.indicators).flatMap(\.periods).map(\.version))
            #expect(after.flatMap(\.indicators).flatMap(\.periods).count == 4)

            // Titles match ignoring case; a changed target changes that period only, and is counted.
            let changed = example.replacingOccurrences(of: "Every birth in Dogbo", with: "EVERY BIRTH IN DOGBO")
                .replacingOccurrences(of: ";85;", with: ";86;")
            let third = try await Self.importCSV(changed, as: scene.coordinator, client)
            #expect(try decode(Imported.self, third).imported == .init(results: 0, indicators: 0, periods: 1))
            let periods = try await Self.partnershipIndicators(scene, client).flatMap(\.indicators).flatMap(\.periods)
            #expect(periods.map { $0.target?.value } == ["70", "77.5", "86", "90"])
        }
    }

    @Test("a file with bad rows imports nothing and names each row and column, as the activity import does")
    func badRowsImportNothing() async throws {
        let fixture = try await ResultsFixture.make("resultimportbad")
        let database = fixture.database
        try await Application(router: fixture.router).test(.router) { client in
            let scene = try await ResultsTests.scene(database, client)
            let events = try await Self.eventCount(database)
            let csv = """
                activity,result,indicator,measure,baselineYear,baselineValue,periodStart,periodEnd,target,actual
                Civil registry,Every birth registered,Registrations (%),percentage,2019,61,2020-01-01,2020-12-31,70,74
                Civil registry,Every birth registered,Registrations (%),speed,,,,,,
                Civil registry,Every birth registered,Registrations (%),,,,31/02/2021,2021-12-31,,
                No such activity,Another result,,,,,,,,
                Civil registry,Every birth registered,People reached,unit,,,2020-01-01,2020-12-31,-5,
                Civil registry,Every birth registered,Registrations (%),,,,2022-01-01,2022-12-31,120,
                Civil registry,,,,,,,,,
                Civil registry,Every birth registered,Registrations (%),,,,2020-06-01,2020-06-30,,

                """
            let response = try await Self.importCSV(csv, as: scene.coordinator, client)
            let fields = try refusedFields(response)
            #expect(
                fields == [
                    "row 3: measure", "row 4: periodStart", "row 5: activity", "row 6: target", "row 7: target",
                    "row 8: result", "row 9: periodStart",
                ])
            #expect(try message(response, "row 3: measure")?.hasPrefix("must be one of unit, percentage") == true)
            #expect(try message(response, "row 5: activity") == "no activity of this municipality has this title or id")
            #expect(try message(response, "row 7: target") == "a percentage is at most 100")
            #expect(try message(response, "row 9: periodStart") == "overlaps 2020-01-01 to 2020-12-31")
            // Nothing of the good first row stays, and nothing was told.
            let results = try decode(
                ResultJSONPage.self,
                try await client.send(.get, "/api/v1/activities/\(scene.activity)/results", as: scene.coordinator))
            #expect(results.items.isEmpty)
            #expect(try await Self.eventCount(database) == events)

            // The file as a whole: an unknown column, and no result column.
            let header = try await Self.importCSV("activity;title\nCivil registry;x\n", as: scene.coordinator, client)
            #expect(try refusedFields(header) == ["header", "header"])
            #expect(
                try decode(FieldProblem.self, header).errors?.map(\.message).sorted()
                    == ["the column result is missing", "unknown column title"])
            #expect(try refusedFields(try await Self.importCSV("", as: scene.coordinator, client)) == ["file"])
        }
    }

    @Test("numbers as Belgian spreadsheets write them: 74,5 and 1.200,5 and 1 200 are read, 1,2,3 is refused")
    func belgianNumbers() async throws {
        let fixture = try await ResultsFixture.make("resultimportnumbers")
        let database = fixture.database
        try await Application(router: fixture.router).test(.router) { client in
            let scene = try await ResultsTests.scene(database, client)
            let csv = """
                partnership;result;indicator;measure;baselineYear;baselineValue;periodStart;periodEnd;target;actual
                Roeselare–Dogbo;Hygiene;People reached;unit;2019;74,5;2020-01-01;2020-12-31;1.200,5;1 200
                Roeselare–Dogbo;Hygiene;People reached;unit;2019;74,5;2021-01-01;2021-12-31;1500.25;

                """
            let response = try await Self.importCSV(csv, as: scene.coordinator, client)
            #expect(response.status == .created, "\(String(buffer: response.body))")
            let (result, indicators) = try #require(try await Self.partnershipIndicators(scene, client).first)
            #expect(result.indicators.first?.baseline?.value == "74.5")
            let periods = try #require(indicators.first).periods
            #expect(periods.map { $0.target?.value } == ["1200.5", "1500.25"])
            #expect(periods[0].actual?.value == "1200" && periods[0].status == "approved")

            let bad = csv.replacingOccurrences(of: "1500.25", with: "1,2,3")
                .replacingOccurrences(of: "Hygiene", with: "Water")
            let refused = try await Self.importCSV(bad, as: scene.coordinator, client)
            #expect(try refusedFields(refused) == ["row 3: target"])
        }
    }

    @Test("an approved value the file gives otherwise is a row error until a coordinator returns it")
    func approvedValueConflicts() async throws {
        let fixture = try await ResultsFixture.make("resultimportapproved")
        let database = fixture.database
        try await Application(router: fixture.router).test(.router) { client in
            let scene = try await ResultsTests.scene(database, client)
            let example = try Self.example()
            #expect(try await Self.importCSV(example, as: scene.coordinator, client).status == .created)
            let corrected = example.replacingOccurrences(of: ";74;", with: ";70;")
            let refused = try await Self.importCSV(corrected, as: scene.coordinator, client)
            #expect(try refusedFields(refused) == ["row 2: actual"])
            #expect(try message(refused, "row 2: actual") == "approved with 74: return it first")

            let period = try #require(
                try await Self.partnershipIndicators(scene, client).first?.indicators.first?.periods.first)
            #expect(period.actual?.value == "74")
            let returned = try await client.send(
                .post, "/api/v1/periods/\(period.id)/return", as: scene.coordinator,
                json: #"{"comment": "The registry counted 70"}"#)
            #expect(returned.status == .ok)
            let imported = try await Self.importCSV(corrected, as: scene.coordinator, client)
            #expect(try decode(Imported.self, imported).imported == .init(results: 0, indicators: 0, periods: 1))
            let now = try #require(
                try await Self.partnershipIndicators(scene, client).first?.indicators.first?.periods.first)
            #expect(now.status == "approved" && now.actual?.value == "70")
        }
    }

    @Test(
        "administrators and coordinators import; viewers and partner coordinators get 403; another municipality's activity is not found"
    )
    func permissions() async throws {
        let fixture = try await ResultsFixture.make("resultimportwho")
        let database = fixture.database
        try await Application(router: fixture.router).test(.router) { client in
            let scene = try await ResultsTests.scene(database, client)
            let viewer = try await TestTenant.create(in: database, slug: "roeselare", role: .viewer)
            let admin = try await TestTenant.create(in: database, slug: "roeselare", role: .admin)
            let leuven = try await TestTenant.create(in: database, slug: "leuven", role: .coordinator)
            let example = try Self.example()

            for user in [viewer, scene.partner] {
                let refused = try await Self.importCSV(example, as: user, client)
                #expect(refused.status == .forbidden)
                #expect(refused.headers[.contentType] == "application/problem+json")
            }
            // Another municipality names Roeselare's activity by its id and by its title: neither is found, and
            // nothing is written in either municipality.
            let csv = """
                activity;result
                \(scene.activity);Taken over
                Civil registry;Taken over

                """
            let other = try await Self.importCSV(csv, as: leuven, client)
            #expect(try refusedFields(other) == ["row 2: activity", "row 3: activity"])
            #expect(try await database.rows("SELECT FROM results.results").isEmpty)

            let imported = try await Self.importCSV(example, as: admin, client)
            #expect(imported.status == .created)
            #expect(try decode(Imported.self, imported).imported.results == 1)
        }
    }
}
