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
