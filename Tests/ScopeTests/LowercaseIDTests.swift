import Foundation
import Gateway
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Postgres
import TestSupport
import Testing

/// Ids are lower-case UUIDs in every answer (docs/api.md): JSON, problem+json, CSV, pages and headers; and an
/// id in either case is accepted wherever a client sends one.
@Suite("Ids are written in lower case in every answer, and read in either case")
struct LowercaseIDTests {
    /// A UUID in any case.
    static var uuid: Regex<Substring> {
        #/[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}/#
    }

    /// A UUID someone typed into a title: text, not an id, so it must come back exactly as typed.
    static let typed = "0A1B2C3D-4E5F-4A6B-8C7D-9E0F1A2B3C4D"

    /// The UUIDs in `text` that have an upper-case letter, but for the typed one.
    static func upperCaseIDs(in text: String) -> [String] {
        text.replacingOccurrences(of: typed, with: "").matches(of: uuid).map { String($0.output) }.filter {
            $0 != $0.lowercased()
        }
    }

    @Test("the check finds an upper-case id and passes a lower-case one and the typed title")
    func checkFindsUpperCase() {
        let id = UUID()
        #expect(Self.upperCaseIDs(in: #"{"id": "\#(id.uuidString)"}"#) == [id.uuidString])
        #expect(
            Self.upperCaseIDs(in: #"{"id": "\#(id.uuidString.lowercased())", "title": "x \#(Self.typed)"}"#).isEmpty)
    }

    @Test(
        "every documented GET route, API and page, in every format and with every filter, answers ids in lower case only; a typed UUID is kept"
    )
    func everyAnswerWritesIDsLowerCase() async throws {
        let server = try await WholeServer.make("lowercaseids")
        let scenario = try await EveryRouteScopeTests.scenario(server)
        let (p1, p2) = (scenario.p1, scenario.p2)
        let admin = try await TestTenant.create(
            in: server.database, slug: "roeselare", role: .admin, email: "ids-admin@roeselare.be")
        let (environment, pool) = (server.environment, server.pool)
        try await Application(router: server.router).test(.router) { client in
            // A title with an upper-case UUID in it, as someone typed it.
            let title = "Twinning \(Self.typed)"
            let typedID = try await client.make(
                "/api/v1/partnerships", as: admin,
                json: #"{"title": "\#(title)", "partner": {"name": "Tota", "country": "BJ"}, "status": "active"}"#)
            let shown = try await client.send(.get, "/api/v1/partnerships/\(typedID)", as: admin)
            let object = try #require(
                try JSONSerialization.jsonObject(with: Data(shown.body.readableBytesView)) as? [String: Any])
            #expect(object["title"] as? String == title)
            #expect(object["id"] as? String == typedID)

            let browser = try await TestBrowser.signedIn(
                client, as: "ids-admin@roeselare.be", environment: environment, pool: pool)
            let ids: [String: [String]] = [
                "partnerships": [p1.id, p2.id, typedID], "activities": [p1.activityID, p2.activityID],
                "results": [p1.resultID, p2.resultID], "indicators": [p1.indicatorID, p2.indicatorID],
                "periods": [p1.periodID, p2.periodID], "lessons": [p1.lessonID, p2.lessonID],
                "users": [
                    admin.userID.uuidString.lowercased(), scenario.partnerCoordinator.userID.uuidString.lowercased(),
                ],
                "tenants": [admin.tenantID.uuidString.lowercased()],
            ]
            try await Self.walk(
                browser, token: admin.authorization, ids: ids, filters: EveryRouteScopeTests.filters([p1, p2]),
                mustShow: [title, p1.id, p1.activityID, p1.periodID, p1.lessonID], client)
        }
        await server.pool.close()
    }

    /// Asks every documented `GET` route as a signed-in browser that also sends `token` (pages read the
    /// session, the API the token), in each format and with each filter, as ``EveryRouteScopeTests`` does;
    /// no answer's headers or body may carry an upper-case UUID, and each of `mustShow` must show somewhere.
    static func walk(
        _ browser: TestBrowser, token: String, ids: [String: [String]], filters: [String: [String]],
        mustShow: [String], _ client: some TestClientProtocol
    ) async throws {
        let documentResponse = try await client.execute(uri: "/openapi.json", method: .get)
        let document = try #require(
            try JSONSerialization.jsonObject(with: Data(documentResponse.body.readableBytesView)) as? [String: Any])
        let paths = try #require(document["paths"] as? [String: Any])
        var found: [String] = []
        var failures: [String] = []
        var shown: Set<String> = []
        var kinds: Set<String> = []
        var asked = 0
        for (template, item) in paths.sorted(by: { $0.key < $1.key }) {
            guard let operation = (item as? [String: Any])?["get"] as? [String: Any] else { continue }
            for uri in try EveryRouteScopeTests.uris(template, operation: operation, ids: ids, filters: filters) {
                let response = try await browser.get(uri, headers: [.authorization: token])
                asked += 1
                if response.status.code >= 500 {
                    failures.append("GET \(uri): \(response.status.code)")
                }
                if let type = response.headers[.contentType] { kinds.insert(String(type.prefix { $0 != ";" })) }
                let answer =
                    response.headers.filter { $0.name != .setCookie }.map { "\($0.name): \($0.value)" }
                    .joined(separator: "\n") + "\n\n"
                    + String(decoding: response.body.readableBytesView, as: UTF8.self)
                for id in Self.upperCaseIDs(in: answer) {
                    found.append("GET \(uri) (\(response.status.code)) writes \(id)")
                }
                for text in mustShow where answer.contains(text) { shown.insert(text) }
            }
        }
        #expect(
            found.isEmpty, "\(found.count) answers carry upper-case ids:\n\(found.prefix(40).joined(separator: "\n"))")
        #expect(failures.isEmpty, "server errors:\n\(failures.prefix(10).joined(separator: "\n"))")
        #expect(Set(mustShow).subtracting(shown).isEmpty, "never shown: \(Set(mustShow).subtracting(shown))")
        // JSON, problem+json, pages and CSV were all asked.
        for kind in ["application/json", "application/problem+json", "text/html", "text/csv"] {
            #expect(kinds.contains(kind), "no answer was \(kind): \(kinds.sorted())")
        }
        #expect(asked > 200)
    }

    @Test("an upper-case id is accepted in a path, a filter, a body and a cursor, and answered in lower case")
    func upperCaseIDsAreAccepted() async throws {
        let server = try await WholeServer.make("uppercaseinput")
        let admin = try await TestTenant.create(in: server.database, slug: "roeselare", role: .admin)
        let colleague = try await TestTenant.create(in: server.database, slug: "roeselare", role: .coordinator)
        try await Application(router: server.router).test(.router) { client in
            var made: [String] = []
            for title in ["Roeselare–Dogbo", "Roeselare–Para"] {
                made.append(
                    try await client.make(
                        "/api/v1/partnerships", as: admin,
                        json: #"{"title": "\#(title)", "partner": {"name": "Dogbo", "country": "BJ"}}"#))
            }
            let id = made[0]
            let upper = id.uppercased()
            #expect(upper != id)

            // A path.
            let read = try await client.send(.get, "/api/v1/partnerships/\(upper)", as: admin)
            #expect(read.status == .ok)
            #expect(try Self.object(read)["id"] as? String == id)

            // A body: a member added by an upper-case user id, into an upper-case path.
            let userID = colleague.userID.uuidString.uppercased()
            let added = try await client.send(
                .post, "/api/v1/partnerships/\(upper)/members", as: admin,
                json: #"{"userId": "\#(userID)", "role": "coordinator"}"#)
            #expect(added.status == .created, "\(String(buffer: added.body))")
            let members = try await client.send(.get, "/api/v1/partnerships/\(id)", as: admin)
            #expect(String(buffer: members.body).contains(userID.lowercased()))
            #expect(Self.upperCaseIDs(in: String(buffer: members.body)).isEmpty)

            // A filter.
            let activity = try await client.make(
                "/api/v1/partnerships/\(upper)/activities", as: admin,
                json: #"""
                    {"title": "Waterpunten", "kind": "infrastructure", "direction": "mutual",
                     "budget": {"planned": "2500", "currency": "EUR"}}
                    """#)
            let filtered = try await client.send(.get, "/api/v1/activities?partnershipId=\(upper)", as: admin)
            #expect(filtered.status == .ok)
            let items = try #require(try Self.object(filtered)["items"] as? [[String: Any]])
            #expect(items.map { $0["id"] as? String } == [activity])
            #expect(Self.upperCaseIDs(in: String(buffer: filtered.body)).isEmpty)

            // A cursor whose id is written in upper case reads as the one the server made.
            let first = try Self.object(try await client.send(.get, "/api/v1/partnerships?limit=1", as: admin))
            let cursor = try #require(first["nextCursor"] as? String)
            let shouted = try #require(Self.upperCasingTheID(in: cursor))
            #expect(shouted != cursor)
            let next = try await client.send(.get, "/api/v1/partnerships?limit=1&cursor=\(cursor)", as: admin)
            let again = try await client.send(.get, "/api/v1/partnerships?limit=1&cursor=\(shouted)", as: admin)
            #expect(again.status == .ok)
            #expect(String(buffer: again.body) == String(buffer: next.body))
            #expect((try Self.object(next)["items"] as? [[String: Any]])?.first?["id"] as? String == made[1])

            // And a malformed id is still a 404, in either case.
            let bad = try await client.send(.get, "/api/v1/partnerships/\(upper.dropLast())", as: admin)
            #expect(bad.status == .notFound)
        }
        await server.pool.close()
    }

    static func object(_ response: TestResponse) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any])
    }

    /// A pagination cursor (base64url of `seconds|id`) with its id upper-cased.
    static func upperCasingTheID(in cursor: String) -> String? {
        var base64 = cursor.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        guard let data = Data(base64Encoded: base64), let text = String(data: data, encoding: .utf8),
            let bar = text.firstIndex(of: "|")
        else { return nil }
        let changed = text[...bar] + text[text.index(after: bar)...].uppercased()
        return Data(changed.utf8).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }
}
