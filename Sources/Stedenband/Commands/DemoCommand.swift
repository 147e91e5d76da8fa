import Activities
import ArgumentParser
import Foundation
import Gateway
import Kernel
import Learning
import Logging
import Migrations
import Partnerships
import Postgres
import Results

/// `stedenband demo`: a few municipalities with real stedenbanden and illustrative 2020 COVID-19 activities.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Create demo municipalities, users, partnerships and activities, and print a token per user.",
        discussion: """
            The partnerships are real stedenbanden (public facts); their activities, budgets and people are \
            illustrative and say so. Everything goes through the plugins' services, as the API's requests do, \
            so it is validated and publishes its events like any other data.
            """
    )

    @Flag(help: "Do nothing when any tenant exists (what `make run` uses on a fresh database).")
    var ifEmpty = false

    @Option(help: "A folder of migration files to use instead of the built-in ones (env STEDENBAND_MIGRATIONS).")
    var migrations: String?

    func run() async throws {
        let logger = LogSetup.bootstrap(defaultLevel: .warning)
        let migrationSet = try MigrationSet.resolve(directory: migrations)
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
    /// Answers what it created, as ``seed(logins:migrations:listener:logger:)`` does.
    @discardableResult
    static func seedIfEmpty(
        logins: DatabaseLogins, migrations: MigrationSet, listener: (host: String, port: Int)? = nil, logger: Logger
    ) async throws
        -> [DemoData.CreatedMunicipality]
    {
        let existing = try await PostgresConnection.withConnection(to: logins.migration, logger: logger) {
            connection in
            try await connection.query("SELECT count(*) FROM platform.tenants")[0].decode(Int.self, column: 0)
        }
        guard existing == 0 else { return [] }
        return try await seed(logins: logins, migrations: migrations, listener: listener, logger: logger)
    }

    /// Creates the demo municipalities that do not exist yet, fills them through the plugins' services and
    /// announces how their people get in; answers what it created (nothing when every one existed).
    ///
    /// The municipalities and their people are made on the migration login; everything else goes through
    /// `PartnershipsService` and `ActivitiesService` on the server's login, in a transaction of each
    /// municipality as the gateway opens one for a request (row-level security on its `app.tenant_id`), so it
    /// is checked and publishes its events like any other data.
    @discardableResult
    static func seed(
        logins: DatabaseLogins, migrations: MigrationSet, listener: (host: String, port: Int)? = nil, logger: Logger
    ) async throws
        -> [DemoData.CreatedMunicipality]
    {
        var created: [DemoData.CreatedMunicipality] = []
        try await PostgresConnection.withConnection(to: logins.migration, logger: logger) { connection in
            for municipality in DemoData.municipalities {
                let taken = try await connection.query(
                    "SELECT 1 FROM platform.tenants WHERE slug = \(municipality.slug)"
                )
                if !taken.isEmpty {
                    printOutput("Skipping \(municipality.slug): it exists already.")
                    continue
                }
                created.append(
                    try await connection.withTransaction { connection in
                        try await DemoData.createTenant(municipality, on: connection)
                    })
            }
        }
        guard !created.isEmpty else { return [] }
        // The demo's platform administrator, who signs in at /platform: a role, not a person.
        try await PostgresConnection.withConnection(to: logins.migration, logger: logger) { connection in
            try await connection.query(
                """
                INSERT INTO platform.platform_admins (email, name)
                VALUES (\(platformAdminEmail), 'Platform administrator') ON CONFLICT DO NOTHING
                """)
        }
        let assembly = try ServerAssembly(
            server: try await logins.server(), migrations: migrations, poolSize: 2, listener: listener, logger: logger)
        let services = DemoData.Services(
            partnerships: PartnershipsService(publisher: assembly.kernel.publisher, people: PostgresPeople()),
            activities: ActivitiesService(publisher: assembly.kernel.publisher),
            results: ResultsService(publisher: assembly.kernel.publisher),
            learning: LearningService(publisher: assembly.kernel.publisher))
        let links = SignInLinks(settings: assembly.environment.settings.sessions, mail: nil, logger: logger)
        var signInLinks: [String: String] = [:]
        try await assembly.closingPool {
            for municipality in created {
                try await assembly.pool.withTransaction(tenantID: municipality.tenantID) { connection in
                    try await DemoData.fill(municipality, services: services, on: connection)
                }
            }
            // Through the same SignInLinks as /sign-in and `stedenband sign-in-link`.
            for user in created.flatMap(\.users) {
                let issued = try await assembly.pool.withTransaction { connection in
                    try await links.issue(for: user.user.email, next: nil, at: Date(), on: connection)
                }
                if let url = issued.first?.url { signInLinks[user.user.email] = url }
            }
            let platform = try await assembly.pool.withTransaction { connection in
                try await links.issue(for: platformAdminEmail, next: nil, at: Date(), on: connection)
            }
            if let url = platform.first?.url { signInLinks[platformAdminEmail] = url }
        }
        announce(created, signInLinks: signInLinks)
        return created
    }

    /// The address of the demo's platform administrator (its sign-in link leads to `/platform`).
    static let platformAdminEmail = "platform@stedenband.demo.invalid"

    /// Tells the demo's people how to get in: each user's token, shown only now, and a sign-in link for the
    /// pages (by e-mail address). The one place for what a person needs after seeding.
    static func announce(_ created: [DemoData.CreatedMunicipality], signInLinks: [String: String] = [:]) {
        printOutput("Demo data created. Tokens, shown only now:")
        for municipality in created {
            for user in municipality.users {
                printOutput(
                    "  \(municipality.municipality.slug)\t\(user.user.role.rawValue)\t\(user.user.email)\t\(user.token.value)"
                )
            }
        }
        guard !signInLinks.isEmpty else { return }
        printOutput(
            "Sign-in links for the pages (each works once, for 15 minutes; `stedenband sign-in-link EMAIL` or "
                + "/sign-in gives a new one):")
        for municipality in created {
            for user in municipality.users {
                guard let url = signInLinks[user.user.email] else { continue }
                printOutput(
                    "  \(municipality.municipality.slug)\t\(user.user.role.rawValue)\t\(user.user.email)\t\(url)")
            }
        }
        if let url = signInLinks[platformAdminEmail] {
            printOutput("  platform\tplatform_admin\t\(platformAdminEmail)\t\(url)")
        }
    }
}
