import Foundation
import Postgres

/// A digest that carried an event of a trace, as `stedenband diagnostics trace` shows it.
public struct TracedDigest: Sendable, Codable, Equatable {
    /// The digest's id.
    public var id: UUID
    /// Its recipient.
    public var userID: UUID
    /// `pending`, `sent`, `empty` or `failed`.
    public var status: String
    /// How it went out: `email`, `webhook`.
    public var channels: [String]
    /// When it was sent, if it was.
    public var sentAt: Date?
    /// Why it failed, if it did.
    public var error: String?
    /// How many of its lines tell of the trace's events.
    public var tracedItems: Int
}

extension NotificationsPlugin {
    /// The digests of municipality `tenantID` that carry events of trace `traceID` (the inbox keeps each
    /// event's `traceparent`), oldest first; and how many of the trace's inbox lines wait for a digest still.
    /// Opens its own transaction, scoped to the municipality, on the app login's connection.
    public static func digests(traceID: String, tenantID: UUID, on connection: PostgresConnection) async throws
        -> (digests: [TracedDigest], waiting: Int)
    {
        try await connection.withTransaction(tenantID: tenantID, readOnly: true) { connection in
            let digests = try await connection.query(
                """
                SELECT d.id, d.user_id, d.status, d.channels, d.sent_at, d.error, count(*)::int8
                FROM notifications.inbox i
                JOIN notifications.digests d ON d.tenant_id = i.tenant_id AND d.id = i.digest_id
                WHERE substr(i.trace_parent, 4, 32) = \(traceID.lowercased())
                GROUP BY d.id, d.user_id, d.status, d.channels, d.sent_at, d.error, d.created_at
                ORDER BY d.created_at, d.id
                """
            ).map { row in
                let (id, user, status, channels, sentAt, error, items) =
                    try row.decode((UUID, UUID, String, [String], Date?, String?, Int).self)
                return TracedDigest(
                    id: id, userID: user, status: status, channels: channels, sentAt: sentAt, error: error,
                    tracedItems: items)
            }
            let waiting = try await connection.query(
                """
                SELECT count(*)::int8 FROM notifications.inbox i
                WHERE substr(i.trace_parent, 4, 32) = \(traceID.lowercased()) AND i.digest_id IS NULL
                """
            )[0].decode(Int.self, column: 0)
            return (digests, waiting)
        }
    }
}
