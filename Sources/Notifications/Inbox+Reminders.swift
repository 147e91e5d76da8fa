import ActivitiesContracts
import Foundation
import Messaging
import PartnershipsContracts
import Postgres
import ResultsContracts
import Vocabulary

/// What the reminders read, kept in the publisher's transaction: when each partnership last had news, and a
/// copy of the reporting periods.
extension Inbox {
    static func reminders(into events: inout EventSubscriptions) {
        // News: the partnership's creation, an activity recorded, a progress update, a value reported; never
        // moved back. The creation's is a handler, run after the copy's own (registered first) made the row:
        // statements would run before any handler.
        events.subscribeInTransaction(to: PartnershipCreated.self) { envelope, connection in
            try await connection.query(
                """
                UPDATE notifications.partnerships SET last_news_at = \(envelope.occurredAt)
                WHERE id = \(envelope.event.partnership.id.rawValue)
                """)
        }
        events.subscribeInTransaction(
            to: ActivityRecorded.self,
            statements: { envelopes in
                [news(envelopes.map { ($0.event.activity.partnershipId, $0.occurredAt) })]
            })
        events.subscribeInTransaction(
            to: ActivityUpdatePosted.self,
            statements: { envelopes in
                [news(envelopes.map { ($0.event.activity.partnershipId, $0.occurredAt) })]
            })
        events.subscribeInTransaction(
            to: ValueReported.self,
            statements: { envelopes in
                [news(envelopes.map { ($0.event.period.partnershipId, $0.occurredAt) })]
            })

        func period<E: PeriodEvent>(_ type: E.Type) {
            events.subscribeInTransaction(
                to: type,
                statements: { envelopes in
                    envelopes.map { keep($0.event, deleted: E.self == PeriodDeleted.self, tenant: $0.tenantID) }
                })
        }
        period(PeriodDefined.self)
        period(PeriodUpdated.self)
        period(PeriodDeleted.self)
        period(ValueReported.self)
        period(ValueApproved.self)
        period(ValueReturned.self)
        // A deleted indicator, result or activity publishes no deletion of its periods.
        events.subscribeInTransaction(
            to: IndicatorDeleted.self,
            statements: { envelopes in
                [dropPeriods(column: "indicator_id", envelopes.map { $0.event.indicator.id.rawValue })]
            })
        events.subscribeInTransaction(
            to: ResultDeleted.self,
            statements: { envelopes in
                [dropPeriods(column: "result_id", envelopes.map { $0.event.result.id.rawValue })]
            })
        events.subscribeInTransaction(
            to: ActivityDeleted.self,
            statements: { envelopes in
                [dropPeriods(column: "activity_id", envelopes.map { $0.event.activity.id.rawValue })]
            })
        events.subscribeInTransaction(
            to: IndicatorUpdated.self,
            statements: { envelopes in
                envelopes.map {
                    """
                    UPDATE notifications.indicator_periods SET indicator_title = \($0.event.indicator.title)
                    WHERE indicator_id = \($0.event.indicator.id.rawValue)
                    """
                }
            })
    }

    /// Moves each partnership's last news to the event's time, never back.
    static func news(_ items: [(partnership: UUID, at: Date)]) -> PostgresQuery {
        """
        UPDATE notifications.partnerships p SET last_news_at = greatest(p.last_news_at, n.at)
        FROM (SELECT u.id, max(u.at) AS at
              FROM unnest(\(items.map(\.partnership))::uuid[], \(items.map { $0.at.postgresTimestamp })::timestamptz[])
                  AS u(id, at)
              GROUP BY u.id) n
        WHERE p.id = n.id
        """
    }

    /// Upserts the period as the event states it; an older version never overwrites a newer one.
    static func keep(_ event: some PeriodEvent, deleted: Bool, tenant: UUID) -> PostgresQuery {
        let period = event.period
        return """
            INSERT INTO notifications.indicator_periods AS copy (tenant_id, id, indicator_id, result_id, partnership_id,
                activity_id, indicator_title, starts_on, ends_on, status, version, deleted)
            VALUES (\(tenant), \(period.id.rawValue), \(period.indicatorId.rawValue), \(period.resultId.rawValue),
                \(period.partnershipId), \(period.activityId), \(event.indicator.title),
                \(period.start.description)::date, \(period.end.description)::date, \(period.status.rawValue),
                \(period.version), \(deleted))
            ON CONFLICT (tenant_id, id) DO UPDATE SET indicator_title = excluded.indicator_title,
                starts_on = excluded.starts_on, ends_on = excluded.ends_on, status = excluded.status,
                version = excluded.version, deleted = copy.deleted OR excluded.deleted
                WHERE copy.version < excluded.version
            """
    }

    static func dropPeriods(column: StaticString, _ ids: [UUID]) -> PostgresQuery {
        """
        UPDATE notifications.indicator_periods SET deleted = true
        WHERE \(unsafeSQL: "\(column)") = ANY(\(ids)::uuid[]) AND NOT deleted
        """
    }
}
