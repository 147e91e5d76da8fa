/// An event could not be delivered to a subscriber.
public struct EventDeliveryError: Error, CustomStringConvertible {
    /// Why.
    public var reason: String

    public var description: String { "event delivery failed: \(reason)" }
}
