import Foundation

/// An event as stored in `messaging.events`, before its payload is decoded.
struct StoredEvent: Sendable {
    var id: UUID
    var tenantID: UUID
    var name: String
    var payload: String
    var occurredAt: Date
    var actor: String?

    func envelope<E: Event>(as type: E.Type) throws -> EventEnvelope<E> {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        let event = try decoder.decode(E.self, from: Data(payload.utf8))
        return EventEnvelope(id: id, tenantID: tenantID, occurredAt: occurredAt, actor: actor, event: event)
    }
}
