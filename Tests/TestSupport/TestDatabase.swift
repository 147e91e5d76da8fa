import Foundation
import Logging
import Migrations
import Postgres

/// A fresh database for one suite, on the test process's own PostgreSQL cluster.
///
/// `TestDatabase.migrated()` clones a template that the repository's migrations were applied to;
/// `TestDatabase.empty()` makes a database with nothing in it, for migration tests.
public struct TestDatabase: Sendable {
    /// The database's name, unique within the test run.
    public let name: String
    /// Connects as the cluster's superuser (the role that migrates).
    public let adminConfiguration: PostgresConfiguration

    /// Connects as the server does: the cluster's server login (a member of `stedenband_app` only), switched
    /// to `stedenband_app` at connection start.
    public var appConfiguration: PostgresConfiguration {
        adminConfiguration.setting("user", to: TestCluster.serverLogin)
            .withSessionSetting("role", MigrationRunner.appRole)
    }

    /// The admin (superuser) URL: what `MIGRATION_DATABASE_URL` of the `stedenband` binary is in tests.
    public var url: String {
        "postgres://postgres@localhost/\(name)?host=\(adminConfiguration.value(of: "host") ?? "")"
    }

    /// The server login's URL: what `DATABASE_URL` of `serve` and `worker` is in tests.
    public var serverURL: String {
        "postgres://\(TestCluster.serverLogin)@localhost/\(name)?host=\(adminConfiguration.value(of: "host") ?? "")"
    }

    /// The environment a `stedenband` command runs with against this database: the server's login and the
    /// owner's, as an operator sets them up, and the repository's migrations unless `migrations` is given.
    public func commandEnvironment(migrations: String = TestPaths.migrations) -> [String: String] {
        ["DATABASE_URL": serverURL, "MIGRATION_DATABASE_URL": url, "STEDENBAND_MIGRATIONS": migrations]
    }

    /// Describes a database by name; `migrated()` and `empty()` create one.
    public init(name: String, adminConfiguration: PostgresConfiguration) {
        self.name = name
        self.adminConfiguration = adminConfiguration
    }

    /// A new database cloned from the migrated template.
    public static func migrated(_ label: String = "test") async throws -> TestDatabase {
        try await make(label: label, template: TestCluster.templateName)
    }

    /// A new, empty database.
    public static func empty(_ label: String = "test") async throws -> TestDatabase {
        try await make(label: label, template: "template0")
    }

    private static func make(label: String, template: String) async throws -> TestDatabase {
        let cluster = try await TestCluster.shared.start()
        let suffix = UUID().uuidString.prefix(8).lowercased()
        let name = "\(label.lowercased().filter { $0.isLetter || $0.isNumber })_\(suffix)"
        let connection = try await PostgresConnection.connect(
            to: cluster.adminConfiguration,
            logger: TestLogger.make("database")
        )
        try await connection.query("CREATE DATABASE \(identifier: name) TEMPLATE \(identifier: template)")
        await connection.close()
        return TestDatabase(name: name, adminConfiguration: cluster.adminConfiguration.setting("dbname", to: name))
    }

    /// Opens a connection as the superuser.
    public func connectAsAdmin() async throws -> PostgresConnection {
        try await PostgresConnection.connect(to: adminConfiguration, logger: TestLogger.make(name))
    }
}

/// Where the repository's files are, found from this source file.
public enum TestPaths {
    /// The repository root.
    public static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    /// `migrations/` at the repository root.
    public static var migrations: String { root + "/migrations" }

    /// The `stedenband` binary built next to the tests: in the folder of the running test bundle, so that
    /// `make test BUILD_DIR=…` tests the binary of that build; `.build/debug` when run otherwise.
    public static let binary: String = {
        if let bundle = Bundle.main.executableURL?.resolvingSymlinksInPath().deletingLastPathComponent() {
            let beside = bundle.appendingPathComponent("stedenband").path
            if FileManager.default.isExecutableFile(atPath: beside) { return beside }
        }
        return root + "/.build/debug/stedenband"
    }()
}

/// Loggers for tests: quiet unless `TEST_LOG_LEVEL` is set.
public enum TestLogger {
    /// A logger labelled `test.<label>`.
    public static func make(_ label: String) -> Logger {
        var logger = Logger(label: "test.\(label)")
        let level = ProcessInfo.processInfo.environment["TEST_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:))
        logger.logLevel = level ?? .critical
        return logger
    }
}
