import ArgumentParser
import Foundation
import Gateway
import Logging
import Migrations
import Postgres

/// `stedenband sign-in-link EMAIL`: prints a sign-in link for each active user with that address, for an
/// operator helping someone in (or a newcomer without mail set up). The same links as `/sign-in` mails.
struct SignInLinkCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sign-in-link",
        abstract: "Print a single-use sign-in link (15 minutes) for a user's e-mail address.",
        discussion: """
            One line per municipality where the address belongs to an active user: EMAIL (MUNICIPALITY): URL. \
            The links start with PUBLIC_URL. Nothing is mailed. Exits with 1 when the address has no active user.
            """
    )

    @Argument(help: "The user's e-mail address.")
    var email: String

    @Option(help: "A path on the site to open once signed in, e.g. /settings.")
    var next: String?

    func run() async throws {
        let logger = LogSetup.bootstrap(defaultLevel: .warning)
        let settings = try GatewaySettings.load(from: ProcessInfo.processInfo.environment).sessions
        let links = SignInLinks(settings: settings, mail: nil, logger: logger)
        try await DatabaseAccess(logger: logger).withDatabase { logins in
            let server = try await logins.server().withSessionSetting("role", MigrationRunner.appRole)
            let issued = try await PostgresConnection.withConnection(to: server, logger: logger) { connection in
                try await connection.withTransaction { connection in
                    try await links.issue(for: email, next: next, at: Date(), on: connection)
                }
            }
            guard !issued.isEmpty else {
                printError("stedenband sign-in-link: no active user has the address \(email)")
                throw ExitCode.failure
            }
            for link in issued { printOutput("\(link.email) (\(link.municipality)): \(link.url)") }
        }
    }
}
