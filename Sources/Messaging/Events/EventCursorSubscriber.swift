import Foundation
import Logging
import Postgres
import RequestTracing

/// A queued subscriber as the cursor workers see it: its name, the events it hears and its batch handler for
/// each (docs/queue.md, "Event cursors").
struct EventCursorSubscriber: Sendable {
    /// The subscriber's name, unique in the process (`reporting.read_model`); it names its cursors.
    let name: String
    /// The names of the events it hears; the cursor moves past the others without reading them.
    let eventNames: [String]
    /// Failed attempts at one event before it goes to the dead letter.
    let maxAttempts: Int
    /// Per event name, the handler for a run of consecutive events of that name.
    let handlers: [String: EventSubscriptions.QueuedBatchHandler]
}

extension EventSubscriptions {
    /// Every queued subscriber, sorted by name, for the cursor workers.
    var cursorSubscribers: [EventCursorSubscriber] {
        queuedBatchHandlers.keys.sorted().map { subscriber in
            let handlers = queuedBatchHandlers[subscriber] ?? [:]
            return EventCursorSubscriber(
                name: subscriber,
                eventNames: handlers.keys.sorted(),
                maxAttempts: maxAttempts[subscriber] ?? PostgresJobQueue.defaultMaxAttempts,
                handlers: handlers)
        }
    }
}

extension EventCursorSubscriber {
    /// Hands one municipality's `events`, in order, to the handlers on `connection` (scoped to that
    /// municipality by the caller), consecutive events of one name together: a delivery from the cursor and an
    /// operator's redelivery of a dead event alike.
    ///
    /// A run of events published in one trace is handled in a span of that trace (``TraceParent/current``), so
    /// the handler's lines and the jobs it enqueues follow it; a run that mixes traces is handled outside any.
    /// Either way one line per trace says its events were handled, with that trace's ids.
    func handle(_ events: [StoredEvent], on connection: PostgresConnection, logger: Logger) async throws {
        var runs: [[StoredEvent]] = []
        for event in events {
            if runs.last?.last?.name == event.name {
                runs[runs.count - 1].append(event)
            } else {
                runs.append([event])
            }
        }
        for run in runs {
            guard let handler = handlers[run[0].name] else {
                throw EventDeliveryError(reason: "\(name) has no handler for \(run[0].name)")
            }
            var logger = logger
            logger[metadataKey: "subscriber"] = "\(name)"
            logger[metadataKey: "event.name"] = "\(run[0].name)"
            if run.count == 1 { logger[metadataKey: "event.id"] = "\(run[0].id.uuidString.lowercased())" }
            var traces: [String] = []
            for event in run {
                if let trace = event.traceParent, !traces.contains(trace) { traces.append(trace) }
            }
            let shared =
                traces.count == 1 && run.allSatisfy({ $0.traceParent != nil })
                ? TraceParent(header: traces[0])?.child() : nil
            let context = EventContext(connection: connection, logger: logger)
            try await TraceParent.$current.withValue(shared) { try await handler(run, context) }
            for trace in traces {
                guard let span = shared ?? TraceParent(header: trace)?.child() else { continue }
                let count = run.count(where: { $0.traceParent == trace })
                TraceParent.$current.withValue(span) {
                    logger.info("events handled", metadata: ["event.count": "\(count)"])
                }
            }
        }
    }
}
