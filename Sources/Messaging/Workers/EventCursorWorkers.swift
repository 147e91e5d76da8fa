import Foundation
import Logging
import Metrics
import Postgres
import ServiceLifecycle
import Synchronization

/// Delivers events to the queued subscribers from their cursors (docs/queue.md, "Event cursors"): each
/// subscriber has a place in each municipality's event log, and a delivery takes up to
/// ``Configuration/batchSize`` events after it, hands them to the subscriber's handlers and moves the cursor
/// past them, all in one transaction, which holds the cursor while it runs. Nothing is written per event.
///
/// ``Configuration/concurrency`` deliveries run at once in a process, never two of one subscriber and
/// municipality (across processes, the cursor's row lock sees to that). A batch that fails rolls back whole;
/// its events are then delivered one by one, and the one that fails alone is retried with a backoff, the
/// cursor waiting, until its subscriber's last attempt sends it to the dead letter and the cursor moves on.
/// Woken by a NOTIFY on ``PostgresJobQueue/channel`` (sent when a publishing transaction commits), and every
/// ``Configuration/pollInterval``: one waiting loop each time, and one more for every delivery made. On
/// graceful shutdown the deliveries running finish within ``Configuration/shutdownGracePeriod``; after it they
/// are cancelled and roll back, and their events wait for the next process.
public final class EventCursorWorkers: Service {
    /// How many deliveries run at once, how large they are, and how often things happen.
    public struct Configuration: Sendable {
        /// The most events one delivery takes.
        public var batchSize: Int
        /// Deliveries running at once in this process.
        public var concurrency: Int
        /// How often to look for events when no notification came.
        public var pollInterval: Duration
        /// How long one delivery may take; a longer one is cancelled and fails.
        public var timeout: Duration
        /// How long running deliveries may take to finish on shutdown.
        public var shutdownGracePeriod: Duration

        /// The default batch size: large enough that a transaction's fixed costs (its round trips, taking the
        /// cursor, moving it) vanish per event, small enough that a delivery takes well under a second.
        public static let defaultBatchSize = 500
        /// The default number of deliveries at once: each holds a pool connection for its transaction, and the
        /// pool has 10.
        public static let defaultConcurrency = 4

        /// Makes a configuration.
        public init(
            batchSize: Int = Configuration.defaultBatchSize,
            concurrency: Int = Configuration.defaultConcurrency,
            pollInterval: Duration = JobWorkers.Configuration.defaultPollInterval,
            timeout: Duration = JobKind.defaultTimeout,
            shutdownGracePeriod: Duration = JobWorkers.Configuration.defaultShutdownGracePeriod
        ) {
            precondition(batchSize >= 1, "a delivery takes at least one event")
            precondition(concurrency >= 1, "deliveries need a concurrency of at least 1")
            self.batchSize = batchSize
            self.concurrency = concurrency
            self.pollInterval = pollInterval
            self.timeout = timeout
            self.shutdownGracePeriod = shutdownGracePeriod
        }
    }

    /// How one delivery attempt ended.
    private enum Attempt {
        /// No event waited for the subscriber (in any municipality it may take).
        case nothing
        /// The cursor moved past `moved` events, `delivered` of them heard by the subscriber.
        case delivered(tenantID: UUID, moved: Int, delivered: Int)
        /// It failed and rolled back.
        case failed(EventCursors.Batch, any Error)
        /// It was cancelled by a shutdown and rolled back.
        case stopped(tenantID: UUID)
    }

