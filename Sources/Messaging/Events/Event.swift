import Foundation

/// Something that happened in a plugin, published on the ``EventBus`` for the others.
///
/// An event has a stable, versioned name (`activities.activity_recorded.v1`): never change a shipped
/// version's shape, add `.v2` instead. It carries the ids and the state subscribers need, with the
/// aggregate's version so a subscriber can ignore stale ones.
public protocol Event: Codable, Sendable {
    /// `<plugin>.<what_happened>.v<N>`.
    static var name: String { get }
    /// The id of the thing the event is about (a partnership, an activity).
    var aggregateID: UUID { get }
    /// That thing's version after the change, increasing by one per change.
    var aggregateVersion: Int { get }
}

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

    /// Makes an envelope.
    public init(id: UUID, tenantID: UUID, occurredAt: Date, actor: String?, event: Payload) {
        self.id = id
        self.tenantID = tenantID
        self.occurredAt = occurredAt
        self.actor = actor
        self.event = event
    }
}

/// Why an event name is refused: it must read `<plugin>.<what_happened>.v<N>` in lowercase.
public struct InvalidEventName: Error, CustomStringConvertible {
    /// The refused name.
    public var name: String

    public var description: String {
        "invalid event name \"\(name)\": expected <plugin>.<what_happened>.v<N>, e.g. activities.activity_recorded.v1"
    }

    static func check(_ name: String) throws(InvalidEventName) {
        let parts = name.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count >= 3, let version = parts.last, version.hasPrefix("v"), version.count > 1,
            version.dropFirst().allSatisfy(\.isNumber),
            parts.dropLast().allSatisfy({ part in
                guard let first = part.first, first.isLowercase, first.isASCII else { return false }
                return part.allSatisfy { ($0.isLowercase && $0.isASCII) || $0.isNumber || $0 == "_" }
            })
        else { throw InvalidEventName(name: name) }
    }
}
