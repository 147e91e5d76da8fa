import Foundation
import MigrationFiles

/// The ordered migration files: the ones built into the binary, or a folder's.
public struct MigrationSet: Sendable {
    /// Where a set's files came from.
    public enum Source: Sendable, Equatable, CustomStringConvertible {
        /// The files of `migrations/` built into the binary (the EmbedFiles plugin).
        case builtIn
        /// A folder read at run time: `--migrations DIR` or `STEDENBAND_MIGRATIONS`.
        case directory(String)

        public var description: String {
            switch self {
            case .builtIn: "built into the binary"
            case .directory(let path): "the folder \(path)"
            }
        }
    }

    /// The files, ordered by version.
    public let migrations: [Migration]
    /// Where they came from.
    public let source: Source

    /// Wraps already-read migrations (tests); they are sorted by version.
    public init(migrations: [Migration], source: Source = .directory("")) {
        self.migrations = migrations.sorted { $0.version < $1.version }
        self.source = source
    }

    /// The files of `migrations/` as this binary was built with them.
    ///
    /// - Throws: ``MigrationError/invalidFile(fileName:reason:)`` as ``load(directory:)`` does; the tests check
    ///   that the built-in files load and equal the folder's.
    public static func builtIn() throws -> MigrationSet {
        let files = MigrationFiles.files.map { ($0.fileName, $0.sql) }
        return try MigrationSet(files: files, source: .builtIn)
    }

    /// The set a command runs with: the folder `directory` names (`--migrations`), else the folder
    /// `STEDENBAND_MIGRATIONS` names, else the files built into the binary.
    public static func resolve(
        directory: String?, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> MigrationSet {
        if let directory, !directory.isEmpty { return try load(directory: directory) }
        if let directory = environment["STEDENBAND_MIGRATIONS"], !directory.isEmpty {
            return try load(directory: directory)
        }
        return try builtIn()
    }

    /// Reads every `.sql` file of `directory`.
    ///
    /// - Throws: ``MigrationError`` when the folder cannot be read, a `.sql` file's name does not follow
    ///   `NNNN_<module>_<what>.sql`, or two files share a version.
    public static func load(directory: String) throws -> MigrationSet {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory)
        } catch {
            throw MigrationError.unreadableDirectory(directory: directory, reason: "\(error.localizedDescription)")
        }
        var files: [(String, String)] = []
        for fileName in names.sorted() where fileName.hasSuffix(".sql") {
            let path = (directory as NSString).appendingPathComponent(fileName)
            guard let data = FileManager.default.contents(atPath: path),
                let contents = String(data: data, encoding: .utf8)
            else { throw MigrationError.invalidFile(fileName: fileName, reason: "cannot be read as UTF-8 text") }
            files.append((fileName, contents))
        }
        return try MigrationSet(files: files, source: .directory(directory))
    }

    /// Parses `(file name, contents)` pairs, refusing a badly named file and a version used twice.
    init(files: [(String, String)], source: Source) throws {
        var migrations: [Migration] = []
        for (fileName, contents) in files.sorted(by: { $0.0 < $1.0 }) {
            guard let migration = Migration(fileName: fileName, contents: contents) else {
                throw MigrationError.invalidFile(
                    fileName: fileName,
                    reason: "the name must be NNNN_<module>_<what>.sql, e.g. 0002_activities_create.sql"
                )
            }
            if let clash = migrations.first(where: { $0.version == migration.version }) {
                throw MigrationError.invalidFile(
                    fileName: fileName,
                    reason: "its version \(migration.version) is also used by \(clash.fileName)"
                )
            }
            migrations.append(migration)
        }
        self.init(migrations: migrations, source: source)
    }
}
