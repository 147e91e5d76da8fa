import Foundation
import Gateway
import Hummingbird
import Logging
import Messaging
import Postgres
import Synchronization

/// A domain module of the server: partnerships, activities, notifications, reporting.
///
/// A plugin is one value. When the server starts, each enabled plugin's ``register(into:)`` adds its routes,
/// event subscriptions, job kinds and periodic jobs to the ``PluginContext``; a plugin left out by
/// configuration never registers, so none of those exist. Plugins never import each other: they publish
/// and subscribe to events declared in `<Name>Contracts` targets.
public protocol Plugin: Sendable {
    /// A lowercase name, e.g. `partnerships`: it names the plugin in `STEDENBAND_PLUGINS` and its
    /// configuration section.
    var id: String { get }

    /// Adds the plugin's routes, subscriptions and jobs.
    func register(into context: inout PluginContext) throws
}

/// What a plugin registers into, and what it may use.
public struct PluginContext {
    /// The plugin's id.
    public let pluginID: String
    /// Routes under `/api/v1`, with the gateway's middleware in front.
    public let routes: RouterGroup<GatewayRequestContext>
    /// Routes at the root without authentication (request ids, logs and problems still apply), for pages
    /// reached from outside the API, such as an e-mail's unsubscribe link. The handler has no identity and
    /// no connection: it scopes its own transaction.
    public let publicRoutes: RouterGroup<GatewayRequestContext>
    /// Page routes at the root (`pages.signedIn`, `pages.anyone`) and the layout they render in: a page handler
    /// has the signed-in person's identity and request transaction, as a route under ``routes`` has.
    public let pages: Pages
    /// Event subscriptions: in-transaction and queued.
    public var events: EventSubscriptions
    /// Job kinds this process will run.
    public var jobs: JobKinds
    /// Jobs enqueued on a schedule.
    public var periodicJobs: [PeriodicJob]
    /// Publishes events; usable once every plugin registered (in handlers, not in `register`).
    public let publisher: EventPublisher
    /// The queue, to enqueue jobs in a transaction.
    public let queue: PostgresJobQueue
    /// The pool, connected as the app role.
    public let pool: PostgresConnectionPool
    /// Who the municipality's users are (name, e-mail, locale, time zone, role, municipality), read in the
    /// caller's transaction: a plugin reads them here, never from the gateway's `platform` tables.
    public let people: any People
    /// A logger labelled with the plugin's id.
    public let logger: Logger
    /// The plugin's configuration section.
    public let configuration: PluginConfiguration
    /// The OpenAPI document: describe every route added to ``routes`` (a test fails otherwise).
    public let documentation: APIDocumentation
}

/// Publishes on the event bus; the bus exists once every plugin subscribed, so routes and jobs capture
/// this handle during registration and publish through it later.
public struct EventPublisher: Sendable {
    let reference: BusReference

    /// Publishes `event` in the transaction on `connection`; see ``EventBus/publish(_:tenantID:actor:in:)``.
    @discardableResult
    public func publish<E: Event>(
        _ event: E,
        tenantID: UUID,
        actor: String? = nil,
        in connection: PostgresConnection
    ) async throws -> UUID {
        try await reference.bus.publish(event, tenantID: tenantID, actor: actor, in: connection)
    }

    /// Publishes several events of one type in one round trip; the bus's batch publish.
    @discardableResult
    public func publish<E: Event>(
        _ events: [E],
        tenantID: UUID,
        actor: String? = nil,
        in connection: PostgresConnection
    ) async throws -> [UUID] {
        try await reference.bus.publish(events, tenantID: tenantID, actor: actor, in: connection)
    }

    /// Encodes events for a later ``publish(_:in:)``; see ``EventBus/prepare(_:tenantID:actor:)``.
    public func prepare<E: Event>(_ events: [E], tenantID: UUID, actor: String? = nil) throws -> PreparedEvents<E> {
        try reference.bus.prepare(events, tenantID: tenantID, actor: actor)
    }

    /// Publishes prepared events in the transaction on `connection`.
    public func publish<E: Event>(_ prepared: PreparedEvents<E>, in connection: PostgresConnection) async throws {
        try await reference.bus.publish(prepared, in: connection)
    }
}

extension EventPublisher {
    /// Publishes `event` for the caller's tenant, with the caller as actor.
    @discardableResult
    public func publish<E: Event>(_ event: E, as access: TenantAccess, in connection: PostgresConnection) async throws
        -> UUID
    {
        try await publish(event, tenantID: access.tenantID, actor: access.actor, in: connection)
    }

    /// Publishes several events for the caller's tenant in one round trip, with the caller as actor.
    @discardableResult
    public func publish<E: Event>(_ events: [E], as access: TenantAccess, in connection: PostgresConnection)
        async throws -> [UUID]
    {
        try await publish(events, tenantID: access.tenantID, actor: access.actor, in: connection)
    }

    /// Encodes events for the caller's tenant, with the caller as actor, for a later ``publish(_:in:)``.
    public func prepare<E: Event>(_ events: [E], as access: TenantAccess) throws -> PreparedEvents<E> {
        try prepare(events, tenantID: access.tenantID, actor: access.actor)
    }
}

/// The bus, bound once after registration.
final class BusReference: Sendable {
    private let bound = Mutex<EventBus?>(nil)

    func bind(_ bus: EventBus) {
        bound.withLock { $0 = bus }
    }

    var bus: EventBus {
        guard let bus = bound.withLock({ $0 }) else {
            preconditionFailure("events can be published once every plugin has registered, not during register(into:)")
        }
        return bus
    }
}
