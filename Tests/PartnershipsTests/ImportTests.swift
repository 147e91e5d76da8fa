import Foundation
import Gateway
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import TestSupport
import Testing

@Suite("Importing activities from CSV")
struct ImportTests {
    private func setUp(_ label: String) async throws -> (PartnershipsFixture, TestTenant) {
        let fixture = try await PartnershipsFixture.make(label)
        let coordinator = try await TestTenant.create(in: fixture.database, slug: "roeselare", role: .coordinator)
        return (fixture, coordinator)
    }

    private func importing(_ data: Data, as user: TestTenant, client: some TestClientProtocol) async throws
        -> TestResponse
    {
        try await client.execute(
            uri: "/api/v1/imports/activities",
            method: .post,
            headers: [.authorization: user.authorization, .contentType: "text/csv"],
            body: ByteBuffer(bytes: data)
        )
    }

    @Test("a file as Excel writes it in Belgium imports: BOM, semicolons, quotes, line breaks, 12.500,00")
    func excelFile() async throws {
        let (fixture, coordinator) = try await setUp("importok")
        let example = try Data(contentsOf: URL(fileURLWithPath: TestPaths.root + "/docs/activity-import-example.csv"))
        try await Application(router: fixture.router).test(.router) { client in
            _ = try await client.send(
                .post,
                "/api/v1/partnerships",
                as: coordinator,
                json: #"{"title": "Roeselare–Dogbo", "partner": {"name": "Dogbo", "country": "BJ"}}"#
            )
            let response = try await importing(example, as: coordinator, client: client)
            #expect(response.status == .created, "\(String(buffer: response.body))")
            #expect(String(buffer: response.body).contains(#""imported":2"#))
            let page = try decode(ActivityPage.self, try await client.send(.get, "/api/v1/activities", as: coordinator))
            let stations = try #require(page.items.first { $0.title == "Handwashing stations" })
            #expect(stations.budget == Activity.Money(planned: "12500.00", spent: "11800.50", currency: "EUR"))
            #expect(stations.sdgTargets == ["6.2", "3.d"] && stations.themes == ["covid-19", "hygiene"])
            #expect(page.items.contains { $0.title == "Online exchange; crisis practice" })
            // Comma-separated, no BOM, LF line ends, a no-break space grouping thousands.
            let plain = Data(
                """
                partnership,title,kind,direction,budgetPlanned,currency
                Roeselare–Dogbo,"Study visit, Dogbo",study_visit,mutual,"1\u{00A0}250,5",EUR

                """.utf8
            )
            #expect(try await importing(plain, as: coordinator, client: client).status == .created)
            let visits = try decode(
                ActivityPage.self, try await client.send(.get, "/api/v1/activities?kind=study_visit", as: coordinator))
            #expect(visits.items.map(\.budget) == [Activity.Money(planned: "1250.50", spent: "0.00", currency: "EUR")])
        }
        #expect(try await fixture.events("activities.activity_recorded.v1").count == 3)
    }

