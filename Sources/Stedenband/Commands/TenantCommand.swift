import ArgumentParser
import Foundation
import Gateway
import Logging
import OpenIDConnect
import Postgres
import Vocabulary

/// `stedenband tenant …`: the municipalities sharing this instance.
struct TenantCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tenant",
        abstract: "Create, list and disable the municipalities that share this instance.",
        subcommands: [Create.self, List.self, Set.self, Disable.self]
    )

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a municipality and its first administrator, and print the administrator's token once."
        )

        @Argument(help: "The short name in URLs and commands, e.g. sint-niklaas.")
        var slug: String

        @Option(help: "The municipality's name, e.g. \"Sint-Niklaas\".")
        var name: String

        @Option(help: "The first administrator's e-mail address.")
        var adminEmail: String

        @Option(help: "The first administrator's name (default: the part of the e-mail before @).")
        var adminName: String?

        @Option(help: "The default language: nl, en, fr or es.")
        var locale = Language.default.rawValue

        @Option(help: "The IANA time zone.")
        var timezone = "Europe/Brussels"

        @Flag(help: "Print JSON: {\"tenant\", \"user\", \"token\"}.")
        var json = false

        func run() async throws {
            let logger = LogSetup.bootstrap(defaultLevel: .warning)
            do {
                let administratorName = try Tenancy.validateNewTenant(
                    slug: slug,
                    name: name,
                    adminEmail: adminEmail,
                    adminName: adminName,
                    locale: locale,
                    timeZone: timezone
                )
                let (tenant, user, token) = try await withAdminConnection(logger: logger) { connection in
                    try await connection.withTransaction { connection in
                        try await Tenancy.createTenant(
                            slug: slug,
                            name: name,
                            adminEmail: adminEmail,
                            adminName: administratorName,
                            locale: locale,
                            timeZone: timezone,
                            on: connection
                        )
                    }
                }
                if json {
                    printJSON(CreatedTenant(tenant: tenant, user: user, token: token.value))
                } else {
                    printOutput(
                        "Created tenant \(tenant.slug) (\(tenant.id.uuidString.lowercased())) with administrator \(user.email)."
                    )
                    printOutput("The administrator's API token, shown only now:")
                    printOutput("  \(token.value)")
                    if let days = tenant.tokenExpiryDays {
                        printOutput(
                            "It expires in \(days) days, as the municipality's new tokens do by default "
                                + "(stedenband tenant set \(tenant.slug) --token-expiry-days N|never).")
                    }
                }
            } catch let error as TenancyValidationError {
                printError("stedenband tenant create: \(error)")
                throw ExitCode.failure
            } catch let error as PostgresError where error.sqlState == .uniqueViolation {
                printError("stedenband tenant create: a tenant with the slug \(slug) already exists")
                throw ExitCode.failure
            }
        }
    }

    struct CreatedTenant: Encodable {
        var tenant: TenantRecord
        var user: UserRecord
        var token: String
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the municipalities.")

        @Flag(help: "Print JSON.")
        var json = false

        func run() async throws {
            let logger = LogSetup.bootstrap(defaultLevel: .warning)
            let tenants = try await withAdminConnection(logger: logger) { connection in
                try await connection.query(
                    "SELECT \(unsafeSQL: TenantRecord.columns) FROM platform.tenants ORDER BY slug"
                ).map(TenantRecord.init(row:))
            }
            if json {
                printJSON(tenants)
                return
            }
            for tenant in tenants {
                let state = tenant.disabledAt.map { "disabled " + $0.formatted(.iso8601) } ?? "active"
                printOutput("\(tenant.slug)\t\(tenant.name)\t\(tenant.defaultLocale)\t\(tenant.timeZone)\t\(state)")
            }
            if tenants.isEmpty {
                printOutput("No tenants yet: stedenband tenant create <slug> --name … --admin-email …")
            }
        }
    }

    struct Set: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Change a municipality's IATI organisation, sender address, name, language, token expiry or OpenID provider."
        )

        @Argument(help: "The tenant's slug.")
        var slug: String

        @Option(help: "The IATI organisation identifier, e.g. BE-BCE_KBO-0207437468.")
        var iatiRef: String?

        @Option(help: "The IATI OrganisationType code, e.g. 11 (local government).")
        var iatiType: String?

        @Option(help: "The address digests are sent from.")
        var senderEmail: String?

        @Option(help: "The municipality's name.")
        var name: String?

        @Option(help: "The default language: nl, en, fr or es.")
        var locale: String?

        @Option(
            help: """
                How many days (1 to 3650) a new API token lives when its request names no expiry, or never. \
                Tokens issued before keep their expiry.
                """)
        var tokenExpiryDays: String?

        @Option(
            name: .customLong("oidc-issuer"),
            help: """
                The issuer URL of the municipality's OpenID Connect provider (https; plain http only to \
                127.0.0.1 or localhost). People then sign in at /sign-in/oidc/SLUG. Give with \
                --oidc-client-id and --oidc-client-secret-file.
                """)
        var oidcIssuer: String?

        @Option(name: .customLong("oidc-client-id"), help: "This server's client id at the provider.")
        var oidcClientID: String?

        @Option(
            name: .customLong("oidc-client-secret-file"),
            help: """
                A file holding the client secret the provider issued (one line; kept in the database, \
                never printed).
                """)
        var oidcClientSecretFile: String?

        @Flag(
            name: .customLong("remove-oidc"),
            help: "Remove the municipality's OpenID provider: its people sign in by e-mail link only.")
        var removeOidc = false

        /// Whether any of the municipality's own fields is to change (not the provider).
        var changesTenant: Bool {
            iatiRef != nil || iatiType != nil || senderEmail != nil || name != nil || locale != nil
                || tokenExpiryDays != nil
        }

        /// Whether an `--oidc-…` option was given.
        var setsProvider: Bool { oidcIssuer != nil || oidcClientID != nil || oidcClientSecretFile != nil }

        /// `--token-expiry-days`: absent, `never` (`.some(nil)`), or a number of days.
        var expiryDays: Int?? {
            guard let tokenExpiryDays else { return nil }
            return tokenExpiryDays == "never" ? .some(nil) : Int(tokenExpiryDays)
        }

        func validate() throws {
            if let tokenExpiryDays, tokenExpiryDays != "never",
                !(Int(tokenExpiryDays).map(Tenancy.tokenExpiryDays.contains) ?? false)
            {
                throw ValidationError("--token-expiry-days must be a number of days from 1 to 3650, or never")
            }
            // The checks of /admin/municipality, in one place.
            let options = [
                "name": "--name", "defaultLocale": "--locale", "iatiOrganisationReference": "--iati-ref",
                "iatiOrganisationType": "--iati-type",
            ]
            if let problem = MunicipalitySettings.problems(
                name: name, defaultLocale: locale, iatiOrganisationReference: iatiRef, iatiOrganisationType: iatiType
            ).first {
                throw ValidationError("\(options[problem.field] ?? problem.field) \(problem.message)")
            }
            if setsProvider {
                guard oidcIssuer != nil, oidcClientID != nil, oidcClientSecretFile != nil else {
                    throw ValidationError(
                        "--oidc-issuer, --oidc-client-id and --oidc-client-secret-file go together: give all three")
                }
                if removeOidc {
                    throw ValidationError("--remove-oidc cannot be given with --oidc-issuer")
                }
            }
            // The checks of /admin/municipality's identity provider, in one place (the secret's when it is read).
            let providerOptions = ["oidcIssuer": "--oidc-issuer", "oidcClientId": "--oidc-client-id"]
            if let problem = OIDCClient.problems(issuer: oidcIssuer, clientID: oidcClientID, secret: nil).first {
                throw ValidationError("\(providerOptions[problem.field] ?? problem.field) \(problem.message)")
            }
            if !changesTenant && !setsProvider && !removeOidc {
                throw ValidationError(
                    "nothing to change: give --iati-ref, --iati-type, --sender-email, --name, --locale, "
                        + "--token-expiry-days, --oidc-issuer … or --remove-oidc"
                )
            }
        }

        /// The secret in `--oidc-client-secret-file`: its text less the surrounding white space.
        func readSecret(_ path: String) throws -> ClientSecret {
            let text: String
            do {
                text = try String(contentsOfFile: path, encoding: .utf8)
            } catch {
                throw SetError("cannot read --oidc-client-secret-file \(path): \(Self.reason(error))")
            }
            let secret = text.trimmingCharacters(in: .whitespacesAndNewlines)
            if let problem = OIDCClient.problems(issuer: nil, clientID: nil, secret: secret).first {
                throw SetError("--oidc-client-secret-file \(path) \(problem.message)")
            }
            return ClientSecret(secret)
        }

        /// Why a file could not be read, without Foundation's wording around it.
        static func reason(_ error: any Error) -> String {
            let underlying = (error as NSError).userInfo[NSUnderlyingErrorKey] as? NSError
            if let underlying, underlying.domain == NSPOSIXErrorDomain,
                let code = POSIXErrorCode(rawValue: Int32(underlying.code))
            {
                return String(cString: strerror(code.rawValue))
            }
            return (error as NSError).localizedDescription
        }

        /// A refusal of `tenant set`, printed as it is.
        struct SetError: Error, CustomStringConvertible {
            var description: String
            init(_ description: String) { self.description = description }
        }

        func run() async throws {
            let logger = LogSetup.bootstrap(defaultLevel: .warning)
            let client: OIDCClient?
            do {
                client =
                    try setsProvider
                    ? OIDCClient(
                        issuer: oidcIssuer!, clientID: oidcClientID!, secret: readSecret(oidcClientSecretFile!))
                    : nil
            } catch let error as SetError {
                printError("stedenband tenant set: \(error)")
                throw ExitCode.failure
            }
            if changesTenant {
                try await changeTenant(logger: logger)
            }
            if let client {
                let found = try await withAdminConnection(logger: logger) { connection in
                    try await OIDCRepository.setProvider(slug: slug, client: client, on: connection)
                }
                guard found else {
                    printError("stedenband tenant set: no tenant with the slug \(slug)")
                    throw ExitCode.failure
                }
                printOutput("Set the OpenID provider of \(slug): \(client.issuer) (client id \(client.clientID)).")
                printOutput("Register this redirect URI at the provider: {PUBLIC_URL}/sign-in/oidc/\(slug)/callback")
            }
            if removeOidc {
                let removed = try await withAdminConnection(logger: logger) { connection in
                    try await OIDCRepository.removeProvider(slug: slug, on: connection)
                }
                switch removed {
                case nil:
                    printError("stedenband tenant set: no tenant with the slug \(slug)")
                    throw ExitCode.failure
                case false?:
                    printOutput("\(slug) had no OpenID provider.")
                case true?:
                    printOutput("Removed the OpenID provider of \(slug).")
                }
            }
        }

        private func changeTenant(logger: Logger) async throws {
            let changed = try await withAdminConnection(logger: logger) { connection in
                try await connection.query(
                    """
                    UPDATE platform.tenants SET iati_organisation_ref = coalesce(\(iatiRef), iati_organisation_ref),
                        iati_organisation_type = coalesce(\(iatiType), iati_organisation_type),
                        sender_email = coalesce(\(senderEmail), sender_email), name = coalesce(\(name), name),
                        default_locale = coalesce(\(locale), default_locale),
                        token_expiry_days = CASE WHEN \(expiryDays != nil) THEN \(expiryDays ?? nil)::integer
                                                 ELSE token_expiry_days END
                    WHERE slug = \(slug)
                    """
                ).affectedRows
            }
            guard changed == 1 else {
                printError("stedenband tenant set: no tenant with the slug \(slug)")
                throw ExitCode.failure
            }
            printOutput("Changed \(slug).")
        }
    }

    struct Disable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Disable a municipality: its tokens stop working at the next request; its data is kept."
        )

        @Argument(help: "The tenant's slug.")
        var slug: String

        func run() async throws {
            let logger = LogSetup.bootstrap(defaultLevel: .warning)
            let changed = try await withAdminConnection(logger: logger) { connection in
                try await connection.query(
                    "UPDATE platform.tenants SET disabled_at = coalesce(disabled_at, now()) WHERE slug = \(slug)"
                ).affectedRows
            }
            guard changed == 1 else {
                printError("stedenband tenant disable: no tenant with the slug \(slug)")
                throw ExitCode.failure
            }
            printOutput("Disabled \(slug).")
        }
    }
}

