import ArgumentParser
import Encodings
import Foundation
import Logging
import Migrations
import Postgres

/// The server's own database login: a member of `stedenband_app` and nothing else, so that no statement the
/// server runs (an injected one included) can `SET ROLE` away from row-level security. Makes such logins and
/// checks the one `serve` and `worker` were given.
enum ServerLogin {
    /// The login the embedded cluster's server uses.
    static let embeddedName = "stedenband_server"
    /// The setting that lets `serve` and `worker` start under a login that could leave its role.
    static let allowPrivilegedSetting = "STEDENBAND_ALLOW_PRIVILEGED_LOGIN"

    /// The attributes every server login gets, whatever the cluster's defaults.
    private static let attributes = "LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOREPLICATION"

    /// Names `database create-login` accepts: they appear unquoted in URLs and psql, so letters, digits and `_`
    /// only, starting with a lower-case letter, at most 63 bytes (longer ones PostgreSQL cuts short).
    static func isValidName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, ("a"..."z").contains(first), name.utf8.count <= 63 else {
            return false
        }
        return name.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
    }

    /// Whether a role of that name exists.
    static func exists(_ name: String, on connection: PostgresConnection) async throws -> Bool {
        try await !connection.query("SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = \(name)").isEmpty
    }

    /// Whether the migrations have made `stedenband_app`, which every server login joins.
    static func appRoleExists(on connection: PostgresConnection) async throws -> Bool {
        try await exists(MigrationRunner.appRole, on: connection)
    }

    /// Creates the login `name`, a member of `stedenband_app` only, with `password` (none: the embedded
    /// cluster trusts its private socket). The password is hashed on this side first.
    ///
    /// - Throws: `PostgresError` (`42710` when it exists, `42501` when the connection's login may not create
    ///   roles).
    static func create(_ name: String, password: String?, on connection: PostgresConnection) async throws {
        var passwordClause: String?
        if let password {
            passwordClause = " PASSWORD " + literal(try await connection.encryptedPassword(password, user: name))
        }
        try await connection.query(
            """
            CREATE ROLE \(identifier: name) \(unsafeSQL: attributes)\(unsafeSQL: passwordClause ?? "") \
            IN ROLE \(identifier: MigrationRunner.appRole)
            """
        )
    }

    /// Gives the existing login `name` a new password (`create-login --rotate`).
    static func setPassword(_ password: String, of name: String, on connection: PostgresConnection) async throws {
        let hashed = try await connection.encryptedPassword(password, user: name)
        try await connection.query("ALTER ROLE \(identifier: name) PASSWORD \(unsafeSQL: literal(hashed))")
    }

    /// Creates `name` with no password unless it exists; two processes starting at once both succeed.
    ///
    /// - Throws: `DatabaseLoginError` when `stedenband_app` does not exist yet (the schema is not migrated).
    static func createIfMissing(_ name: String, on connection: PostgresConnection) async throws {
        guard try await !exists(name, on: connection) else { return }
        guard try await appRoleExists(on: connection) else {
            throw DatabaseLoginError(
                reason: "the database has no role \(MigrationRunner.appRole) yet: run `stedenband migrate up` first")
        }
        do {
            try await create(name, password: nil, on: connection)
        } catch let error as PostgresError
            where error.sqlState == .uniqueViolation || error.sqlState?.rawValue == "42710"
        {
            // Another process made it between the check and the CREATE.
        }
    }

    /// A string literal of `text`; used only where PostgreSQL takes no parameters (`CREATE ROLE … PASSWORD`).
    private static func literal(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "''") + "'"
    }

    /// A generated password: 32 characters of `[A-Za-z0-9]` (about 190 bits), safe in a URL unescaped.
    static func generatePassword() -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
        return RandomToken.text(length: 32, from: alphabet)
    }

    // MARK: Checking

    /// What lets the login `name` (by default the connection's own, `session_user`) leave `stedenband_app`,
    /// in words; empty when nothing does. Works on a connection already switched to `stedenband_app`.
    static func escapes(of name: String? = nil, on connection: PostgresConnection) async throws
        -> (login: String, escapes: [String])
    {
        let rows = try await connection.query(
            """
            SELECT r.rolname::text, r.rolsuper, r.rolbypassrls, r.rolcreaterole,
                EXISTS (SELECT FROM pg_catalog.pg_roles o
                        WHERE o.rolname = \(MigrationRunner.ownerRole) AND pg_has_role(r.oid, o.oid, 'MEMBER')),
                ARRAY(SELECT n.nspname::text FROM pg_catalog.pg_namespace n
                      WHERE n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
                        AND pg_has_role(r.oid, n.nspowner, 'MEMBER')
                      ORDER BY n.nspname)
            FROM pg_catalog.pg_roles r WHERE r.rolname = coalesce(\(name)::text, session_user::text)
            """
        )
        let (login, superuser, bypassRLS, createRole, owner, schemas) = try rows[0].decode(
            (String, Bool, Bool, Bool, Bool, [String]).self)
        var escapes: [String] = []
        if superuser { escapes.append("it is a superuser") }
        if bypassRLS { escapes.append("it has BYPASSRLS") }
        if createRole { escapes.append("it has CREATEROLE (it could grant itself the owner's role)") }
        if owner {
            escapes.append("it is a member of \(MigrationRunner.ownerRole) (`SET ROLE \(MigrationRunner.ownerRole)`)")
        }
        if !schemas.isEmpty {
            escapes.append("it can act as the owner of the schema(s) \(schemas.joined(separator: ", "))")
        }
        return (login, escapes)
    }

    /// Refuses to go on (printing how to fix it) when the server's login could leave its role, unless
    /// `STEDENBAND_ALLOW_PRIVILEGED_LOGIN=1`; then returns the warning for the log and `/readyz`.
    ///
    /// - Returns: The warnings to show; empty for a proper server login.
    /// - Throws: `ExitCode.failure` after printing the fix.
    static func check(
        _ server: PostgresConfiguration,
        command: String,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        logger: Logger
    ) async throws -> [String] {
        // Without the startup `role` setting, so that a login outside stedenband_app gets this message rather
        // than the server's "permission denied to set role".
        let (login, escapes, isApp) = try await PostgresConnection.withConnection(to: server, logger: logger) {
            connection in
            let (login, escapes) = try await Self.escapes(on: connection)
            let isApp = try await connection.query(
                """
                SELECT EXISTS (SELECT FROM pg_catalog.pg_roles a
                               WHERE a.rolname = \(MigrationRunner.appRole) AND pg_has_role(session_user, a.oid, 'MEMBER'))
                """
            )[0].decode(Bool.self, column: 0)
            return (login, escapes, isApp)
        }
        guard isApp else {
            printError(
                """
                stedenband \(command): the database login \(login) of DATABASE_URL is not a member of \
                \(MigrationRunner.appRole): make the server's login with `stedenband database create-login`.
                """)
            throw ExitCode.failure
        }
        guard !escapes.isEmpty else { return [] }
        let why = escapes.joined(separator: "; ")
        if environment[allowPrivilegedSetting] == "1" {
            let warning =
                "the database login \(login) can leave the role \(MigrationRunner.appRole) (\(why)); "
                + "started anyway because \(allowPrivilegedSetting)=1"
            logger.warning("\(warning)")
            return [warning]
        }
        printError(
            """
            stedenband \(command): refusing to start: the database login \(login) of DATABASE_URL can leave the \
            role \(MigrationRunner.appRole), and row-level security with it: \(why).
            Give the server a login that is a member of \(MigrationRunner.appRole) only:
              1. set MIGRATION_DATABASE_URL to this login's URL (the owner's: `migrate` and `serve --migrate` use it);
              2. run `stedenband database create-login stedenband_server` with it, which prints a new login's URL;
              3. set DATABASE_URL to that URL.
            To start anyway (never in production), set \(allowPrivilegedSetting)=1.
            """
        )
        throw ExitCode.failure
    }
}
