import Foundation
import Messaging
import Postgres
import ResultsContracts
import Vocabulary

/// The read model's results framework: results, indicators and periods as the Results plugin's events describe
/// them (migration 0042), for the results report.
///
/// As ``ReadModel`` keeps partnerships and activities: every event carries its aggregate's whole state and
/// version, so applying one is an upsert that only a newer version wins, and a deletion leaves a tombstone at its
/// version. The events are few beside the activities' (people define and report them one by one), so a batch
/// applies its events one statement each.
enum ResultsReadModel {
    /// Subscribes to the Results events under the read model's subscriber, and adds their appliers for the
    /// rebuild.
    static func register(into events: inout EventSubscriptions, appliers: inout [String: ReadModel.Applier]) {
        func keep<E: Event>(_ type: E.Type, _ upsert: @escaping @Sendable (E, UUID) -> PostgresQuery) {
            events.subscribeInBatches(to: type, as: ReadModel.subscriber) { envelopes, context in
                for envelope in envelopes {
                    try await context.connection.query(upsert(envelope.event, envelope.tenantID))
                }
            }
            appliers[E.name] = { payload, tenant, _, connection in
                try await connection.query(upsert(try ReadModel.decoder.decode(E.self, from: payload), tenant))
            }
        }
        keep(ResultDefined.self) { result($0.result, deleted: false, tenant: $1) }
        keep(ResultUpdated.self) { result($0.result, deleted: false, tenant: $1) }
        keep(ResultDeleted.self) { result($0.result, deleted: true, tenant: $1) }
        keep(IndicatorDefined.self) { indicator($0.indicator, deleted: false, tenant: $1) }
        keep(IndicatorUpdated.self) { indicator($0.indicator, deleted: false, tenant: $1) }
        keep(IndicatorDeleted.self) { indicator($0.indicator, deleted: true, tenant: $1) }
        keep(PeriodDefined.self) { period($0.period, deleted: false, tenant: $1) }
        keep(PeriodUpdated.self) { period($0.period, deleted: false, tenant: $1) }
        keep(PeriodDeleted.self) { period($0.period, deleted: true, tenant: $1) }
        keep(ValueReported.self) { period($0.period, deleted: false, tenant: $1) }
        keep(ValueApproved.self) { period($0.period, deleted: false, tenant: $1) }
        keep(ValueReturned.self) { period($0.period, deleted: false, tenant: $1) }
    }

    /// Empties the three tables of the transaction's municipality, before a rebuild replays their events.
    static func clear(on connection: PostgresConnection) async throws {
        try await connection.query("DELETE FROM reporting.indicator_periods")
        try await connection.query("DELETE FROM reporting.indicators")
        try await connection.query("DELETE FROM reporting.results")
    }

    /// Only a newer version wins, or a deletion at the same version (as ``ReadModel``'s upserts).
    private static let newer =
        "WHERE kept.version < excluded.version OR (excluded.deleted AND NOT kept.deleted AND kept.version <= excluded.version)"

    static func result(_ state: ResultState, deleted: Bool, tenant: UUID) -> PostgresQuery {
        """
        INSERT INTO reporting.results AS kept (tenant_id, id, partnership_id, activity_id, title, type,
            description, aggregates, version, deleted)
        VALUES (\(tenant), \(state.id.rawValue), \(state.partnershipId), \(state.activityId), \(state.title),
            \(state.type.rawValue), \(state.description), \(state.aggregates), \(state.version), \(deleted))
        ON CONFLICT (tenant_id, id) DO UPDATE SET partnership_id = excluded.partnership_id,
            activity_id = excluded.activity_id, title = excluded.title, type = excluded.type,
            description = excluded.description, aggregates = excluded.aggregates, version = excluded.version,
            deleted = excluded.deleted
        \(unsafeSQL: newer)
        """
    }

    static func indicator(_ state: IndicatorState, deleted: Bool, tenant: UUID) -> PostgresQuery {
        """
        INSERT INTO reporting.indicators AS kept (tenant_id, id, result_id, partnership_id, activity_id, title,
            description, measure, ascending, sdg_target, baseline_year, baseline_value, baseline_comment, version,
            deleted)
        VALUES (\(tenant), \(state.id.rawValue), \(state.resultId.rawValue), \(state.partnershipId),
            \(state.activityId), \(state.title), \(state.description), \(state.measure.rawValue), \(state.ascending),
            \(state.sdgTarget?.rawValue), \(state.baseline?.year), \(state.baseline?.value?.description)::numeric,
            \(state.baseline?.comment), \(state.version), \(deleted))
        ON CONFLICT (tenant_id, id) DO UPDATE SET result_id = excluded.result_id,
            partnership_id = excluded.partnership_id, activity_id = excluded.activity_id, title = excluded.title,
            description = excluded.description, measure = excluded.measure, ascending = excluded.ascending,
            sdg_target = excluded.sdg_target, baseline_year = excluded.baseline_year,
            baseline_value = excluded.baseline_value, baseline_comment = excluded.baseline_comment,
            version = excluded.version, deleted = excluded.deleted
        \(unsafeSQL: newer)
        """
    }

    static func period(_ state: PeriodState, deleted: Bool, tenant: UUID) -> PostgresQuery {
        """
        INSERT INTO reporting.indicator_periods AS kept (tenant_id, id, indicator_id, partnership_id, starts_on,
            ends_on, target_value, target_comment, actual_value, actual_comment, status, version, deleted)
        VALUES (\(tenant), \(state.id.rawValue), \(state.indicatorId.rawValue), \(state.partnershipId),
            \(state.start), \(state.end), \(state.target?.value?.description)::numeric,
            \(state.target?.comment ?? ""), \(state.actual?.value?.description)::numeric,
            \(state.actual?.comment ?? ""), \(state.status.rawValue), \(state.version), \(deleted))
        ON CONFLICT (tenant_id, id) DO UPDATE SET indicator_id = excluded.indicator_id,
            partnership_id = excluded.partnership_id, starts_on = excluded.starts_on, ends_on = excluded.ends_on,
            target_value = excluded.target_value, target_comment = excluded.target_comment,
            actual_value = excluded.actual_value, actual_comment = excluded.actual_comment,
            status = excluded.status, version = excluded.version, deleted = excluded.deleted
        \(unsafeSQL: newer)
        """
    }
}
