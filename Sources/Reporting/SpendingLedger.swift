import ActivitiesContracts
import Foundation
import Messaging
import Postgres
import Vocabulary

/// The read model's spending ledger (migration 0044, `reporting.activity_spending`): per activity and UTC year,
/// the spent amount as that year's latest event stated it, for the IATI export's yearly Expenditure
/// transactions (docs/iati.md, *Spent amount*).
///
/// Kept beside `reporting.activities` from the same events, with the same kind of guard: only a newer version of
/// the activity changes a year's row, so the same event twice, or an older one after a newer, changes nothing.
/// An event without a budget states no spending, and a deletion none either: both leave the ledger alone.
enum SpendingLedger {
    /// One statement for a batch of activity states, whatever their number. Two states of one activity in one
    /// year are reduced to the newer first (an upsert may not touch a row twice).
    static func keep(
        _ states: [(state: ActivityState, occurredAt: Date)], tenant: UUID, on connection: PostgresConnection
    ) async throws {
        let rows = states.compactMap { state, occurredAt in
            state.budget.map {
                Row(
                    id: state.id.rawValue, version: state.version, spent: $0.spent.description,
                    currency: $0.currency.rawValue, occurredAt: occurredAt.postgresText)
            }
        }
        guard !rows.isEmpty else { return }
        let records = String(decoding: try encoder.encode(rows), as: UTF8.self)
        try await connection.query(
            """
            INSERT INTO reporting.activity_spending AS kept (tenant_id, activity_id, year, version, spent, currency,
                recorded_on)
            SELECT DISTINCT ON (r.id, extract(year FROM r.occurred_at AT TIME ZONE 'UTC'))
                \(tenant), r.id, extract(year FROM r.occurred_at AT TIME ZONE 'UTC')::smallint, r.version, r.spent,
                r.currency, (r.occurred_at AT TIME ZONE 'UTC')::date
            FROM json_to_recordset(\(records)::json) AS r (id uuid, version int, spent numeric, currency text,
                occurred_at timestamptz)
            ORDER BY r.id, extract(year FROM r.occurred_at AT TIME ZONE 'UTC'), r.version DESC
            ON CONFLICT (tenant_id, activity_id, year) DO UPDATE SET version = excluded.version,
                spent = excluded.spent, currency = excluded.currency, recorded_on = excluded.recorded_on
            WHERE kept.version < excluded.version
            """)
    }

    /// Empties the transaction's municipality's ledger, before a rebuild replays its events.
    static func clear(on connection: PostgresConnection) async throws {
        try await connection.query("DELETE FROM reporting.activity_spending")
    }

    /// One activity state as `json_to_recordset` reads it.
    private struct Row: Encodable {
        var id: UUID
        var version: Int
        var spent: String
        var currency: String
        var occurredAt: String

        enum CodingKeys: String, CodingKey {
            case id, version, spent, currency
            case occurredAt = "occurred_at"
        }
    }

    private static let encoder = LowercaseUUIDJSONEncoder()
}
