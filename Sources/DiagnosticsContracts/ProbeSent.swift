import Foundation
import Messaging

/// A probe sent through the event pipeline, to check from end to end that events reach queued subscribers
/// (`stedenband diagnostics probe`).
public struct ProbeSent: Event {
    public static let name = "diagnostics.probe_sent.v1"

    /// The probe's id.
    public var aggregateID: UUID
    /// Always 1: a probe never changes.
    public var aggregateVersion: Int
    /// How long the receiver waits before it records the probe, to simulate a slow handler.
    public var delayMilliseconds: Int

    /// Makes a probe.
    public init(probeID: UUID, delayMilliseconds: Int = 0) {
        self.aggregateID = probeID
        self.aggregateVersion = 1
        self.delayMilliseconds = delayMilliseconds
    }
}
