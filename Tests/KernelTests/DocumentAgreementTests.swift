import Activities
import Catalogue
import Foundation
import Gateway
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Kernel
import Messaging
import NIOCore
import Partnerships
import Postgres
import TestSupport
import Testing

/// The document and the server agree: what the document's enums, patterns and limits allow, the server
/// accepts, and what they refuse, the server refuses.
@Suite("/openapi.json says what the server accepts")
struct DocumentAgreementTests {
    private struct Server {
        let database: TestDatabase
        let pool: PostgresConnectionPool
        let router: Router<GatewayRequestContext>
        let document: [String: Any]

        static func make(_ label: String) async throws -> Server {
            let database = try await TestDatabase.migrated(label)
            let pool = PostgresConnectionPool(
                configuration: .init(connection: database.appConfiguration, maximumConnections: 4),
                logger: TestLogger.make(label)
            )
            let environment = GatewayEnvironment(
                pool: pool, readiness: AlwaysReady(), logger: TestLogger.make(label),
                rateLimiter: RateLimiter(rate: 100_000, burst: 100_000)
            )
            let router = buildRouter(environment: environment)
            _ = try Kernel.assemble(
                plugins: [CataloguePlugin(), PartnershipsPlugin(), ActivitiesPlugin()],
                configuration: KernelConfiguration(),
                router: router,
                environment: environment,
                queue: PostgresJobQueue(),
                logger: TestLogger.make(label)
            )
            let document =
                try JSONSerialization.jsonObject(with: try environment.documentation.json()) as! [String: Any]
            return Server(database: database, pool: pool, router: router, document: document)
        }

        /// The schema of `operationID`'s JSON request body.
        func body(_ operationID: String) -> [String: Any] {
            let operation = operations.first { $0["operationId"] as? String == operationID }!
            let content = (operation["requestBody"] as! [String: Any])["content"] as! [String: Any]
            return (content["application/json"] as! [String: Any])["schema"] as! [String: Any]
        }

        /// The schema of `operationID`'s query parameter `name`.
        func query(_ operationID: String, _ name: String) -> [String: Any] {
            let operation = operations.first { $0["operationId"] as? String == operationID }!
            let parameter = (operation["parameters"] as! [[String: Any]]).first { $0["name"] as? String == name }!
            // A query parameter may be empty, which means absent: its schema is the value's or an empty string.
            let choices = (parameter["schema"] as! [String: Any])["anyOf"] as! [[String: Any]]
            #expect(parameter["allowEmptyValue"] as? Bool == true)
            #expect(choices.count == 2 && choices[1]["maxLength"] as? Int == 0)
            return choices[0]
        }

        var operations: [[String: Any]] {
            (document["paths"] as! [String: [String: Any]]).values.flatMap { $0.values }.compactMap {
                $0 as? [String: Any]
            }
        }
    }

    private static func properties(_ schema: [String: Any]) -> [String: [String: Any]] {
        schema["properties"] as! [String: [String: Any]]
    }

    /// Whether the anchored `pattern` matches all of `value`, as in ECMA-262: ICU's `$` also matches before a
    /// final line break (U+0085 too), so the match must span the whole value.
    private static func matches(_ pattern: String, _ value: String) -> Bool {
        let expression = try! NSRegularExpression(pattern: pattern)
        let range = NSRange(value.startIndex..., in: value)
        return expression.firstMatch(in: value, range: range)?.range == range
    }

    private static let samples = [
        "", "a", " ", "  a  ", "\t", "\n", "a\nb", "a\tb", "a\u{0}b", "\u{7}", "a\u{7f}", "a\u{85}", "\u{a0}",
        "\u{3000}", "\u{2028}", "é", "e\u{301}", "Leuven – Bohicon", "👩🏽‍🌾", String(repeating: "x", count: 200),
        String(repeating: "x", count: 201), String(repeating: "é", count: 20_000),
        String(repeating: "é", count: 20_001),
    ]

    private static func allows(_ schema: JSONSchema, _ value: String) -> Bool {
        guard case .string(_, _, let minimum, let maximum, let pattern) = schema else { return false }
        let length = value.unicodeScalars.count
        return length >= (minimum ?? 0) && length <= (maximum ?? .max) && pattern.map { matches($0, value) } ?? true
    }

