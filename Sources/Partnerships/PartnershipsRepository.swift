import Foundation
import Gateway
import PartnershipsContracts
import Postgres
import Vocabulary

/// Every SQL statement against the `partnerships` schema: the partnerships, their members and their activity
/// counts. Each runs in the caller's transaction; reads are limited to what `scope` may see.
struct PartnershipsRepository: Sendable {
    /// The partnership if the caller may see it; `FOR UPDATE` when about to change it.
    func partnership(_ id: UUID, scope: ReadScope, lock: Bool = false, on connection: PostgresConnection)
        async throws -> PartnershipRecord?
    {
        let rows = try await connection.query(
            """
            SELECT \(unsafeSQL: PartnershipRecord.columns) FROM partnerships.partnerships p
            WHERE p.id = \(id) AND \(fragment: scope.partnerships(partnership: "p.id"))
            \(unsafeSQL: lock ? "FOR UPDATE OF p" : "")
            """
        )
        return try rows.first.map(PartnershipRecord.init(row:))
    }

    /// A page of the partnerships the caller may see, oldest first: `limit + 1` rows, so the caller knows
    /// whether there is a next page.
    func partnerships(
        _ filter: PartnershipFilter,
        scope: ReadScope,
        limit: Int,
        after: (date: Date, id: UUID)?,
        on connection: PostgresConnection
    ) async throws -> [PartnershipRecord] {
        try await connection.query(
            """
            SELECT \(unsafeSQL: PartnershipRecord.columns) FROM partnerships.partnerships p
            WHERE (\(filter.status)::text IS NULL OR p.status = \(filter.status))
              AND (\(filter.country)::text IS NULL OR p.partner_country = \(filter.country))
              AND (\(filter.sdg)::int IS NULL OR \(filter.sdg)::smallint = ANY(p.sdg_focus))
              AND (\(after?.date)::timestamptz IS NULL
                   OR (p.created_at, p.id) > (\(after?.date)::timestamptz, \(after?.id)::uuid))
              AND \(fragment: scope.partnerships(partnership: "p.id"))
            ORDER BY p.created_at, p.id
            LIMIT \(limit + 1)
            """
        ).map(PartnershipRecord.init(row:))
    }

    func insert(_ id: UUID, _ partnership: NewPartnership, tenant: UUID, on connection: PostgresConnection)
        async throws
    {
        let now = Date()
        try await connection.query(
            """
            INSERT INTO partnerships.partnerships (tenant_id, id, title, partner_name, partner_country, partner_region,
                partner_website, status, started_on, ended_on, description, sdg_focus, created_at, updated_at)
            VALUES (\(tenant), \(id), \(partnership.title), \(partnership.partner.name),
                \(partnership.partner.country), \(partnership.partner.region), \(partnership.partner.website),
                \(partnership.status ?? PartnershipStatus.initial.rawValue), \(partnership.startedOn), \(partnership.endedOn),
                \(partnership.description ?? ""), \((partnership.sdgFocus ?? []).sorted())::smallint[], \(now), \(now))
            """
        )
    }

    /// Writes every field of `partnership` but its members to the partnership with its id and moves it to the next
    /// version.
    func update(_ partnership: PartnershipRecord, on connection: PostgresConnection) async throws {
        try await connection.query(
            """
            UPDATE partnerships.partnerships SET
                title = \(partnership.title), partner_name = \(partnership.partner.name),
                partner_country = \(partnership.partner.country), partner_region = \(partnership.partner.region),
                partner_website = \(partnership.partner.website), status = \(partnership.status),
                started_on = \(partnership.startedOn), ended_on = \(partnership.endedOn),
                description = \(partnership.description),
                sdg_focus = \(partnership.sdgFocus.sorted())::smallint[],
                published = \(partnership.published), published_at = \(partnership.publishedAt),
                story = \(partnership.story), slug = \(partnership.slug),
                version = version + 1, updated_at = \(Date())
            WHERE id = \(partnership.id)
            """
        )
    }

    /// The showcase addresses the municipality's partnerships hold, once no other transaction can take one
    /// before this one commits: the municipality's slug lock is held until then, so two partnerships of the
    /// same partner published at once get `dogbo` and `dogbo-2`, not a unique violation.
    func takenSlugs(tenant: UUID, on connection: PostgresConnection) async throws -> Set<String> {
        try await connection.query(
            "SELECT pg_advisory_xact_lock(\(Int(Self.slugLockSpace))::int, hashtext(\(tenant.uuidString.lowercased())))"
        )
        let rows = try await connection.query(
            "SELECT slug FROM partnerships.partnerships WHERE tenant_id = \(tenant) AND slug IS NOT NULL")
        return Set(try rows.map { try $0.decode(String.self, column: 0) })
    }

    /// Names the lock space of `pg_advisory_xact_lock(int, int)` held while a municipality's partnership gets
    /// its slug (Reporting's spaces are "REP…").
    static let slugLockSpace: Int32 = 0x5041_5253  // "PARS"

    func delete(_ id: UUID, on connection: PostgresConnection) async throws {
        try await connection.query("DELETE FROM partnerships.partnerships WHERE id = \(id)")
    }

    /// Adds the member, or changes their role, and moves the partnership to the next version.
    func addMember(
        _ member: PartnershipMember, to id: UUID, tenant: UUID, on connection: PostgresConnection
    ) async throws {
        try await connection.query(
            """
            INSERT INTO partnerships.members (tenant_id, partnership_id, user_id, role, added_at)
            VALUES (\(tenant), \(id), \(member.userId), \(member.role), \(Date()))
            ON CONFLICT (tenant_id, partnership_id, user_id) DO UPDATE SET role = excluded.role
            """
        )
        try await nextVersion(id, on: connection)
    }

    /// Removes the member and moves the partnership to the next version; false when they were no member.
    func removeMember(_ userID: UUID, from id: UUID, on connection: PostgresConnection) async throws -> Bool {
        let removed = try await connection.query(
            "DELETE FROM partnerships.members WHERE partnership_id = \(id) AND user_id = \(userID)"
        )
        guard removed.affectedRows == 1 else { return false }
        try await nextVersion(id, on: connection)
        return true
    }

    private func nextVersion(_ id: UUID, on connection: PostgresConnection) async throws {
        try await connection.query(
            "UPDATE partnerships.partnerships SET version = version + 1, updated_at = \(Date()) WHERE id = \(id)"
        )
    }

    /// Adds `step` to the activity count of each partnership, once per occurrence, in one statement: for an
    /// in-transaction subscriber, which names it rather than running it.
    func countActivities(_ partnerships: [UUID], by step: Int) -> PostgresQuery {
        """
        UPDATE partnerships.partnerships p
        SET activity_count = greatest(p.activity_count + c.n * \(step), 0)
        FROM (SELECT id, count(*) AS n FROM unnest(\(partnerships)::uuid[]) AS id GROUP BY id) c
        WHERE p.id = c.id
        """
    }
}

extension ReadScope {
    /// The scope as a condition on our own members table, given the column that holds the partnership's id:
    /// every read of partnerships goes through it.
    func partnerships(partnership column: StaticString) -> PostgresQuery {
        condition(partnership: column, members: "partnerships.members")
    }
}
