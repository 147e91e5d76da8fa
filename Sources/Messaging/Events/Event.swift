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
