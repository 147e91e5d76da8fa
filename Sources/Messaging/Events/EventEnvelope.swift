import Foundation

/// An event with what the bus adds to it: its id, tenant, time and actor.
public struct EventEnvelope<Payload: Event>: Sendable {
    /// The event's id, unique for ever.
    public var id: UUID
    /// The tenant it belongs to.
    public var tenantID: UUID
    /// When it was published.
    public var occurredAt: Date
    /// Who caused it (a user id, `system`), if known.
    public var actor: String?
    /// The event itself.
    public var event: Payload
    /// The `traceparent` of the request or job that published it (docs/logs-and-traces.md), if it was traced.
    public var traceParent: String?

    /// Makes an envelope.
    public init(
        id: UUID, tenantID: UUID, occurredAt: Date, actor: String?, event: Payload, traceParent: String? = nil
    ) {
        self.id = id
        self.tenantID = tenantID
        self.occurredAt = occurredAt
        self.actor = actor
        self.event = event
        self.traceParent = traceParent
    }
}
