import Delivery
import Foundation
import Gateway
import Kernel
import Logging
import Messaging
import Postgres

/// Every operation of the Notifications plugin, once: a user's digest settings and webhook, the
/// municipality's defaults, the digests sent and the next one's preview, one-click unsubscribe, and the
/// scheduler's run. The JSON API, the command line and (soon) the pages call these; they check who may do
/// what, throw the same ``Problem``s, and run their SQL through ``NotificationsRepository`` in the caller's
/// transaction.
public struct NotificationsService: Sendable {
    /// Who the users are: their name, language and clock when they have no settings yet.
    let people: any People
    /// Where a webhook URL may point, checked when a user sets one.
    let webhookCheck: WebhookURLCheck
    /// The queue's clock: tests that move it move the schedule and the windows too.
    let clock: any WallClock
    /// The server's address as users reach it, for the links in a digest.
    let publicURL: String
    let scheduler: DigestScheduler

    init(
        people: any People, webhookCheck: WebhookURLCheck, publicURL: String, scheduler: DigestScheduler
    ) {
        self.people = people
        self.webhookCheck = webhookCheck
        self.clock = scheduler.queue.clock
        self.publicURL = publicURL
        self.scheduler = scheduler
    }

    /// A service for the command line, which schedules digests: webhooks may point only at public addresses,
    /// links use the default public URL.
    public init(
        pool: PostgresConnectionPool, queue: PostgresJobQueue, people: any People = PostgresPeople(), logger: Logger
    ) {
        self.init(
            people: people, webhookCheck: WebhookURLCheck(), publicURL: NotificationsPlugin.defaultPublicURL,
            scheduler: DigestScheduler(pool: pool, queue: queue, logger: logger))
    }

    // MARK: A user's settings

    /// The caller's settings: their own, or the municipality's defaults on their own clock and language when
    /// they never changed them.
    func settings(access: TenantAccess, on connection: PostgresConnection) async throws -> NotificationSettings {
        try await Self.settings(of: access.userID, people: people, on: connection)
    }

    /// Changes the fields `changes` sends. A webhook URL is checked where its host is (a lookup); sending one
    /// sets or replaces the webhook with a new signing secret, shown in this answer only; `null` removes it.
    ///
    /// - Throws: a validation ``Problem`` when the webhook's host is not on the public internet.
    func updateSettings(
        _ changes: NotificationSettingsChanges, access: TenantAccess, on connection: PostgresConnection
    ) async throws -> NotificationSettings {
        if let url = changes.webhook.newValue?.url, let refusal = await webhookCheck.refusal(url) {
            throw Problem.validation([.init(field: "webhook.url", message: refusal)])
        }
        let settings = changes.applied(to: try await self.settings(access: access, on: connection))
        try await NotificationsRepository.save(
            settings, of: access.userID, tenantID: access.tenantID, now: clock.now(), on: connection)
        return settings
    }

    /// The partnerships the caller may mute: those they are a member of, whose changes their digests tell
    /// (a partner coordinator's own, never another's).
    func mutablePartnerships(
        access: TenantAccess, on connection: PostgresConnection
    ) async throws -> [(id: UUID, title: String)] {
        try await NotificationsRepository.partnerships(ofMember: access.userID, on: connection)
    }

    /// Changes the settings as the settings page does: `changes.mutedPartnerships` must be among the
    /// partnerships the caller may mute, and replaces the mutes among those (others the API set stay).
    ///
    /// - Throws: a validation ``Problem`` (`mutedPartnerships`) for a partnership the caller may not mute, or
    ///   as ``updateSettings(_:access:on:)`` does.
    func updateSettingsFromPage(
        _ changes: NotificationSettingsChanges, access: TenantAccess, on connection: PostgresConnection
    ) async throws -> NotificationSettings {
        var changes = changes
        if let muted = changes.mutedPartnerships {
            let mine = Set(try await mutablePartnerships(access: access, on: connection).map(\.id))
            guard muted.allSatisfy(mine.contains) else {
                throw Problem.validation([
                    .init(field: "mutedPartnerships", message: "must be partnerships you are a member of")
                ])
            }
            let current = try await settings(access: access, on: connection)
            changes.mutedPartnerships = muted + current.mutedPartnerships.filter { !mine.contains($0) }
        }
        return try await updateSettings(changes, access: access, on: connection)
    }

    static func settings(
        of user: UUID, people: any People, on connection: PostgresConnection
    ) async throws -> NotificationSettings {
        if let settings = try await NotificationsRepository.settings(of: user, on: connection) { return settings }
        guard let person = try await people.person(user, on: connection) else { throw Problem.notFound() }
        return .defaults(
            try await NotificationsRepository.tenantDefaults(on: connection), locale: person.locale,
            timeZone: person.timeZone)
    }

    /// Gives the users among `users` who have no settings yet the municipality's defaults, their first window
    /// starting at `start`: in a few statements whatever their number, the people read in one.
    static func ensureSettings(
        for users: [UUID], tenantID: UUID, start: Date, people: any People, on connection: PostgresConnection
    ) async throws {
        guard !users.isEmpty else { return }
        let without = try await NotificationsRepository.withoutSettings(users, on: connection)
        guard !without.isEmpty else { return }
        let found = try await people.people(without, on: connection)
        // An id the municipality has no user for gets nothing.
        let missing = without.compactMap { id in found[id].map { (id: id, locale: $0.locale, timeZone: $0.timeZone) } }
        guard !missing.isEmpty else { return }
        try await NotificationsRepository.insertDefaults(
            try await NotificationsRepository.tenantDefaults(on: connection), for: missing, tenantID: tenantID,
            start: start, on: connection)
    }

    // MARK: The municipality's defaults

