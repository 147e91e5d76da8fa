import Delivery
import Foundation
import Gateway
import Hummingbird
import Kernel
import Logging
import Messaging
import Postgres

/// Digests for the members of each partnership: what changed in their partnerships, in their language, at
/// their hour, by e-mail.
///
/// An inbox subscriber writes one row per member for every partnership and activity event; a scheduler
/// that runs every 15 seconds claims the digests whose send time has come; a delivery job per digest checks
/// the members again, renders and sends it.
public struct NotificationsPlugin: Plugin {
    public let id = "notifications"
    let mail: (any MailTransport)?
    let webhooks: WebhookSender?
    let resolver: HostResolver

    /// Makes the plugin; without `mail` digests are kept and shown by the API but not e-mailed, without
    /// `webhooks` users' webhooks are not called. `resolver` looks up the host of a webhook URL a user sets.
    public init(mail: (any MailTransport)?, webhooks: WebhookSender? = nil, resolver: HostResolver = .system) {
        self.mail = mail
        self.webhooks = webhooks
        self.resolver = resolver
    }

    /// The setting (`STEDENBAND_NOTIFICATIONS_ALLOW_PRIVATE_WEBHOOKS`) that lets webhooks reach loopback and
    /// private addresses, for development and tests; off by default.
    static let allowPrivateWebhooksSetting = "allowPrivateWebhooks"

    public func register(into context: inout PluginContext) throws {
        Inbox.register(into: &context.events, people: context.people)
        let publicURL = context.configuration.string("publicUrl") ?? Self.defaultPublicURL
        let policy = WebhookAddressPolicy(
            allowsPrivateNetworks: try context.configuration.bool(Self.allowPrivateWebhooksSetting) ?? false)
        if policy.allowsPrivateNetworks {
            context.logger.warning(
                """
                STEDENBAND_NOTIFICATIONS_ALLOW_PRIVATE_WEBHOOKS is on: users' webhooks may reach loopback and \
                private addresses, inside the network this server runs in; for development and tests only
                """)
        }
        // The plugin's setting decides, whatever the sender was made with.
        let webhooks = self.webhooks?.with(addressPolicy: policy)
        let renderer = try DigestRenderer()
        let delivery = DigestDelivery(
            pool: context.pool, people: context.people, mail: mail, webhooks: webhooks, queue: context.queue,
            renderer: renderer,
            publicURL: publicURL, logger: context.logger)
        let service = NotificationsService(
            people: context.people, webhookCheck: WebhookURLCheck(policy: policy, resolver: resolver),
            publicURL: publicURL,
            scheduler: DigestScheduler(pool: context.pool, queue: context.queue, logger: context.logger))
        // The queue's clock, so tests that move it move the schedule, the windows and the backoff together.
        let clock = context.queue.clock
        context.jobs.register(
            JobKind(name: Self.scheduleJobKind, maxAttempts: 3, timeout: .seconds(300)) { _ in
                try await service.scheduleDigests(at: clock.now())
            })
        context.jobs.register(
            JobKind(
                name: DigestScheduler.deliverJobKind, maxAttempts: Self.deliverMaxAttempts, timeout: .seconds(120)
            ) { job in
                let arguments = try job.job.decodeArgs(DeliverDigest.self)
                guard let tenant = job.job.tenantID else { return }
                let lastAttempt = job.job.isLastAttempt(ofKindAllowing: Self.deliverMaxAttempts)
                do {
                    try await delivery.deliver(
                        digestID: arguments.digestId, tenantID: tenant, now: clock.now(), lastAttempt: lastAttempt)
                } catch  where lastAttempt {
                    // The queue discards the job after this; without this the digest would stay `pending`
                    // forever. The error is rethrown so the job keeps it in its history too.
                    try? await delivery.giveUp(
                        digestID: arguments.digestId, tenantID: tenant, attempts: job.job.attempt, error: error,
                        now: clock.now())
                    throw error
                }
            })
        context.jobs.register(
            JobKind(
                name: DigestDelivery.webhookJobKind, maxAttempts: Self.webhookMaxAttempts, timeout: .seconds(60)
            ) { job in
                let arguments = try job.job.decodeArgs(DeliverDigest.self)
                guard let tenant = job.job.tenantID else { return }
                try await delivery.deliverWebhook(
                    digestID: arguments.digestId, tenantID: tenant,
                    lastAttempt: job.job.isLastAttempt(ofKindAllowing: Self.webhookMaxAttempts), now: clock.now())
            })
        let reminders = ReminderDelivery(
            pool: context.pool, people: context.people, mail: mail, renderer: renderer, publicURL: publicURL,
            logger: context.logger)
        context.jobs.register(
            JobKind(name: Self.reminderJobKind, maxAttempts: 3, timeout: .seconds(300)) { _ in
                try await service.scheduleReminders(at: clock.now())
            })
        context.jobs.register(
            JobKind(
                name: ReminderScheduler.deliverJobKind, maxAttempts: Self.deliverMaxAttempts, timeout: .seconds(120)
            ) { job in
                let arguments = try job.job.decodeArgs(DeliverReminder.self)
                guard let tenant = job.job.tenantID else { return }
                let lastAttempt = job.job.isLastAttempt(ofKindAllowing: Self.deliverMaxAttempts)
                do {
                    try await reminders.deliver(
                        reminderID: arguments.reminderId, tenantID: tenant, now: clock.now(), lastAttempt: lastAttempt)
                } catch  where lastAttempt {
                    try? await reminders.giveUp(
                        reminderID: arguments.reminderId, tenantID: tenant, attempts: job.job.attempt, error: error,
                        now: clock.now())
                    throw error
                }
            })
        context.periodicJobs.append(
            // Every 15 minutes: a reminder's mail goes at most 15 minutes after the person's send hour.
            PeriodicJob(name: Self.reminderJobKind, schedule: .every(900)) {
                try NewJob(kind: Self.reminderJobKind, uniqueKey: Self.reminderJobKind)
            })
        context.periodicJobs.append(
            // Every 15 s: an immediate digest goes out at most 15 s after the minute whose changes it gathers.
            PeriodicJob(name: Self.scheduleJobKind, schedule: .every(15)) {
                try NewJob(kind: Self.scheduleJobKind, uniqueKey: Self.scheduleJobKind)
            })
        let controller = NotificationsController(service: service, renderer: renderer, pool: context.pool)
        context.routes.addRoutes(controller.routes)
        context.publicRoutes.addRoutes(controller.publicRoutes)
        NotificationsDocumentation.register(in: context.documentation)
        let settingsPage = try NotificationsSettingsPage(service: service)
        settingsPage.register(pages: context.pages)
        NotificationDefaultsSection(service: service, templates: settingsPage.templates).register(pages: context.pages)
    }

