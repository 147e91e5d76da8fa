import Foundation
import Postgres

/// Who the users of a municipality are, as the plugins may read it: the gateway owns the `platform` tables
/// and answers through this contract, so no plugin writes SQL against them.
///
/// Every method reads in the caller's transaction (`connection`), where the gateway or the job set
/// `app.tenant_id`: row-level security then scopes the answer to that municipality, and another
/// municipality's user is simply not found.
///
/// It lives in Gateway, not in a Contracts target: its methods take the caller's `PostgresConnection`, and a
/// Contracts target must not depend on Postgres. It is not in Kernel either, since its implementation,
/// ``PostgresPeople``, sits beside the gateway's own user routes and Gateway cannot import Kernel. Plugins
/// receive it through Kernel's `PluginContext.people`.
public protocol People: Sendable {
    /// The user `id`, disabled or not; `nil` when the transaction's municipality has no such user.
    func person(_ id: UUID, on connection: PostgresConnection) async throws -> Person?

    /// The users among `ids` that the transaction's municipality has, by id, read in one statement however
    /// many are asked for (a digest batch, the members named in a digest).
    func people(_ ids: [UUID], on connection: PostgresConnection) async throws -> [UUID: Person]

    /// The active users of the transaction's municipality, by name (a partnership's members are chosen from
    /// them).
    func users(on connection: PostgresConnection) async throws -> [Person]

    /// The users among `ids` who were invited and have not yet signed in (`/admin/users` shows them as
    /// *invited*), read in one statement.
    func invited(among ids: [UUID], on connection: PostgresConnection) async throws -> Set<UUID>

    /// The municipality `id`; `nil` when the transaction may not see it (another municipality's) or there
    /// is none.
    func municipality(_ id: UUID, on connection: PostgresConnection) async throws -> Municipality?

    /// The municipalities the transaction may see, by slug: all of them for a platform administrator or the
    /// migration login, its own for a municipality's transaction; only the one with `slug` when given.
    func municipalities(slug: String?, on connection: PostgresConnection) async throws -> [Municipality]
}
