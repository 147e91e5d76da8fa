import Foundation

/// Where each migration file stands against the database's history.
public struct MigrationStatus: Sendable, Encodable {
    /// One file, or one history row whose file is gone.
    public struct Entry: Sendable, Encodable, Hashable {
        /// What the runner sees.
        public enum State: String, Sendable, Encodable {
            /// Applied, and the file still matches.
            case applied
            /// Not applied yet.
            case pending
            /// Applied, but the file changed since.
            case changed
            /// Applied, but the file is gone.
            case missing
            /// Tried and failed (outside a transaction it may have left part of its work); `up` runs it again.
            case failed
        }

        public var version: Int
        public var name: String
        public var file: String
        public var state: State
        public var checksum: String?
        public var appliedAt: Date?
        public var executionMs: Int?
    }

    /// Every file and every orphaned history row, ordered by version.
    public var migrations: [Entry]
    /// The history's disagreements with the files: `up` refuses while there are any.
    public var problems: [MigrationProblem]

    /// The files `up` would apply, in order.
    public var pending: [Entry] { migrations.filter { $0.state == .pending || $0.state == .failed } }

    /// True when every file is applied and nothing disagrees.
    public var isUpToDate: Bool { pending.isEmpty && problems.isEmpty }

    /// The highest version among the files, 0 when there are none.
    public var latestFileVersion: Int

    /// Applied migrations newer than every file: a newer binary migrated the database, as an upgrade does
    /// before its servers replace this binary's (docs/operations.md, "Upgrading").
    public var newerThanFiles: [Entry] {
        migrations.filter { $0.state == .missing && $0.version > latestFileVersion }
    }

    /// The problems that stop a server: every problem but the migrations a newer binary applied. Migrations
    /// only add what older code can do without (docs/migrations.md), so an older server keeps serving beside the
    /// newer one until it is replaced. `migrate` still refuses them all.
    public var servingProblems: [MigrationProblem] {
        let newer = Set(newerThanFiles.map(\.version))
        return problems.filter {
            if case .missing(let version, _) = $0 { return !newer.contains(version) }
            return true
        }
    }

    /// True when a server may run on this schema: every file applied, and nothing disagrees but migrations a
    /// newer binary applied.
    public var isServable: Bool { pending.isEmpty && servingProblems.isEmpty }

    /// The highest applied version, 0 when none.
    public var lastAppliedVersion: Int {
        migrations.filter { $0.state == .applied || $0.state == .changed || $0.state == .missing }
            .map(\.version).max() ?? 0
    }
}

/// A row of `platform.schema_migrations`.
struct AppliedMigration: Sendable, Hashable {
    var version: Int
    var name: String
    var checksum: String
    var appliedAt: Date
    var executionMs: Int
    var success: Bool
}

extension MigrationStatus {
    /// Compares the files with the history.
    init(files: [Migration], history: [AppliedMigration]) {
        let applied = Dictionary(history.map { ($0.version, $0) }, uniquingKeysWith: { first, _ in first })
        let lastApplied = history.filter(\.success).map(\.version).max() ?? 0
        var entries: [Entry] = []
        var problems: [MigrationProblem] = []
        for file in files {
            var entry = Entry(
                version: file.version,
                name: file.name,
                file: file.fileName,
                state: .pending,
                checksum: file.checksum
            )
            if let row = applied[file.version] {
                entry.appliedAt = row.appliedAt
                entry.executionMs = row.executionMs
                if !row.success {
                    entry.state = .failed
                } else if row.checksum != file.checksum {
                    entry.state = .changed
                    problems.append(
                        .changed(fileName: file.fileName, appliedChecksum: row.checksum, fileChecksum: file.checksum)
                    )
                } else {
                    entry.state = .applied
                }
            }
            if entry.state == .pending || entry.state == .failed, file.version < lastApplied {
                problems.append(.outOfOrder(fileName: file.fileName, lastAppliedVersion: lastApplied))
            }
            entries.append(entry)
        }
        let fileVersions = Set(files.map(\.version))
        for row in history where row.success && !fileVersions.contains(row.version) {
            let problem = MigrationProblem.missing(version: row.version, name: row.name)
            problems.append(problem)
            entries.append(
                Entry(
                    version: row.version,
                    name: row.name,
                    file: problem.fileName,
                    state: .missing,
                    checksum: row.checksum,
                    appliedAt: row.appliedAt,
                    executionMs: row.executionMs
                )
            )
        }
        self.migrations = entries.sorted { $0.version < $1.version }
        self.problems = problems
        self.latestFileVersion = files.map(\.version).max() ?? 0
    }
}