    @Test("each imported activity's event carries the state the database stored, amounts as it prints them")
    func eventsMatchTheRows() async throws {
        let (fixture, coordinator) = try await setUp("importevents")
        let file = Data(
            """
            partnership;title;kind;direction;status;sdgTargets;themes;budgetPlanned;budgetSpent;currency
            Roeselare–Dogbo;Leading zeros;other;mutual;;3.d|6.2|3.8;covid-19;007,5;0;EUR
            Roeselare–Dogbo;Whole amounts;other;north_to_south;ongoing;;;12500;;XOF
            Roeselare–Dogbo;No budget;other;south_to_north;completed;17.16;;;;

            """.utf8
        )
        let stored = try await Application(router: fixture.router).test(.router) { client in
            _ = try await client.send(
                .post,
                "/api/v1/partnerships",
                as: coordinator,
                json: #"{"title": "Roeselare–Dogbo", "partner": {"name": "Dogbo", "country": "BJ"}}"#
            )
            #expect(try await importing(file, as: coordinator, client: client).status == .created)
            return try decode(ActivityPage.self, try await client.send(.get, "/api/v1/activities", as: coordinator))
        }
        let published = try await fixture.events("activities.activity_recorded.v1").map {
            try JSONDecoder().decode(
                Activity.self, from: JSONSerialization.data(withJSONObject: try #require($0["activity"])))
        }
        #expect(stored.items.count == 3)
        #expect(Set(stored.items.map(\.id)) == Set(published.map(\.id)))
        for activity in stored.items {
            #expect(published.first { $0.id == activity.id } == activity)
        }
        #expect(stored.items.compactMap(\.budget).map(\.planned).sorted() == ["12500.00", "7.50"])
    }

    @Test("a file with bad rows imports nothing and names each row, column and reason")
    func badRows() async throws {
        let (fixture, coordinator) = try await setUp("importbad")
        let file = Data(
            """
            partnership;title;kind;direction;startsOn;budgetPlanned;currency;dacSectors
            Roeselare–Dogbo;Good row;other;mutual;2020-01-01;100;EUR;15112|13020
            Nowhere–Else;Unknown partnership;other;mutual;;;;
            Roeselare–Dogbo;Bad kind;party;mutual;;;;
            Roeselare–Dogbo;Bad date;other;mutual;31/02/2020;;;
            Roeselare–Dogbo;Bad money;other;mutual;;-5;EURO;
            Roeselare–Dogbo;Bad sector;other;mutual;;;;15112 99999

            """.utf8
        )
        try await Application(router: fixture.router).test(.router) { client in
            _ = try await client.send(
                .post,
                "/api/v1/partnerships",
                as: coordinator,
                json: #"{"title": "Roeselare–Dogbo", "partner": {"name": "Dogbo", "country": "BJ"}}"#
            )
            let response = try await importing(file, as: coordinator, client: client)
            #expect(response.status == .unprocessableContent)
            let text = String(buffer: response.body)
            for field in [
                "row 3: partnership", "row 4: kind", "row 5: startsOn", "row 6: budgetPlanned", "row 6: currency",
                "row 7: dacSectors",
            ] {
                #expect(text.contains("\"field\":\"\(field)\""), "\(field) in \(text)")
            }
            #expect(!text.contains("row 2") && text.contains("unknown DAC 5-digit sector(s): 99999"))
            let missing = try await importing(Data("title;kind\nX;other\n".utf8), as: coordinator, client: client)
            #expect(missing.status == .unprocessableContent)
            #expect(String(buffer: missing.body).contains("partnership is missing"))
            let unterminated = try await importing(
                Data("partnership;title;kind;direction\nR;\"never closed;other;mutual\n".utf8),
                as: coordinator,
                client: client
            )
            #expect(unterminated.status == .unprocessableContent)
            let page = try decode(ActivityPage.self, try await client.send(.get, "/api/v1/activities", as: coordinator))
            #expect(page.items.isEmpty)
        }
        #expect(try await fixture.events("activities.activity_recorded.v1").isEmpty)
    }

    @Test("a title that two partnerships share is a row error; the partnership's id still imports")
    func sharedTitle() async throws {
        let (fixture, coordinator) = try await setUp("importshared")
        try await Application(router: fixture.router).test(.router) { client in
            var ids: [String] = []
            for partner in ["Dogbo", "Lokossa"] {
                let created = try await client.send(
                    .post,
                    "/api/v1/partnerships",
                    as: coordinator,
                    json: #"{"title": "Roeselare–Benin", "partner": {"name": "\#(partner)", "country": "BJ"}}"#
                )
                #expect(created.status == .created)
                ids.append(try decode(Partnership.self, created).id.uuidString.lowercased())
            }
            let byTitle = Data("partnership;title;kind;direction\nroeselare–benin;Ambiguous;other;mutual\n".utf8)
            let refused = try await importing(byTitle, as: coordinator, client: client)
            #expect(refused.status == .unprocessableContent)
            let text = String(buffer: refused.body)
            #expect(text.contains(#""field":"row 2: partnership""#) && text.contains("several partnerships"), "\(text)")

            let byID = Data("partnership;title;kind;direction\n\(ids[1]);Named by id;other;mutual\n".utf8)
            #expect(try await importing(byID, as: coordinator, client: client).status == .created)
            let page = try decode(
                ActivityPage.self,
                try await client.send(.get, "/api/v1/activities?partnershipId=\(ids[1])", as: coordinator))
            #expect(page.items.map(\.title) == ["Named by id"])
        }
    }
}
