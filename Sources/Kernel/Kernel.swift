import Foundation
import Gateway
import Hummingbird
import Logging
import Messaging
import Postgres

/// The plugins' registrations, put together: the event bus, the job kinds and the periodic jobs.
public struct Kernel: Sendable {
    /// The bus every plugin publishes on.
    public let bus: EventBus
    /// Every job kind, the event deliveries included.
    public let jobKinds: JobKinds
    /// Every periodic job.
    public let periodicJobs: [PeriodicJob]
    /// The ids of the plugins that registered, in order.
    public let enabledPlugins: [String]
    /// The handle plugins publish through, bound to ``bus``.
    public let publisher: EventPublisher

    /// Registers the enabled plugins on `router` (under `/api/v1`) and gathers what they declared.
    ///
    /// - Parameter people: how plugins read who a user is; the gateway's `platform` tables by default.
    /// - Throws: ``ConfigurationError`` when the configuration names a plugin that does not exist, or
    ///   whatever a plugin's `register(into:)` throws.
    public static func assemble(
        plugins: [any Plugin],
        configuration: KernelConfiguration,
        router: Router<GatewayRequestContext>,
        environment: GatewayEnvironment,
        queue: PostgresJobQueue,
        people: any People = PostgresPeople(),
        logger: Logger
    ) throws -> Kernel {
        let known = Set(plugins.map(\.id))
        precondition(known.count == plugins.count, "two plugins share an id")
        if let wanted = configuration.plugins {
            let unknown = wanted.filter { !known.contains($0) }
            guard unknown.isEmpty else {
                throw ConfigurationError(
                    reason: "unknown plugin(s) \(unknown.joined(separator: ", ")); "
                        + "known: \(known.sorted().joined(separator: ", "))"
                )
            }
        }
        let enabled = plugins.filter { configuration.plugins?.contains($0.id) ?? true }
        let reference = BusReference()
        let pool = environment.pool
        let api = apiRoutes(router, environment: environment)
        let publicRoutes = router.group()
        let pages = Pages(router: router, environment: environment)
        var events = EventSubscriptions()
        var jobs = JobKinds()
        var periodic: [PeriodicJob] = []
        for plugin in enabled {
            var pluginLogger = logger
            pluginLogger[metadataKey: "plugin"] = "\(plugin.id)"
            var context = PluginContext(
                pluginID: plugin.id,
                routes: api,
                publicRoutes: publicRoutes,
                pages: pages,
                events: events,
                jobs: jobs,
                periodicJobs: periodic,
                publisher: EventPublisher(reference: reference),
                queue: queue,
                pool: pool,
                people: people,
                logger: pluginLogger,
                configuration: PluginConfiguration(configuration.settings[plugin.id] ?? [:]),
                documentation: environment.documentation
            )
            try plugin.register(into: &context)
            events = context.events
            jobs = context.jobs
            periodic = context.periodicJobs
        }
        let bus = EventBus(subscriptions: events, queue: queue)
        reference.bind(bus)
        logger.info("plugins registered", metadata: ["plugins": "\(enabled.map(\.id).joined(separator: ","))"])
        return Kernel(
            bus: bus,
            jobKinds: jobs,
            periodicJobs: periodic,
            enabledPlugins: enabled.map(\.id),
            publisher: EventPublisher(reference: reference)
        )
    }
}
