import Foundation
import Gateway
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Postgres
import Synchronization
import TestSupport
import Testing

/// Every log record a logger made, with its metadata merged as a real handler would print it.
final class CapturedLogs: Sendable {
    struct Record: Sendable {
        var level: Logger.Level
        var message: String
        var metadata: [String: String]

        /// The record as one line, to look for what must never be logged.
        var line: String { "\(message) \(metadata.sorted { $0.key < $1.key })" }
    }

    private let records = Mutex<[Record]>([])

    var all: [Record] { records.withLock { $0 } }

    /// A logger whose every record lands here.
    func logger(_ label: String) -> Logger {
        Logger(label: label) { _ in Handler(logs: self) }
    }

    fileprivate func append(_ record: Record) { records.withLock { $0.append(record) } }

    struct Handler: LogHandler {
        let logs: CapturedLogs
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let merged = metadata.merging(event.metadata ?? [:]) { $1 }
            logs.append(
                Record(level: event.level, message: "\(event.message)", metadata: merged.mapValues { "\($0)" }))
        }
    }
}

@Suite("Access log")
struct AccessLogTests {
    static let database = SuiteDatabase("accesslog")

    @Test("one line per request with method, route pattern, status, duration, tenant and request id; no token or body")
    func accessLogLine() async throws {
        let database = try await Self.database.get()
        let admin = try await TestTenant.create(in: database, slug: "ninove")
        let logs = CapturedLogs()
        let pool = PostgresConnectionPool(
            configuration: .init(connection: database.appConfiguration, maximumConnections: 2),
            logger: TestLogger.make("accesslog")
        )
        let environment = GatewayEnvironment(pool: pool, readiness: NeverChecked(), logger: logs.logger("gateway"))
        let application = Application(router: buildRouter(environment: environment), logger: logs.logger("gateway"))
        let secret = "Body-Marker-\(UUID().uuidString)"
        try await application.test(.router) { client in
            let created = try await client.execute(
                uri: "/api/v1/users?note=\(secret)",
                method: .post,
                headers: [
                    .authorization: admin.authorization, .contentType: "application/json", .requestID: "req-created",
                ],
                body: ByteBuffer(string: #"{"email": "log@ninove.be", "name": "\#(secret)", "role": "viewer"}"#)
            )
            #expect(created.status == .created)
            let shown = try await client.execute(
                uri: "/api/v1/users/\(admin.userID)", method: .get,
                headers: [.authorization: admin.authorization, .requestID: "req-shown"])
            #expect(shown.status == .ok)
            let refused = try await client.execute(
                uri: "/api/v1/me", method: .get,
                headers: [.authorization: "Bearer \(APIToken.generate().value)", .requestID: "req-refused"])
            #expect(refused.status == .unauthorized)
        }
        let lines = logs.all.filter { $0.message == "request" }
        func line(_ requestID: String) throws -> [String: String] {
            try #require(lines.first { $0.metadata["request.id"] == requestID }, "no access log line for \(requestID)")
                .metadata
        }
        let created = try line("req-created")
        #expect(created["http.method"] == "POST")
        #expect(created["http.route"] == "/api/v1/users")
        #expect(created["http.status"] == "201")
        #expect(created["tenant.id"] == admin.tenantID.uuidString.lowercased())
        let duration = try #require(created["http.duration_ms"].flatMap(Double.init))
        #expect(duration >= 0)

        let shown = try line("req-shown")
        #expect(shown["http.method"] == "GET")
        #expect(shown["http.route"] == "/api/v1/users/{id}")
        #expect(shown["http.status"] == "200")
        #expect(shown["tenant.id"] == admin.tenantID.uuidString.lowercased())

        // An unknown token names no tenant.
        let refused = try line("req-refused")
        #expect(refused["http.status"] == "401")
        #expect(refused["tenant.id"] == nil)

        #expect(lines.count == 3)
        for record in logs.all {
            #expect(!record.line.contains(admin.token.value), "a log record holds the token: \(record.message)")
            #expect(!record.line.contains("sbt_"), "a log record holds a token: \(record.message)")
            #expect(!record.line.contains(secret), "a log record holds the body or query: \(record.message)")
        }
        await pool.close()
    }
}
