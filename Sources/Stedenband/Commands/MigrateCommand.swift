import ArgumentParser
import Foundation
import Logging
import Migrations
import Postgres
import Synchronization
import Vocabulary

/// `stedenband migrate …`: the schema migrations, for the admins who run them.
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Inspect and apply the schema migrations (built into the binary from migrations/).",
        subcommands: [Status.self, Plan.self, Up.self, Verify.self]
    )

    /// Options every migrate subcommand takes.
    struct Options: ParsableArguments {
        @Flag(help: "Print JSON instead of text.")
        var json = false

        @Option(help: "A folder of migration files to use instead of the built-in ones (env STEDENBAND_MIGRATIONS).")
        var migrations: String?

        /// Loads the files and runs `body` with a runner against the configured database.
        func withRunner<Result>(
            _ body: (MigrationRunner, _ database: String) async throws -> Result
        ) async throws -> Result {
            let logger = LogSetup.bootstrap(defaultLevel: .warning)
            do {
                let set = try MigrationSet.resolve(directory: migrations)
                return try await DatabaseAccess(logger: logger).withDatabase { logins in
                    try await body(
                        MigrationRunner(migrations: set, configuration: logins.migration, logger: logger),
                        logins.shownAs)
                }
            } catch let error as MigrationError {
                fail(error)
            } catch let error as PostgresError {
                fail("the database: \(error.serverMessage ?? error.reason)", file: nil)
            }
        }

        func fail(_ error: MigrationError) -> Never {
            let file: String?
            switch error {
            case .failed(let fileName, _, _, _), .invalidFile(let fileName, _): file = fileName
            case .historyMismatch(let problems): file = problems.first?.fileName
            default: file = nil
            }
            fail(error.description, file: file)
        }

        func fail(_ message: String, file: String?) -> Never {
            printError("stedenband migrate: \(message)")
            if json { printJSON(ErrorOutput(error: .init(message: message, file: file))) }
            Foundation.exit(1)
        }
    }

    struct ErrorOutput: Encodable {
        struct Detail: Encodable {
            var message: String
            var file: String?
        }
        var error: Detail
    }

    /// `migrate status`
    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show every migration file: applied, pending, changed, missing or failed."
        )

        @OptionGroup var options: Options

        func run() async throws {
            let status = try await options.withRunner { runner, database in
                let status = try await runner.status()
                if options.json {
                    printJSON(StatusOutput(database: database, source: runner.migrations.source, status: status))
                } else {
                    printOutput("Database: \(database)")
                    printOutput("Migrations: \(runner.migrations.source) (\(runner.migrations.migrations.count) files)")
                    for entry in status.migrations {
                        printOutput(
                            "  \(entry.file.padding(toLength: 44, withPad: " ", startingAt: 0)) \(describe(entry))")
                    }
                    let applied = status.migrations.filter { $0.state == .applied }.count
                    printOutput(
                        "\(applied) applied, \(status.pending.count) pending, \(status.problems.count) problem(s).")
                    for problem in status.problems { printOutput("  ! \(problem)") }
                }
                return status
            }
            if !status.problems.isEmpty { throw ExitCode.failure }
        }

        private func describe(_ entry: MigrationStatus.Entry) -> String {
            var text = entry.state.rawValue
            if let appliedAt = entry.appliedAt {
                text += " " + appliedAt.formatted(.iso8601)
            }
            if let milliseconds = entry.executionMs { text += " (\(milliseconds) ms)" }
            return text
        }
    }

    struct StatusOutput: Encodable {
        var database: String
        /// `built-in`, or the folder the files were read from.
        var migrationsSource: String
        var migrations: [MigrationStatus.Entry]
        var problems: [MigrationProblem]
        var applied: Int
        var pending: Int
        var upToDate: Bool

        init(database: String, source: MigrationSet.Source, status: MigrationStatus) {
            self.database = database
            switch source {
            case .builtIn: self.migrationsSource = "built-in"
            case .directory(let path): self.migrationsSource = path
            }
            self.migrations = status.migrations
            self.problems = status.problems
            self.applied = status.migrations.filter { $0.state == .applied }.count
            self.pending = status.pending.count
            self.upToDate = status.isUpToDate
        }
    }

    /// `migrate plan`
    struct Plan: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List what `up` would apply; applies nothing.")

        @OptionGroup var options: Options

        @Option(help: "Plan up to and including this version.")
        var to: Int?

        func run() async throws {
            try await options.withRunner { runner, database in
                let plan = try await runner.plan(to: to)
                if options.json {
                    printJSON(PlanOutput(database: database, pending: plan.map(PlanOutput.Item.init)))
                } else if plan.isEmpty {
                    printOutput("Nothing to apply: \(database) is up to date.")
                } else {
                    printOutput("`stedenband migrate up` would apply to \(database):")
                    for migration in plan {
                        let mode = migration.runsInTransaction ? "" : " (outside a transaction)"
                        printOutput("  \(migration.fileName)\(mode)")
                    }
                }
            }
        }
    }

    struct PlanOutput: Encodable {
        struct Item: Encodable {
            var version: Int
            var name: String
            var file: String
            var checksum: String
            var transactional: Bool

            init(_ migration: Migration) {
                version = migration.version
                name = migration.name
                file = migration.fileName
                checksum = migration.checksum
                transactional = migration.runsInTransaction
            }
        }
        var database: String
        var pending: [Item]
    }

    /// `migrate up`
    struct Up: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Apply the pending migrations, each in its own transaction, under an advisory lock."
        )

        @OptionGroup var options: Options

        @Option(help: "Apply up to and including this version.")
        var to: Int?

        @Option(help: "Seconds to wait for another run's lock before giving up.")
        var lockTimeout: Int = Int(MigrationRunner.defaultLockTimeout.components.seconds)

        func validate() throws {
            guard lockTimeout >= 0 else { throw ValidationError("--lock-timeout must not be negative") }
        }

        func run() async throws {
            let json = options.json
            let applied = LockedList()
            try await options.withRunner { runner, database in
                if !json { printOutput("Migrating \(database)") }
                try await runner.up(to: to, lockTimeout: .seconds(lockTimeout)) { progress in
                    Self.report(progress, json: json, lockTimeout: lockTimeout)
                    if case .applied(let migration, let milliseconds) = progress {
                        applied.append(
                            .init(file: migration.fileName, version: migration.version, executionMs: milliseconds))
                    }
                }
                if json {
                    printJSON(UpOutput(database: database, applied: applied.items))
                } else if applied.items.isEmpty {
                    printOutput("Nothing to apply: up to date.")
                } else {
                    printOutput("Applied \(applied.items.count) migration(s).")
                }
            }
        }

        /// One line per step on standard error (standard output stays for the result).
        static func report(_ progress: MigrationRunner.Progress, json: Bool, lockTimeout: Int = 60) {
            guard !json else { return }
            switch progress {
            case .waitingForLock:
                printError("Another migration run holds the lock; waiting up to \(lockTimeout) s…")
            case .applying(let migration):
                printError("Applying \(migration.fileName)…")
            case .applied(let migration, let milliseconds):
                printError("Applied \(migration.fileName) in \(milliseconds) ms")
            }
        }
    }

    struct UpOutput: Encodable {
        struct Item: Encodable {
            var file: String
            var version: Int
            var executionMs: Int
        }
        var database: String
        var applied: [Item]
    }

    /// `migrate verify`
    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check that every applied file is unchanged and present, and nothing pends out of order."
        )

        @OptionGroup var options: Options

        func run() async throws {
            try await options.withRunner { runner, database in
                try await runner.verify()
                if options.json {
                    printJSON(["database": database, "ok": "true"])
                } else {
                    printOutput("\(database): the applied migrations match their files.")
                }
            }
        }
    }
}

/// Collects what `up` applied; progress arrives through a `@Sendable` callback.
final class LockedList: Sendable {
    private let storage = Mutex<[MigrateCommand.UpOutput.Item]>([])

    func append(_ item: MigrateCommand.UpOutput.Item) { storage.withLock { $0.append(item) } }

    var items: [MigrateCommand.UpOutput.Item] { storage.withLock { $0 } }
}

/// Prints a value as pretty JSON on standard output, dates as RFC 3339.
func printJSON(_ value: some Encodable) {
    let encoder = LowercaseUUIDJSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    encoder.dateEncodingStrategy = .iso8601
    guard let data = try? encoder.encode(value) else { return }
    printOutput(String(decoding: data, as: UTF8.self))
}
