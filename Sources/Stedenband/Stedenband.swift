import ArgumentParser

/// The `stedenband` command: one binary that serves the API and administers the database.
@main
struct Stedenband: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stedenband",
        abstract: "A server for municipal international cooperation (stedenbanden).",
        discussion: """
            With DATABASE_URL unset, every command uses a private PostgreSQL cluster in \
            .stedenband/postgres (or $STEDENBAND_HOME/postgres), created and started on first use and \
            stopped when the last command using it exits.
            """,
        subcommands: [
            ServeCommand.self, WorkerCommand.self, MigrateCommand.self, TenantCommand.self, PlatformAdminCommand.self,
            ImportCommand.self, JobsCommand.self, DigestsCommand.self, ReportingCommand.self, DiagnosticsCommand.self,
            DemoCommand.self,
        ]
    )
}
