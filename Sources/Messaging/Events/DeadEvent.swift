import Foundation
import Postgres

/// An event that failed its subscriber's last attempt (`messaging.dead_events`); its subscriber's cursor
/// moved past it. `stedenband events dead` lists them, `events redeliver` delivers one again.
public struct DeadEvent: Sendable, Codable, Equatable {
    /// One failed attempt, from the cursor's attempts or a failed redelivery.
    public struct Failure: Sendable, Codable, Equatable {
        /// The attempt's number.
        public var attempt: Int
        /// When it failed.
        public var at: Date
        /// What went wrong.
        public var error: String
        /// True for a failed `events redeliver`.
        public var redelivery: Bool?
    }

    /// The subscriber it failed for.
    public var subscriber: String
    /// The municipality.
    public var tenantID: UUID
    /// The municipality's slug.
    public var tenantSlug: String
    /// The municipality's name.
    public var tenantName: String
    /// The event's id.
    public var eventID: UUID
    /// The event's name (`diagnostics.probe_sent.v1`); nil if the event is gone from the log.
    public var eventName: String?
    /// The event's position in the log.
    public var position: Int64
    /// When it went to the dead letter.
    public var diedAt: Date
    /// The last failure's error.
    public var lastError: String?
    /// Every failure, oldest first.
    public var errors: [Failure]

    /// The dead events, newest first, of one subscriber or all, through `messaging.list_dead_events`.
    public static func list(
        subscriber: String?, eventID: UUID? = nil, limit: Int, on connection: PostgresConnection
    ) async throws -> [DeadEvent] {
        let rows = try await connection.query(
            """
            SELECT subscriber, tenant_id, tenant_slug, tenant_name, event_id, event_name, event_position,
                   errors, died_at
            FROM messaging.list_dead_events(\(subscriber)::text, \(eventID)::uuid, \(limit)::integer)
            """)
        return try rows.map { row in
            let errors = try row.decode(PostgresJSON<[Failure]>.self, column: 7).value
            return DeadEvent(
                subscriber: try row.decode(String.self, column: 0),
                tenantID: try row.decode(UUID.self, column: 1),
                tenantSlug: try row.decode(String.self, column: 2),
                tenantName: try row.decode(String.self, column: 3),
                eventID: try row.decode(UUID.self, column: 4),
                eventName: try row.decode(String?.self, column: 5),
                position: try row.decode(Int64.self, column: 6),
                diedAt: try row.decode(Date.self, column: 8),
                lastError: errors.last?.error,
                errors: errors)
        }
    }
}
