import ActivitiesContracts
import Foundation
import Messaging
import Postgres

/// Every SQL statement against the `results` schema: results, indicators and periods, and our own copies of
/// the partnerships, their members and the activities. Each runs in the caller's transaction.
struct ResultsRepository: Sendable {
    // MARK: Copies (in the publisher's transaction)

    /// Keeps each activity's partnership and title as its event states them; only a newer version wins, and an
    /// activity whose partnership is not in our copy is skipped rather than failing on the foreign key: this
    /// runs in Activities' transaction, which a failure here would roll back. The partnership never changes
    /// (an activity does not move), so an update writes the title alone.
    func keepActivities(_ activities: [ActivityState], tenant: UUID) -> PostgresQuery {
        """
        INSERT INTO results.activities AS copy (tenant_id, id, partnership_id, title, version)
        SELECT DISTINCT ON (a.id) \(tenant), a.id, a.partnership, a.title, a.version
        FROM unnest(\(activities.map(\.id.rawValue))::uuid[], \(activities.map(\.partnershipId))::uuid[],
                    \(activities.map(\.title))::text[], \(activities.map(\.version))::int8[])
            AS a(id, partnership, title, version)
        WHERE EXISTS (SELECT FROM results.partnerships p WHERE p.tenant_id = \(tenant) AND p.id = a.partnership)
        ORDER BY a.id, a.version DESC
        ON CONFLICT (tenant_id, id) DO UPDATE SET title = excluded.title, version = excluded.version
            WHERE copy.version < excluded.version
        """
    }

    /// Forgets deleted activities; their results, indicators and periods go with them (cascades).
    func forgetActivities(_ ids: [UUID], tenant: UUID) -> PostgresQuery {
        "DELETE FROM results.activities WHERE tenant_id = \(tenant) AND id = ANY(\(ids)::uuid[])"
    }

    /// Forgets deleted partnerships; their members, activities and results go with them (cascades).
    func forgetPartnerships(_ ids: [UUID], tenant: UUID) -> PostgresQuery {
        "DELETE FROM results.partnerships WHERE tenant_id = \(tenant) AND id = ANY(\(ids)::uuid[])"
    }
}
