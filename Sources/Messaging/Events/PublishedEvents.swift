import Foundation

/// An event as stored in `messaging.events`, before its payload is decoded.
/// The events of one publish, as the in-transaction subscribers hear them.
struct PublishedEvents: Sendable {
    var ids: [UUID]
    var events: any Sendable
    var tenantID: UUID
    var occurredAt: Date
    var actor: String?
}
