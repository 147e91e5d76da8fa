import ArgumentParser

/// The `stedenband` command: one binary that serves the API and administers the database.
@main
struct Stedenband: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stedenband",
        abstract: "A server for municipal international cooperation (stedenbanden).",
        discussion: """
            DATABASE_URL is the server's database login (a member of stedenband_app only; see \
            `stedenband database create-login`), MIGRATION_DATABASE_URL the owner's, which migrates and \
            administers (default: DATABASE_URL). With neither set, every command uses a private PostgreSQL \
            cluster in .stedenband/postgres (or $STEDENBAND_HOME/postgres), created and started on first use \
            and stopped when the last command using it exits.
            """,
        subcommands: [
            ServeCommand.self, WorkerCommand.self, MigrateCommand.self, TenantCommand.self, PlatformAdminCommand.self,
            ImportCommand.self, ActivitiesCommand.self, JobsCommand.self, EventsCommand.self, DigestsCommand.self,
            RemindersCommand.self,
            ReportingCommand.self,
            DiagnosticsCommand.self,
            DemoCommand.self, DatabaseCommand.self, SignInLinkCommand.self,
        ]
    )
}
