import Foundation

/// The ordered migration files of a folder.
public struct MigrationSet: Sendable {
    /// The files, ordered by version.
    public let migrations: [Migration]
    /// The folder they were read from.
    public let directory: String

    /// Wraps already-read migrations (tests); they are sorted by version.
    public init(migrations: [Migration], directory: String = "") {
        self.migrations = migrations.sorted { $0.version < $1.version }
        self.directory = directory
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
        var migrations: [Migration] = []
        for fileName in names.sorted() where fileName.hasSuffix(".sql") {
            let path = (directory as NSString).appendingPathComponent(fileName)
            guard let data = FileManager.default.contents(atPath: path),
                let contents = String(data: data, encoding: .utf8)
            else { throw MigrationError.invalidFile(fileName: fileName, reason: "cannot be read as UTF-8 text") }
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
        return MigrationSet(migrations: migrations, directory: directory)
    }

    /// The folder of migrations: `STEDENBAND_MIGRATIONS` when set, else `migrations` in the working directory.
    public static func defaultDirectory(
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> String {
        if let directory = environment["STEDENBAND_MIGRATIONS"], !directory.isEmpty { return directory }
        return "migrations"
    }
}
