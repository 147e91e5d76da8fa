import Foundation

/// The events of one publish, as the in-transaction subscribers hear them.
struct PublishedEvents: Sendable {
    var ids: [UUID]
    var events: any Sendable
    var tenantID: UUID
    var occurredAt: Date
    var actor: String?
}
