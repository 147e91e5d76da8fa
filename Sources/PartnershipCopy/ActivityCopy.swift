import ActivitiesContracts
import Foundation
import Messaging
import PartnershipsContracts
import Postgres

/// A plugin's own copy of the activities (each one's partnership and title) beside its ``PartnershipCopy``, for
/// the plugins whose own rows hang on an activity (Results, Learning) and must be written the moment it exists.
///
/// Kept in the publisher's transaction with one statement per published batch, sent with the events' own rows,
/// so it rides on an import's batches at the cost of one statement. Deleting an activity or a partnership
/// deletes the plugin's rows that hang on it through the plugin's own cascades, without events of its own.
public struct ActivityCopy: Sendable {
    /// The copy's activities: `tenant_id`, `id`, `partnership_id`, `title`, `version`.
    let activities: StaticString
    /// The ``PartnershipCopy``'s partnerships, which an activity's partnership must be in.
    let partnerships: StaticString

    /// A copy in the plugin's own tables (literals, never request values).
    public init(activities: StaticString, partnerships: StaticString) {
        self.activities = activities
        self.partnerships = partnerships
    }

    /// Keeps the copy from the activities' events, and forgets deleted activities and partnerships.
    public func subscribe(into events: inout EventSubscriptions) {
        events.subscribeInTransaction(
            to: PartnershipDeleted.self,
            statements: { [self] envelopes in
                [forgetPartnerships(envelopes.map(\.event.partnership.id.rawValue), tenant: envelopes[0].tenantID)]
            })
        events.subscribeInTransaction(
            to: ActivityRecorded.self,
            statements: { [self] envelopes in
                [keep(envelopes.map(\.event.activity), tenant: envelopes[0].tenantID)]
            })
        events.subscribeInTransaction(
            to: ActivityUpdated.self,
            statements: { [self] envelopes in
                [keep(envelopes.map(\.event.activity), tenant: envelopes[0].tenantID)]
            })
        events.subscribeInTransaction(
            to: ActivityDeleted.self,
            statements: { [self] envelopes in
                [forgetActivities(envelopes.map(\.event.activity.id.rawValue), tenant: envelopes[0].tenantID)]
            })
    }

    /// Keeps each activity's partnership and title as its event states them; only a newer version wins, and an
    /// activity whose partnership is not in the copy is skipped rather than failing on the foreign key: this
    /// runs in Activities' transaction, which a failure here would roll back. The partnership never changes
    /// (an activity does not move), so an update writes the title alone.
    func keep(_ activities: [ActivityState], tenant: UUID) -> PostgresQuery {
        """
        INSERT INTO \(unsafeSQL: "\(self.activities)") AS copy (tenant_id, id, partnership_id, title, version)
        SELECT DISTINCT ON (a.id) \(tenant), a.id, a.partnership, a.title, a.version
        FROM unnest(\(activities.map(\.id.rawValue))::uuid[], \(activities.map(\.partnershipId))::uuid[],
                    \(activities.map(\.title))::text[], \(activities.map(\.version))::int8[])
            AS a(id, partnership, title, version)
        WHERE EXISTS (
            SELECT FROM \(unsafeSQL: "\(partnerships)") p WHERE p.tenant_id = \(tenant) AND p.id = a.partnership)
        ORDER BY a.id, a.version DESC
        ON CONFLICT (tenant_id, id) DO UPDATE SET title = excluded.title, version = excluded.version
            WHERE copy.version < excluded.version
        """
    }

    /// Forgets deleted activities; the plugin's rows that hang on them go with them (its cascades).
    func forgetActivities(_ ids: [UUID], tenant: UUID) -> PostgresQuery {
        "DELETE FROM \(unsafeSQL: "\(activities)") WHERE tenant_id = \(tenant) AND id = ANY(\(ids)::uuid[])"
    }

    /// Forgets deleted partnerships; their members, activities and the plugin's rows go with them (cascades).
    func forgetPartnerships(_ ids: [UUID], tenant: UUID) -> PostgresQuery {
        "DELETE FROM \(unsafeSQL: "\(partnerships)") WHERE tenant_id = \(tenant) AND id = ANY(\(ids)::uuid[])"
    }
}
