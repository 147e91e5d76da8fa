import DiagnosticsContracts
import Foundation
import Kernel
import Messaging
import Postgres

/// Receives probes and records each once in `diagnostics.probe_receipts`, so an operator can check that
/// events flow from publisher to queued subscriber, and tests can kill workers mid-delivery.
public struct DiagnosticsPlugin: Plugin {
    public let id = "diagnostics"

    /// Makes the plugin.
    public init() {}

    /// The subscriber that records probes.
    public static let receiver = "diagnostics.probe_receiver"

    public func register(into context: inout PluginContext) throws {
        context.events.subscribe(to: ProbeSent.self, as: Self.receiver) { envelope, events in
            if envelope.event.delayMilliseconds > 0 {
                try await Task.sleep(for: .milliseconds(envelope.event.delayMilliseconds))
            }
            try await events.connection.query(
                """
                INSERT INTO diagnostics.probe_receipts (tenant_id, probe_id, event_id, sent_at, received_at)
                VALUES (\(envelope.tenantID), \(envelope.event.aggregateID), \(envelope.id), \(envelope.occurredAt), clock_timestamp())
                """
            )
        }
    }
}
