import BenchmarkSupport
import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// A small HTTP client for seeding: JSON in and out, a bearer token, and patience with 429s.
struct APIClient: Sendable {
    let baseURL: String

    struct Response {
        var status: Int
        var body: Data

        func json() throws -> [String: Any] {
            guard let object = try JSONSerialization.jsonObject(with: body) as? [String: Any] else {
                throw BenchError("expected a JSON object, got \(String(decoding: body, as: UTF8.self).prefix(200))")
            }
            return object
        }
    }

    func send(
        _ method: String,
        _ path: String,
        token: String?,
        body: Data? = nil,
        contentType: String = "application/json"
    ) async throws -> Response {
        var request = URLRequest(url: URL(string: baseURL + path)!)
        request.httpMethod = method
        request.timeoutInterval = 120
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        if let body {
            request.httpBody = body
            request.setValue(contentType, forHTTPHeaderField: "Content-Type")
        }
        while true {
            let (data, response) = try await URLSession.shared.data(for: request)
            let http = response as! HTTPURLResponse
            // The per-token rate limit answers 429 with Retry-After; seeding waits as a client should.
            if http.statusCode == 429 {
                let wait = http.value(forHTTPHeaderField: "Retry-After").flatMap(Double.init) ?? 1
                try await Task.sleep(for: .seconds(wait))
                continue
            }
            return Response(status: http.statusCode, body: data)
        }
    }

    /// Sends and insists on one status, naming the request and the answer otherwise.
    func expect(
        _ status: Int,
        _ method: String,
        _ path: String,
        token: String?,
        json: [String: Any]? = nil
    ) async throws -> [String: Any] {
        let body = try json.map { try JSONSerialization.data(withJSONObject: $0) }
        let response = try await send(method, path, token: token, body: body)
        guard response.status == status else {
            throw BenchError(
                "\(method) \(path) answered \(response.status): \(String(decoding: response.body, as: UTF8.self).prefix(500))"
            )
        }
        return try response.json()
    }

    func waitUntilReady(timeout: Duration) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let response = try? await send("GET", "/readyz", token: nil), response.status == 200 { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw BenchError("the server was not ready within \(timeout)")
    }
}

/// What the load scripts draw from: each municipality's token, partnerships and some activities.
struct SeededData: Sendable {
    struct Municipality: Sendable {
        var token: String
        var partnerships: [String]
        var activities: [String]
    }

    var municipalities: [Municipality]
}

/// Creates the municipalities, their partnerships and activities through the API, as users would: the
/// platform administrator creates each municipality, whose administrator then registers ten partnerships and
/// imports a spreadsheet of 1,000 activities (100 per partnership; `--activities`).
struct Seeder {
    let api: APIClient
    let options: BenchOptions
    let platformToken: String

    static let countries = ["BJ", "SN", "SR", "GT", "MA", "PE", "BF", "NI", "ZA", "CD"]
    static let kinds = [
        "knowledge_exchange", "capacity_building", "emergency_support", "awareness_campaign", "study_visit",
        "infrastructure", "other",
    ]
    static let statuses = ["planned", "ongoing", "completed", "cancelled"]
    static let directions = ["north_to_south", "south_to_north", "mutual"]
    static let targets = ["3.d", "3.8", "6.2", "6.b", "4.7", "11.3", "13.3", "16.7", "17.16", "17.17", "1.5", "5.5"]

    func run() async throws -> SeededData {
        let tenants = options.tenants
        let municipalities = try await withThrowingTaskGroup(of: (Int, SeededData.Municipality).self) { group in
            var next = 1
            var done: [(Int, SeededData.Municipality)] = []
            // Eight municipalities at a time: enough to keep the server and the workers busy.
            while next <= min(8, tenants) {
                let index = next
                group.addTask { (index, try await seed(index)) }
                next += 1
            }
            while let result = try await group.next() {
                done.append(result)
                if done.count % 50 == 0 { say("  \(done.count) of \(tenants) municipalities seeded") }
                if next <= tenants {
                    let index = next
                    group.addTask { (index, try await seed(index)) }
                    next += 1
                }
            }
            return done.sorted { $0.0 < $1.0 }.map(\.1)
        }
        return SeededData(municipalities: municipalities)
    }

    private func seed(_ index: Int) async throws -> SeededData.Municipality {
        let created = try await api.expect(
            201, "POST", "/api/v1/platform/tenants", token: platformToken,
            json: ["slug": "m\(index)", "name": "Municipality \(index)", "adminEmail": "admin@m\(index).example.org"])
        guard let token = created["token"] as? String else { throw BenchError("no token for municipality \(index)") }
        var partnerships: [(id: String, title: String)] = []
        for number in 1...10 {
            let title = "Partnership \(number)"
            let partnership = try await api.expect(
                201, "POST", "/api/v1/partnerships", token: token,
                json: [
                    "title": title, "status": "active", "sdgFocus": [3, 6, 17],
                    "partner": [
                        "name": "Partner \(index)-\(number)",
                        "country": Self.countries[(index + number) % Self.countries.count],
                    ],
                ])
            guard let id = partnership["id"] as? String else { throw BenchError("a partnership without id") }
            partnerships.append((id, title))
        }
        let csv = Self.activitiesCSV(
            partnerships: partnerships.map(\.title), seed: index, perPartnership: options.activitiesPerPartnership)
        let response = try await api.send(
            "POST", "/api/v1/imports/activities", token: token, body: Data(csv.utf8), contentType: "text/csv")
        guard response.status == 201, let ids = try response.json()["ids"] as? [String] else {
            throw BenchError(
                "the import of municipality \(index) answered \(response.status): "
                    + String(decoding: response.body, as: UTF8.self).prefix(500))
        }
        // Every twentieth activity is enough for the GETs to spread over the whole table.
        return SeededData.Municipality(
            token: token, partnerships: partnerships.map(\.id),
            activities: stride(from: 0, to: ids.count, by: 20).map { ids[$0] })
    }

    /// `perPartnership` activities per partnership (100 by default), as Belgian spreadsheets write them,
    /// varied over kinds, statuses, directions, years, goals and budgets.
    static func activitiesCSV(partnerships: [String], seed: Int, perPartnership: Int = 100) -> String {
        var lines = [
            "partnership;title;kind;status;startsOn;direction;sdgTargets;themes;budgetPlanned;budgetSpent;currency"
        ]
        for (p, partnership) in partnerships.enumerated() {
            for k in 0..<perPartnership {
                let n = seed * 1_000 + p * 100 + k
                let first = n % Self.targets.count
                let second = (first + 1 + (n / 7) % (Self.targets.count - 1)) % Self.targets.count
                let targets = "\(Self.targets[first])|\(Self.targets[second])"
                let themes = n % 4 == 0 ? "covid-19|hygiene" : "exchange"
                let planned = 500 + (n * 37) % 25_000
                lines.append(
                    [
                        partnership, "Activity \(k + 1)", kinds[n % kinds.count], statuses[n % statuses.count],
                        String(format: "%02d/%02d/%d", 1 + n % 28, 1 + n % 12, 2019 + n % 6),
                        directions[n % directions.count], targets, themes, "\(planned),00", "\(planned / 4),50", "EUR",
                    ].joined(separator: ";"))
            }
        }
        return "\u{FEFF}" + lines.joined(separator: "\r\n") + "\r\n"
    }
}
