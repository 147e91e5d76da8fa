import Logging
import Postgres

/// What a queued subscriber's handler gets: the connection of its own transaction (scoped to the event's
/// tenant), and a logger.
public struct EventContext: Sendable {
    /// The handler's transaction, with `app.tenant_id` set to the event's tenant.
    public let connection: PostgresConnection
    /// A logger with the event's name and id.
    public let logger: Logger
}
