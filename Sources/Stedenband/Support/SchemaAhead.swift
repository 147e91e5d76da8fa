import Logging
import Migrations

/// The warning a server or worker logs when a newer binary already migrated the database: normal while an
/// upgrade replaces the servers, a sign of a forgotten old process when it lasts.
enum SchemaAhead {
    static func warn(_ status: MigrationStatus, command: String, logger: Logger) {
        let newer = status.newerThanFiles
        guard !newer.isEmpty else { return }
        logger.warning(
            "the database has migrations newer than this binary; replace it with the newer version",
            metadata: [
                "command": "\(command)",
                "migrations.newer": "\(newer.map(\.file).joined(separator: ", "))",
                "migrations.latest_known": "\(status.latestFileVersion)",
            ])
    }
}