    /// Throws 403 unless the caller administers the municipality: the defaults are its choice.
    func requireDefaultsAdministrator(_ access: TenantAccess) throws {
        guard access.identity.role == .admin else {
            throw Problem.forbidden("only administrators change the municipality's digest defaults")
        }
    }

    /// The municipality's digest defaults.
    func defaults(access: TenantAccess, on connection: PostgresConnection) async throws -> TenantDefaults {
        try requireDefaultsAdministrator(access)
        return try await NotificationsRepository.tenantDefaults(on: connection)
    }

    /// Changes the fields `changes` sends; users who already have settings keep theirs.
    func updateDefaults(
        _ changes: TenantDefaultsChanges, access: TenantAccess, on connection: PostgresConnection
    ) async throws -> TenantDefaults {
        try requireDefaultsAdministrator(access)
        // The API decoded and checked its body already; the page's form is checked here, by the same rules.
        let changes = try changes.checked()
        let defaults = changes.applied(to: try await NotificationsRepository.tenantDefaults(on: connection))
        try await NotificationsRepository.save(defaults, tenantID: access.tenantID, on: connection)
        return defaults
    }

    // MARK: Digests

    /// The caller's last `limit` digests, newest first: their own, each built under `ReadScope.digest(of:)`.
    func digests(limit: Int, access: TenantAccess, on connection: PostgresConnection) async throws -> [DigestRecord] {
        try await NotificationsRepository.digests(of: access.userID, limit: limit, on: connection)
    }

    /// The caller's next digest as it would be built now, with everything that has happened up to now (an
    /// event at this very instant included).
    func preview(access: TenantAccess, on connection: PostgresConnection) async throws -> Digest {
        let user = access.userID
        let settings = try await self.settings(access: access, on: connection)
        let now = clock.now()
        let start = try await NotificationsRepository.windowStart(of: user, on: connection) ?? now
        let entries = try await NotificationsRepository.pendingEntries(
            of: user, upTo: now, muted: settings.mutedPartnerships, on: connection)
        let person = try await people.person(user, on: connection)
        return DigestBuilder(
            locale: settings.locale, timeZone: TimeZone(identifier: settings.timeZone) ?? .gmt,
            recipientName: person?.name ?? "", tenantName: person?.municipality.name ?? "", publicURL: publicURL,
            memberNames: try await Self.memberNames(entries, people: people, on: connection)
        ).build(entries, window: min(start, now)..<now, unsubscribeLink: nil)
    }

    /// The names of the members who joined or left in `entries`, of the lessons' authors and of the people who
    /// reported values, as they are now, read in one statement.
    static func memberNames(
        _ entries: [DigestEntry], people: any People, on connection: PostgresConnection
    ) async throws -> [UUID: String] {
        let ids = Array(
            Set(
                entries.compactMap(\.item.memberId) + entries.compactMap(\.item.authorId)
                    + entries.compactMap(\.item.reporterId)))
        guard !ids.isEmpty else { return [:] }
        return try await people.people(ids, on: connection).mapValues(\.name)
    }

    // MARK: One-click unsubscribe (RFC 8058)

    /// Whether `token` can be an unsubscribe token at all: anything else is not looked up.
    static func isPlausibleUnsubscribeToken(_ token: String) -> Bool {
        token.hasPrefix("sbu_") && token.count < 100
    }

    /// The language of the user an unsubscribe token was made for and its list (`digests` or `reminders`), `nil`
    /// when it is none; with `confirmed`, that list is turned off at once: a digest's link turns digests off, a
    /// reminder's turns both reminders off and leaves digests on. The transaction needs no municipality: the
    /// token's sets it.
    func unsubscribe(
        _ token: String, confirmed: Bool, on connection: PostgresConnection
    ) async throws -> (locale: String, list: String)? {
        guard Self.isPlausibleUnsubscribeToken(token),
            let (user, list) = try await NotificationsRepository.unsubscribeTokenUser(token, on: connection)
        else { return nil }
        let locale: String
        if let chosen = try await NotificationsRepository.chosenLocale(of: user, on: connection) {
            locale = chosen
        } else {
            locale = try await people.person(user, on: connection)?.locale ?? "en"
        }
        if confirmed { try await NotificationsRepository.unsubscribe(user, list: list, token: token, on: connection) }
        return (locale, list)
    }

    // MARK: Scheduling

    /// What a run of the scheduler claimed.
    public struct ScheduleOutcome: Sendable, Equatable {
        /// Digests claimed and handed to the delivery jobs.
        public var digests: Int
        /// Users whose window closed with nothing in it.
        public var emptyWindows: Int
    }

    /// Claims the digests due at `instant` in every municipality and queues their delivery, as if the
    /// scheduler ran then; for the periodic job, `stedenband digests run --at` and tests. A run for an instant
    /// already handled claims nothing more.
    @discardableResult
    public func scheduleDigests(at instant: Date) async throws -> ScheduleOutcome {
        let outcome = try await scheduler.run(at: instant)
        return ScheduleOutcome(digests: outcome.digests, emptyWindows: outcome.emptyWindows)
    }

    /// What a reminder scan made: reminders written into inboxes for the next digest, and mails queued.
    public struct ReminderOutcome: Sendable, Equatable {
        public var digest: Int
        public var mail: Int
    }

    /// Makes the reminders due at `instant`: for the periodic job, `stedenband reminders run --at` and tests. A
    /// scan run again, or by another process, makes nothing more.
    @discardableResult
    public func scheduleReminders(at instant: Date) async throws -> ReminderOutcome {
        let outcome = try await ReminderScheduler(
            pool: scheduler.pool, queue: scheduler.queue, people: people, logger: scheduler.logger
        ).run(at: instant)
        return ReminderOutcome(digest: outcome.digest, mail: outcome.mail)
    }
}