    @Test("names, texts and notes: the schema allows exactly the values FieldCheck accepts")
    func namesAndTexts() {
        for value in Self.samples {
            let described = value.debugDescription.prefix(40)
            #expect(Self.allows(.name(), value) == FieldCheck.name(value, field: "f").isEmpty, "name \(described)")
            #expect(
                Self.allows(.name(maximum: 20), value) == FieldCheck.name(value, field: "f", maximum: 20).isEmpty,
                "name(20) \(described)")
            #expect(Self.allows(.text(), value) == FieldCheck.text(value, field: "f").isEmpty, "text \(described)")
            let note =
                !value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
                && FieldCheck.text(value, field: "f").isEmpty
            #expect(Self.allows(.note(), value) == note, "note \(described)")
        }
    }

    @Test("time zones: every request's timeZone is the TimeZone schema, whose values the server accepts")
    func timeZones() async throws {
        let server = try await Server.make("doctimezones")
        let schemas = (server.document["components"] as! [String: Any])["schemas"] as! [String: [String: Any]]
        let zones = schemas["TimeZone"]?["enum"] as? [String] ?? []
        #expect(zones.count > 300)
        #expect(zones.contains("Europe/Brussels") && zones.contains("Africa/Porto-Novo"))
        for zone in zones { #expect(FieldCheck.timeZone(zone, field: "timeZone").isEmpty, "\(zone)") }
        for value in ["", "Europe/Nowhere", "Europe/Brussels\n", String(repeating: "A", count: 65)] {
            #expect(!zones.contains(value))
            #expect(!FieldCheck.timeZone(value, field: "timeZone").isEmpty)
        }
        var bodies = 0
        for operation in server.operations {
            guard let body = operation["requestBody"] as? [String: Any],
                let content = body["content"] as? [String: [String: Any]],
                let properties = content["application/json"]?["schema"].flatMap({ $0 as? [String: Any] })?[
                    "properties"] as? [String: [String: Any]],
                let zone = properties["timeZone"]
            else { continue }
            bodies += 1
            // An optional field may be null: the reference is then one of two.
            let reference =
                zone["$ref"] as? String
                ?? (zone["oneOf"] as? [[String: Any]])?.compactMap { $0["$ref"] as? String }.first
            #expect(reference == "#/components/schemas/TimeZone", "\(operation["operationId"] ?? "")")
        }
        #expect(bodies >= 3)
        await server.pool.close()
    }

    @Test("countries, SDG targets and goals: the enums hold what the server accepts, and nothing else")
    func countriesAndTargets() async throws {
        let server = try await Server.make("doccountries")
        let admin = try await TestTenant.create(in: server.database, slug: "leuven")
        let countries = server.query("listPartnerships", "country")["enum"] as? [String] ?? []
        let partner = Self.properties(Self.properties(server.body("createPartnership"))["partner"]!)
        #expect(partner["country"]?["enum"] as? [String] == countries)
        #expect(countries.contains("BJ") && countries.contains("BE") && !countries.contains("AA"))
        let targets = server.query("listActivities", "target")["enum"] as? [String] ?? []
        let items = Self.properties(server.body("recordActivity"))["sdgTargets"]?["items"] as? [String: Any]
        #expect(items?["enum"] as? [String] == targets)
        #expect(targets.count == 169 && targets.contains("3.d") && targets.contains("17.19"))
        let goal = server.query("listActivities", "sdg")
        #expect(goal["minimum"] as? Int == 1 && goal["maximum"] as? Int == 17)
        try await Application(router: server.router).test(.router) { client in
            func status(_ uri: String) async throws -> HTTPResponse.Status {
                try await client.execute(uri: uri, method: .get, headers: [.authorization: admin.authorization]) {
                    $0.status
                }
            }
            for country in countries {
                let answer = try await status("/api/v1/partnerships?country=\(country)")
                #expect(answer == .ok, "\(country)")
            }
            for refused in ["AA", "ZZ", "be", "BEL"] {
                #expect(!countries.contains(refused))
                let answer = try await status("/api/v1/partnerships?country=\(refused)")
                #expect(answer == .unprocessableContent)
            }
            for target in targets {
                let answer = try await status("/api/v1/activities?target=\(target)")
                #expect(answer == .ok, "\(target)")
            }
            for refused in ["3.zz", "18.1", "3", "3.D"] {
                #expect(!targets.contains(refused))
                let answer = try await status("/api/v1/activities?target=\(refused)")
                #expect(answer == .unprocessableContent)
            }
            for number in [0, 1, 17, 18] {
                let expected: HTTPResponse.Status = (1...17).contains(number) ? .ok : .unprocessableContent
                let answer = try await status("/api/v1/activities?sdg=\(number)")
                #expect(answer == expected)
                let other = try await status("/api/v1/partnerships?sdg=\(number)")
                #expect(other == expected)
            }
        }
        await server.pool.close()
    }

    @Test("an If-Match of the document's form, however large, is a version: stale is 412, never a 500")
    func largeIfMatch() async throws {
        let server = try await Server.make("docifmatch")
        let admin = try await TestTenant.create(in: server.database, slug: "leuven")
        try await Application(router: server.router).test(.router) { client in
            for value in ["42525444830281", "\"999999999999999999\"", "W/\"2147483648\""] {
                let status = try await client.execute(
                    uri: "/api/v1/users/\(admin.userID.uuidString.lowercased())", method: .patch,
                    headers: [.authorization: admin.authorization, .contentType: "application/json", .ifMatch: value],
                    body: ByteBuffer(string: #"{"locale": "es"}"#)
                ) { $0.status }
                #expect(status == .preconditionFailed, "\(value)")
            }
        }
        await server.pool.close()
    }

    @Test("currencies and lengths: a body at the document's limits is accepted, one beyond them refused")
    func currenciesAndLengths() async throws {
        let server = try await Server.make("doclimits")
        let admin = try await TestTenant.create(in: server.database, slug: "leuven")
        let headers: HTTPFields = [.authorization: admin.authorization, .contentType: "application/json"]
        let partnershipFields = Self.properties(server.body("createPartnership"))
        let activityFields = Self.properties(server.body("recordActivity"))
        let budget = Self.properties(activityFields["budget"]!)
        let currencies = budget["currency"]?["enum"] as? [String] ?? []
        // (field, maxLength, minLength is 1) of each string field with a length limit.
        func limits(_ fields: [String: [String: Any]]) -> [(String, Int, Bool)] {
            fields.sorted { $0.key < $1.key }.compactMap { field, schema in
                (schema["maxLength"] as? Int).map { (field, $0, schema["minLength"] as? Int == 1) }
            }
        }
        let partnershipLimits = limits(partnershipFields)
        let activityLimits = limits(activityFields)
        let uniqueTargets = activityFields["sdgTargets"]?["uniqueItems"] as? Bool == true
        let uniqueGoals = partnershipFields["sdgFocus"]?["uniqueItems"] as? Bool == true
        #expect(currencies.contains("EUR") && currencies.contains("XOF") && !currencies.contains("AAA"))
        try await Application(router: server.router).test(.router) { client in
            func post(_ uri: String, _ body: [String: Any]) async throws -> (HTTPResponse.Status, [String: Any]) {
                let data = try JSONSerialization.data(withJSONObject: body)
                return try await client.execute(
                    uri: uri, method: .post, headers: headers, body: ByteBuffer(bytes: data)
                ) { response in
                    (
                        response.status,
                        (try? JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)))
                            as? [String: Any] ?? [:]
                    )
                }
            }
            let partner: [String: Any] = ["name": "Bohicon", "country": "BJ"]
            let (created, partnership) = try await post(
                "/api/v1/partnerships", ["title": "Leuven – Bohicon", "partner": partner])
            #expect(created == .created)
            let activities = "/api/v1/partnerships/\(partnership["id"] as? String ?? "")/activities"
            let activity: [String: Any] = ["title": "Visit", "kind": "study_visit", "direction": "mutual"]
            for currency in currencies {
                var body = activity
                body["budget"] = ["planned": "10.00", "currency": currency]
                let answer = try await post(activities, body).0
                #expect(answer == .created, "\(currency)")
            }
            var wrong = activity
            wrong["budget"] = ["planned": "10.00", "currency": "AAA"]
            let answer = try await post(activities, wrong).0
            #expect(answer == .unprocessableContent)

            // Every length limit of the two bodies' strings, at the limit and one beyond.
            for (field, maximum, nonEmpty) in partnershipLimits {
                var body: [String: Any] = ["title": "Lengths", "partner": partner]
                body[field] = String(repeating: "x", count: maximum)
                let answer = try await post("/api/v1/partnerships", body).0
                #expect(answer == .created, "\(field) at \(maximum)")
                body[field] = String(repeating: "x", count: maximum + 1)
                let beyond = try await post("/api/v1/partnerships", body).0
                #expect(beyond == .unprocessableContent, "\(field)")
                if nonEmpty {
                    body[field] = ""
                    let answer = try await post("/api/v1/partnerships", body).0
                    #expect(answer == .unprocessableContent, "\(field)")
                }
            }
            for (field, maximum, nonEmpty) in activityLimits {
                var body = activity
                body[field] = String(repeating: "x", count: maximum)
                let answer = try await post(activities, body).0
                #expect(answer == .created, "\(field) at \(maximum)")
                body[field] = String(repeating: "x", count: maximum + 1)
                let beyond = try await post(activities, body).0
                #expect(beyond == .unprocessableContent, "\(field)")
                if nonEmpty {
                    body[field] = ""
                    let answer = try await post(activities, body).0
                    #expect(answer == .unprocessableContent, "\(field)")
                }
            }
            // Each item once, as uniqueItems says.
            var repeated = activity
            repeated["sdgTargets"] = ["3.d", "3.d"]
            let repeatedAnswer = try await post(activities, repeated).0
            #expect(repeatedAnswer == .unprocessableContent)
            #expect(uniqueTargets && uniqueGoals)
        }
        await server.pool.close()
    }
}