    /// The configuration.
    public let configuration: Configuration
    private let subscribers: [EventCursorSubscriber]
    private let pool: PostgresConnectionPool
    private let clock: any WallClock
    private let retryPolicy: RetryPolicy
    private let listener: PostgresListener?
    private let logger: Logger
    /// Per subscriber, the municipalities it is being delivered to in this process.
    private let busy = Mutex<[String: Set<UUID>]>([:])
    /// Per subscriber, the municipalities a notification named since it last looked at them, with how many
    /// notifications named each: looked at first, and alone, so that a municipality's new event does not cost a
    /// look at every other municipality. A look that finds nothing forgets the municipality only if no
    /// notification named it again meanwhile (its event may have committed after the look's snapshot).
    private let named = Mutex<[String: [UUID: Int]]>([:])
    /// Per subscriber that must look at every municipality, how often it was asked to: at the start, after each
    /// poll and after a notification that named none, and while such a look finds events. It finds what no
    /// notification brought: events whose notification was lost, and cursors whose retry came due.
    private let lookEverywhere: Mutex<[String: Int]>
    private let stopping = Mutex(false)
    /// The delivery loops waiting to be woken, most recent last.
    private let idle = Mutex<[Int]>([])
    /// One wake-up stream per delivery loop, and one for the shutdown's grace period.
    private let wakeups: [(stream: AsyncStream<Void>, continuation: AsyncStream<Void>.Continuation)]
    private let stops = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))

    /// Makes the workers for the queued subscribers of `subscriptions`; `listenOn` is the connection to
    /// LISTEN with (nil: poll only).
    public init(
        configuration: Configuration = Configuration(),
        subscriptions: EventSubscriptions,
        pool: PostgresConnectionPool,
        clock: any WallClock,
        retryPolicy: RetryPolicy = RetryPolicy(),
        listenOn: PostgresConfiguration?,
        logger: Logger
    ) {
        self.configuration = configuration
        self.subscribers = subscriptions.cursorSubscribers
        self.pool = pool
        self.clock = clock
        self.retryPolicy = retryPolicy
        self.listener = listenOn.map {
            PostgresListener(configuration: $0, channels: [PostgresJobQueue.channel], logger: logger)
        }
        self.logger = logger
        self.wakeups = (0..<configuration.concurrency).map { _ in
            AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        }
        self.lookEverywhere = Mutex(
            Dictionary(uniqueKeysWithValues: subscriptions.cursorSubscribers.map { ($0.name, 1) }))
    }

    /// The notification a publishing transaction sends once it committed: it wakes the deliveries and names
    /// the municipality whose events wait (the job workers on the same channel only wake).
    public static func wakeQuery(_ tenantID: UUID) -> PostgresQuery {
        "SELECT pg_notify(\(PostgresJobQueue.channel), \(tenantID.postgresText))"
    }

    /// Notes what a notification says: the municipality it names has events waiting for every subscriber;
    /// one that names none (a job's, a test's marker) has every subscriber look everywhere.
    private func heard(_ payload: String) {
        if let tenantID = UUID(uuidString: payload) {
            named.withLock { named in
                for subscriber in subscribers { named[subscriber.name, default: [:]][tenantID, default: 0] += 1 }
            }
        } else {
            lookEverywhereNext()
        }
    }

    private func lookEverywhereNext() {
        lookEverywhere.withLock { due in
            for subscriber in subscribers { due[subscriber.name, default: 0] += 1 }
        }
    }

    /// The names of the subscribers delivered to, sorted.
    public var subscriberNames: [String] { subscribers.map(\.name) }

    private var isStopping: Bool { stopping.withLock { $0 } }

    /// Wakes every delivery loop, or makes sure that each looks again once it waits.
    public func wake() {
        for wakeup in wakeups { wakeup.continuation.yield() }
    }

    /// Wakes one waiting delivery loop, if any waits (a busy one looks again when its delivery ends). A
    /// notification or the poll wakes one; a loop that delivered something wakes one more, so the loops join
    /// in while there is work, and an idle process polls with one loop, not all.
    private func wakeOne() {
        guard let index = idle.withLock({ $0.popLast() }) else { return }
        wakeups[index].continuation.yield()
    }

    public func run() async throws {
        guard !subscribers.isEmpty else {
            logger.info("no queued subscribers; event deliveries idle")
            try? await gracefulShutdown()
            return
        }
        logger.info("event deliveries started", metadata: ["concurrency": "\(configuration.concurrency)"])
        enum Ended { case deliveries, graceOver, helper }
        await withGracefulShutdownHandler {
            await withTaskGroup(of: Ended.self) { group in
                group.addTask {
                    await withDiscardingTaskGroup { loops in
                        for index in self.wakeups.indices { loops.addTask { await self.deliver(loop: index) } }
                    }
                    return .deliveries
                }
                group.addTask {
                    guard let listener = self.listener else { return .helper }
                    for await event in listener.events() {
                        switch event {
                        case .notification(let notification): self.heard(notification.payload)
                        default: self.lookEverywhereNext()
                        }
                        self.wakeOne()
                        if Task.isCancelled { break }
                    }
                    return .helper
                }
                group.addTask {
                    while !Task.isCancelled {
                        try? await Task.sleep(for: self.configuration.pollInterval)
                        self.lookEverywhereNext()
                        self.wakeOne()
                    }
                    return .helper
                }
                group.addTask {
                    var stops = self.stops.stream.makeAsyncIterator()
                    guard await stops.next() != nil, !Task.isCancelled else { return .helper }
                    try? await Task.sleep(for: self.configuration.shutdownGracePeriod)
                    return Task.isCancelled ? .helper : .graceOver
                }
                while let ended = await group.next() {
                    if ended == .graceOver {
                        logger.warning("event deliveries still running after the grace period are rolled back")
                    }
                    if ended != .helper { group.cancelAll() }
                    if ended == .deliveries { break }
                }
            }
        } onGracefulShutdown: {
            self.stop()
        }
        logger.info("event deliveries stopped")
    }

    /// Stops taking batches; ``run()`` returns once the running deliveries finished or the grace period ran
    /// out.
    public func stop() {
        stopping.withLock { $0 = true }
        stops.continuation.yield()
        wake()
    }

    /// Delivers every waiting event whose cursor is not waiting for a retry, until none is left; for tests
    /// and one-off drains.
    ///
    /// - Returns: How many events were handed to their subscribers and committed.
    @discardableResult
    public func drain() async -> Int {
        var total = 0
        while true {
            lookEverywhereNext()
            var progressed = false
            for subscriber in subscribers {
                let (moved, delivered) = await deliverNext(subscriber)
                progressed = progressed || moved
                total += delivered
            }
            if !progressed { return total }
        }
    }

    /// One delivery loop: delivers the subscribers' batches in turn while any waits, then waits to be woken.
    private func deliver(loop index: Int) async {
        var wakeups = self.wakeups[index].stream.makeAsyncIterator()
        // Loops start at different subscribers, so that each is served by some loop first.
        var next = index % subscribers.count
        while !isStopping && !Task.isCancelled {
            var progressed = false
            for offset in subscribers.indices {
                let subscriber = subscribers[(next + offset) % subscribers.count]
                if await deliverNext(subscriber).moved {
                    next = (next + offset + 1) % subscribers.count
                    progressed = true
                    break
                }
            }
            if progressed {
                wakeOne()
                continue
            }
            idle.withLock { $0.append(index) }
            let woken = await wakeups.next() != nil
            idle.withLock { $0.removeAll { $0 == index } }
            guard woken else { return }
        }
    }

    /// Delivers `subscriber`'s next batch, in a municipality it is not being delivered to in this process;
    /// when the batch fails, its events one by one until one fails alone, which is then recorded.
    ///
    /// - Returns: Whether a cursor moved or recorded a failure, and how many events were delivered.
    private func deliverNext(_ subscriber: EventCursorSubscriber) async -> (moved: Bool, delivered: Int) {
        let busy = self.busy.withLock { $0[subscriber.name, default: []] }
        var attempt = Attempt.nothing
        // The municipalities a notification named first, each alone; then, when due, every municipality.
        while case .nothing = attempt,
            let (tenantID, asked) = named.withLock({ $0[subscriber.name]?.first { !busy.contains($0.key) } })
        {
            attempt = await attemptDelivery(subscriber, limit: configuration.batchSize, busy: [], only: tenantID)
            if case .nothing = attempt {
                named.withLock { if $0[subscriber.name]?[tenantID] == asked { $0[subscriber.name]?[tenantID] = nil } }
            }
        }
        if case .nothing = attempt, let asked = lookEverywhere.withLock({ $0[subscriber.name] }) {
            attempt = await attemptDelivery(
                subscriber, limit: configuration.batchSize, busy: Array(busy), only: nil)
            if case .nothing = attempt {
                lookEverywhere.withLock { if $0[subscriber.name] == asked { $0[subscriber.name] = nil } }
            }
        }
        switch attempt {
        case .nothing:
            return (false, 0)
        case .stopped(let tenantID):
            release(subscriber, tenantID)
            return (false, 0)
        case .delivered(let tenantID, _, let delivered):
            release(subscriber, tenantID)
            return (true, delivered)
        case .failed(let batch, let error):
            defer { release(subscriber, batch.tenantID) }
            guard batch.attempt == 0 && batch.entries.count > 1 else {
                return (await recordFailure(subscriber, batch, error), 0)
            }
            logger.notice(
                "a batch of events failed; its events are delivered one by one",
                metadata: ["subscriber": "\(subscriber.name)", "error": "\(error)"])
            var delivered = 0
            for _ in batch.entries {
                switch await attemptDelivery(subscriber, limit: 1, busy: [], only: batch.tenantID) {
                case .nothing, .stopped:
                    return (true, delivered)
                case .delivered(_, _, let count):
                    delivered += count
                case .failed(let single, let error):
                    _ = await recordFailure(subscriber, single, error)
                    return (true, delivered)
                }
            }
            return (true, delivered)
        }
    }

    private func release(_ subscriber: EventCursorSubscriber, _ tenantID: UUID) {
        _ = busy.withLock { $0[subscriber.name]?.remove(tenantID) }
    }

    /// Takes a batch and delivers it in one transaction; marks its municipality busy for the subscriber.
    private func attemptDelivery(
        _ subscriber: EventCursorSubscriber, limit: Int, busy: [UUID], only: UUID?
    ) async -> Attempt {
        var taken: EventCursors.Batch?
        let clock = ContinuousClock()
        let began = clock.now
        do {
            let delivered = try await pool.withTransaction { connection -> Int in
                guard
                    let batch = try await EventCursors.take(
                        subscriber, limit: limit, busy: busy, only: only, at: self.clock.now(), on: connection)
                else { return 0 }
                taken = batch
                _ = self.busy.withLock { $0[subscriber.name, default: []].insert(batch.tenantID) }
                try await connection.sendWithNext([
                    "SELECT set_config('app.tenant_id', \(batch.tenantID.postgresText), true)"
                ])
                try await withTimeout(configuration.timeout) {
                    try await subscriber.handle(batch.events, on: connection, logger: self.logger)
                }
                guard let last = batch.entries.last else { return 0 }
                try await EventCursors.advance(
                    subscriber, tenantID: batch.tenantID, to: last.place, at: self.clock.now(), on: connection)
                return batch.events.count
            }
            guard let taken else { return .nothing }
            let dimensions = [("subscriber", subscriber.name)]
            Counter(label: "stedenband_events_delivered_total", dimensions: dimensions).increment(by: delivered)
            Timer(label: "stedenband_event_deliveries_duration_seconds", dimensions: dimensions)
                .record(duration: clock.now - began)
            return .delivered(tenantID: taken.tenantID, moved: taken.entries.count, delivered: delivered)
        } catch {
            guard let taken else {
                logger.warning(
                    "taking a batch of events failed",
                    metadata: ["subscriber": "\(subscriber.name)", "error": "\(error)"])
                return .nothing
            }
            if error is CancellationError && isStopping { return .stopped(tenantID: taken.tenantID) }
            return .failed(taken, error)
        }
    }

    /// Records the failure of a batch of one event: the cursor waits for a retry, or the event goes to the
    /// dead letter. Answers whether the cursor changed.
    private func recordFailure(
        _ subscriber: EventCursorSubscriber, _ batch: EventCursors.Batch, _ error: any Error
    ) async -> Bool {
        guard let entry = batch.entries.first else { return false }
        let attempt = batch.attempt + 1
        let now = clock.now()
        let retryAt = now.addingTimeInterval(retryPolicy.delay(afterAttempt: attempt))
        var logger = self.logger
        logger[metadataKey: "subscriber"] = "\(subscriber.name)"
        logger[metadataKey: "event.id"] = "\(entry.id.uuidString.lowercased())"
        logger[metadataKey: "event.attempt"] = "\(attempt)"
        do {
            let outcome = try await pool.withConnection { connection in
                try await EventCursors.fail(
                    subscriber, tenantID: batch.tenantID, from: batch.from, entry: entry,
                    error: String(describing: error), retryAt: retryAt, at: now, on: connection)
            }
            let dimensions = [("subscriber", subscriber.name)]
            switch outcome {
            case .retried:
                logger.warning("an event failed; it will be delivered again", metadata: ["error": "\(error)"])
                Counter(label: "stedenband_events_failed_total", dimensions: dimensions).increment()
            case .dead:
                logger.error(
                    "an event failed its last attempt and went to the dead letter", metadata: ["error": "\(error)"])
                Counter(label: "stedenband_events_dead_total", dimensions: dimensions).increment()
            case .leftAlone:
                return false
            }
            return true
        } catch {
            logger.error("recording a failed event failed; it is delivered again", metadata: ["error": "\(error)"])
            return false
        }
    }
}