/// `stedenband platform-admin create`: an administrator of the instance, outside every municipality.
struct PlatformAdminCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "platform-admin",
        abstract: "Create platform administrators, who manage tenants and see cross-tenant figures.",
        subcommands: [Create.self]
    )

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create one and print its token once.")

        @Option(help: "The administrator's e-mail address.")
        var email: String

        @Option(help: "The administrator's name (default: the part of the e-mail before @).")
        var name: String?

        @Flag(help: "Print JSON: {\"id\", \"email\", \"name\", \"token\"}.")
        var json = false

        func run() async throws {
            let logger = LogSetup.bootstrap(defaultLevel: .warning)
            let shownName = name ?? Tenancy.defaultAdministratorName(forEmail: email)
            guard FieldCheck.email(email, field: "email").isEmpty else {
                printError("stedenband platform-admin create: --email must be an e-mail address")
                throw ExitCode.failure
            }
            if let problem = FieldCheck.name(shownName, field: "name").first {
                let hint = name == nil ? " (made from --email; give --name)" : ""
                printError("stedenband platform-admin create: --name \(problem.message)\(hint)")
                throw ExitCode.failure
            }
            let token = APIToken.generate()
            let id: UUID
            do {
                id = try await withAdminConnection(logger: logger) { connection in
                    try await connection.withTransaction { connection in
                        let id = try await connection.query(
                            "INSERT INTO platform.platform_admins (email, name) VALUES (\(email), \(shownName)) RETURNING id"
                        )[0].decode(UUID.self, column: 0)
                        try await Tenancy.insertToken(
                            token, platformAdminID: id, name: "created by the CLI", on: connection)
                        return id
                    }
                }
            } catch let error as PostgresError where error.sqlState == .uniqueViolation {
                // The address is unique whatever its case (platform_admins_email on lower(email)).
                printError(
                    "stedenband platform-admin create: a platform administrator with the e-mail \(email) already exists"
                )
                throw ExitCode.failure
            }
            if json {
                printJSON(["id": id.uuidString.lowercased(), "email": email, "name": shownName, "token": token.value])
            } else {
                printOutput(
                    "Created platform administrator \(email) (\(id.uuidString.lowercased())). Its API token, shown only now:"
                )
                printOutput("  \(token.value)")
            }
        }
    }
}

/// Runs `body` on a connection of the migration login (`MIGRATION_DATABASE_URL`, else `DATABASE_URL`).
func withAdminConnection<Result: Sendable>(
    logger: Logger,
    _ body: (PostgresConnection) async throws -> Result
) async throws -> Result {
    try await DatabaseAccess(logger: logger).withDatabase { logins in
        try await PostgresConnection.withConnection(to: logins.migration, logger: logger, body)
    }
}
