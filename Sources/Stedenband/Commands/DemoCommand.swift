import ArgumentParser
import Foundation
import Gateway
import Hummingbird
import Logging
import Migrations
import Postgres
import ServiceLifecycle

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `stedenband demo`: a few municipalities with real stedenbanden and illustrative 2020 COVID-19 activities.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Create demo municipalities, users, partnerships and activities, and print a token per user.",
        discussion: """
            The partnerships are real stedenbanden (public facts); their activities, budgets and people are \
            illustrative and say so. Everything goes through the HTTP API of a server started for the purpose, \
            so it is validated and publishes its events like any other data.
            """
    )

    @Flag(help: "Do nothing when any tenant exists (what `make run` uses on a fresh database).")
    var ifEmpty = false

    @Option(help: "The folder of migration files (env STEDENBAND_MIGRATIONS).")
    var migrations: String = MigrationSet.defaultDirectory()

    func run() async throws {
        let logger = LogSetup.bootstrap(defaultLevel: .warning)
        let migrationSet = try MigrationSet.load(directory: migrations)
        try await DatabaseAccess(logger: logger).withDatabase { logins in
            let status = try await MigrationRunner(
                migrations: migrationSet, configuration: logins.migration, logger: logger
            ).status()
            guard status.isUpToDate else {
                printError("stedenband demo: the schema is not up to date; run `stedenband migrate up` first.")
                throw ExitCode.failure
            }
            if ifEmpty {
                try await Self.seedIfEmpty(logins: logins, migrations: migrationSet, logger: logger)
            } else {
                try await Self.seed(logins: logins, migrations: migrationSet, logger: logger)
            }
        }
    }

    /// Seeds the demo when the database has no tenant yet; `serve --demo-if-empty` and `demo --if-empty`.
    /// The tenants are made with the migration login; the rest goes through a server on the server's login.
    static func seedIfEmpty(logins: DatabaseLogins, migrations: MigrationSet, logger: Logger) async throws {
        let existing = try await PostgresConnection.withConnection(to: logins.migration, logger: logger) {
            connection in
            try await connection.query("SELECT count(*) FROM platform.tenants")[0].decode(Int.self, column: 0)
        }
        if existing == 0 { try await seed(logins: logins, migrations: migrations, logger: logger) }
    }

    private static func seed(logins: DatabaseLogins, migrations: MigrationSet, logger: Logger) async throws {
        var created: [(DemoData.Municipality, [(String, String, APIToken)])] = []
        try await PostgresConnection.withConnection(to: logins.migration, logger: logger) { connection in
            for municipality in DemoData.municipalities {
                let taken = try await connection.query(
                    "SELECT 1 FROM platform.tenants WHERE slug = \(municipality.slug)"
                )
                if !taken.isEmpty {
                    printOutput("Skipping \(municipality.slug): it exists already.")
                    continue
                }
                let users = try await connection.withTransaction { connection in
                    try await DemoData.createTenant(municipality, on: connection)
                }
                created.append((municipality, users))
            }
        }
        guard !created.isEmpty else { return }
        let assembly = try ServerAssembly(
            server: try await logins.server(), migrations: migrations, poolSize: 4, logger: logger)
        let (ports, portReady) = AsyncStream.makeStream(of: Int.self)
        let app = buildApplication(
            environment: assembly.environment,
            router: assembly.router,
            configuration: ApplicationConfiguration(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { port in portReady.yield(port) }
        )
        let services = ServiceGroup(services: [app], gracefulShutdownSignals: [], logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await services.run() }
            var iterator = ports.makeAsyncIterator()
            if let port = await iterator.next() {
                let client = DemoClient(base: "http://127.0.0.1:\(port)/api/v1")
                for (municipality, users) in created {
                    let coordinator = users.first { $0.1 == "coordinator" }!.2
                    let partner = users.first { $0.1 == "partner_coordinator" }!
                    try await DemoData.fill(
                        municipality, coordinator: coordinator, partnerUser: partner, client: client)
                }
            }
            await services.triggerGracefulShutdown()
            try await group.waitForAll()
        }
        await assembly.pool.close()
        printOutput("Demo data created. Tokens, shown only now:")
        for (municipality, users) in created {
            for (email, role, token) in users {
                printOutput("  \(municipality.slug)\t\(role)\t\(email)\t\(token.value)")
            }
        }
    }
}

/// Calls the API of the in-process server.
struct DemoClient: Sendable {
    let base: String

    func get(_ path: String, token: APIToken) async throws -> [String: Any] {
        var request = URLRequest(url: URL(string: base + path)!)
        request.setValue("Bearer \(token.value)", forHTTPHeaderField: "Authorization")
        let (data, _) = try await URLSession.shared.data(for: request)
        return (try JSONSerialization.jsonObject(with: data) as? [String: Any]) ?? [:]
    }

    @discardableResult
    func post(_ path: String, token: APIToken, json: [String: Any]) async throws -> [String: Any] {
        var request = URLRequest(url: URL(string: base + path)!)
        request.httpMethod = "POST"
        request.setValue("Bearer \(token.value)", forHTTPHeaderField: "Authorization")
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = try JSONSerialization.data(withJSONObject: json)
        let (data, response) = try await URLSession.shared.data(for: request)
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        guard (200..<300).contains(status) else {
            throw DemoError(reason: "POST \(path) answered \(status): \(String(decoding: data, as: UTF8.self))")
        }
        return (try JSONSerialization.jsonObject(with: data) as? [String: Any]) ?? [:]
    }
}

struct DemoError: Error, CustomStringConvertible {
    var reason: String
    var description: String { "demo: \(reason)" }
}