    static let scheduleJobKind = "notifications.schedule_digests"
    static let reminderJobKind = "notifications.schedule_reminders"
    /// Attempts at e-mailing one digest: with the queue's backoff, about 11 hours before it is `failed`.
    static let deliverMaxAttempts = 12
    /// Attempts at POSTing one digest to a webhook.
    static let webhookMaxAttempts = 8

    /// Where users reach the server, for the links in a digest, when the `publicUrl` setting names none.
    static let defaultPublicURL = "http://localhost:8080"

    /// Runs the scheduler as if at `instant`, for tests and benchmarks: ``NotificationsService/scheduleDigests(at:)``.
    public static func runScheduler(
        at instant: Date, pool: PostgresConnectionPool, queue: PostgresJobQueue, logger: Logger
    ) async throws -> (digests: Int, emptyWindows: Int) {
        let outcome = try await NotificationsService(pool: pool, queue: queue, logger: logger)
            .scheduleDigests(at: instant)
        return (outcome.digests, outcome.emptyWindows)
    }

    /// Runs the reminder scan as if at `instant`, for tests: ``NotificationsService/scheduleReminders(at:)``.
    public static func runReminders(
        at instant: Date, pool: PostgresConnectionPool, queue: PostgresJobQueue, logger: Logger
    ) async throws -> (digest: Int, mail: Int) {
        let outcome = try await NotificationsService(pool: pool, queue: queue, logger: logger)
            .scheduleReminders(at: instant)
        return (outcome.digest, outcome.mail)
    }
}

extension ClaimedJob {
    /// Whether this attempt is the last the queue gives the job, whose kind allows `kindMaxAttempts`
    /// unless the job sets its own limit (as an operator's retry of a discarded job does).
    func isLastAttempt(ofKindAllowing kindMaxAttempts: Int) -> Bool {
        attempt >= (maxAttempts ?? kindMaxAttempts)
    }
}
