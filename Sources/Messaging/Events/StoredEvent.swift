import Foundation
import Synchronization

/// An event as stored in `messaging.events`, before its payload is decoded.
struct StoredEvent: Sendable {
    var id: UUID
    var tenantID: UUID
    var name: String
    var payload: String
    var occurredAt: Date
    var actor: String?
    /// The `traceparent` of the request or job that published it, if it was traced.
    var traceParent: String? = nil

    /// The event decoded, from ``DecodedEvents/shared`` when another subscriber decoded it a moment ago.
    func envelope<E: Event>(as type: E.Type) throws -> EventEnvelope<E> {
        let event = try DecodedEvents.shared.event(self, as: E.self)
        return EventEnvelope(
            id: id, tenantID: tenantID, occurredAt: occurredAt, actor: actor, event: event, traceParent: traceParent)
    }

    /// Decodes the payload.
    func decode<E: Event>(as type: E.Type) throws -> E {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(E.self, from: Data(payload.utf8))
    }
}

/// The events this process decoded last, shared by the subscribers that hear them.
///
/// Every queued subscriber decodes the events it is delivered, and the cursors deliver a municipality's
/// events to each subscriber at about the same time, oldest municipality first. Decoding the JSON was the
/// largest part of a delivery's processor time in the process (docs/performance.md, "Event delivery from
/// cursors"), so the second subscriber takes the first one's value. Events never change, so an entry is never
/// stale; the oldest entry goes when the cache is full.
final class DecodedEvents: Sendable {
    /// The process's cache: a few delivery batches of every subscriber.
    static let shared = DecodedEvents(capacity: 4_096)

    private struct Key: Hashable {
        var tenantID: UUID
        var id: UUID
    }

    private struct State {
        var events: [Key: any Event] = [:]
        /// The keys in the order they came, as a ring; `next` is the oldest once the ring is full.
        var keys: [Key] = []
        var next = 0
    }

    private let capacity: Int
    private let state = Mutex(State())

    init(capacity: Int) {
        precondition(capacity >= 1, "the cache holds at least one event")
        self.capacity = capacity
    }

    /// `stored`'s event, decoded now or taken from the cache.
    func event<E: Event>(_ stored: StoredEvent, as type: E.Type) throws -> E {
        let key = Key(tenantID: stored.tenantID, id: stored.id)
        if let known = state.withLock({ $0.events[key] }) as? E { return known }
        let event = try stored.decode(as: E.self)
        state.withLock { state in
            guard state.events.updateValue(event, forKey: key) == nil else { return }
            if state.keys.count < capacity {
                state.keys.append(key)
            } else {
                state.events[state.keys[state.next]] = nil
                state.keys[state.next] = key
                state.next = (state.next + 1) % capacity
            }
        }
        return event
    }
}
