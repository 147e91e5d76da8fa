import Foundation
import Postgres

/// Events ready to publish: ids given, payloads encoded (``EventBus/prepare(_:tenantID:actor:)``).
public struct PreparedEvents<E: Event>: Sendable {
    /// The events' ids, in order.
    public let ids: [UUID]
    let events: [E]
    let tenantID: UUID
    let actor: String?
    let occurredAt: Date
    let statements: [PostgresQuery]
    /// Whether queued subscribers hear these events, so the deliveries must be woken after the commit.
    let wakesDeliveries: Bool
}
