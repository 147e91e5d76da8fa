import Foundation
import Postgres

/// An event published in a trace, as an operator follows the trace (`stedenband diagnostics trace`).
public struct TracedEvent: Sendable, Codable {
    /// The municipality it belongs to.
    public var tenantID: UUID
    /// The event's id.
    public var id: UUID
    /// Its name (`activities.activity_updated.v1`).
    public var name: String
    /// When it was published.
    public var occurredAt: Date
    /// Who caused it, if known.
    public var actor: String?
    /// The `traceparent` it was published in.
    public var traceParent: String

    /// The events of every municipality published in the trace `traceID` (32 hex digits), oldest first.
    public static func list(traceID: String, limit: Int = 200, on connection: PostgresConnection) async throws
        -> [TracedEvent]
    {
        try await connection.query(
            """
            SELECT tenant_id, id, name, occurred_at, actor, trace_parent
            FROM messaging.trace_events(\(traceID.lowercased())::text, \(limit)::int)
            """
        ).map { row in
            let (tenantID, id, name, occurredAt, actor, traceParent) =
                try row.decode((UUID, UUID, String, Date, String?, String).self)
            return TracedEvent(
                tenantID: tenantID, id: id, name: name, occurredAt: occurredAt, actor: actor, traceParent: traceParent)
        }
    }
}
