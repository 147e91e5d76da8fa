import ActivitiesContracts
import Foundation
import Gateway
import Messaging
import PartnershipCopy
import PartnershipsContracts
import Postgres
import ResultsContracts
import Vocabulary

/// What a digest shows of one event: enough to write its line without reading anything else.
struct InboxItem: Codable, Sendable, Equatable {
    /// The kind of change, one per event type (`activity_recorded`, `partnership_status_changed`, …).
    var kind: String
    var partnershipTitle: String
    var activityTitle: String?
    /// For updates: the fields that changed, as the API names them.
    var changedFields: [String]?
    var previousStatus: String?
    var status: String?
    var budget: Budget?
    var previousBudget: Budget?
    /// A progress update's text, shortened.
    var text: String?
    /// For member changes: who joined or left (the digest shows their name as it is when sent).
    var memberId: UUID?
    /// For the results framework: the indicator, its measure (`percentage`, `qualitative`, …), the value as an
    /// exact decimal, the period's target, the comment, the period, and who reported it.
    var indicatorTitle: String?
    var measure: String?
    var value: String?
    var target: String?
    var comment: String?
    var periodStart: CalendarDate?
    var periodEnd: CalendarDate?
    var reporterId: UUID?
    /// `partner` when the partner municipality reported: the digest then names it (`partnerName`), not a person.
    var reporterSide: String?
    var partnerName: String?
    /// For a quiet partnership's reminder: the days since its last news.
    var days: Int?
    /// For a period's reminder: the period, whose reporting form the reminder links.
    var periodId: UUID?
    /// For lessons: the lesson's title, the side that learnt it (`flemish_municipality`,
    /// `partner_municipality`), its author and the author's role in the partnership (`partner_coordinator`: the
    /// line names the partner's coordinator, not the person), the municipality's name when the event was heard,
    /// and whether a lesson shared was published at once. The partner's name is ``partnerName``.
    var lessonTitle: String?
    var lessonSide: String?
    var authorId: UUID?
    var authorRole: String?
    var municipalityName: String?
    var published: Bool?
}

/// The queued subscriber that writes an inbox row per member of the partnership for each event, and the
/// in-transaction one that keeps our own copy of the partnerships and their members.
enum Inbox {
    static let subscriber = "notifications.inbox"

    /// How much of a progress update a digest quotes.
    static let previewLength = 280

    static func register(into events: inout EventSubscriptions, people: any People) {
        partnerships.subscribe(into: &events)
        events.subscribeInTransaction(to: PartnershipDeleted.self) { envelope, connection in
            try await connection.query(
                """
                UPDATE notifications.partnerships SET deleted_at = \(envelope.occurredAt)
                WHERE id = \(envelope.event.partnership.id.rawValue)
                """)
        }

        // A partnership event names its members as they were then; an activity event goes to the members of
        // its partnership when the inbox hears it (a moment later), and the digest checks them again.
        // An item of `nil` writes nothing: the change is told by an event of its own.
        func partnership<E: PartnershipEvent>(_ type: E.Type, _ item: @escaping @Sendable (E) -> InboxItem?) {
            events.subscribeInBatches(to: type, as: subscriber) { envelopes, context in
                try await write(
                    envelopes.compactMap { envelope in
                        item(envelope.event).map {
                            Entry(
                                item: $0, partnership: envelope.event.partnership.id.rawValue, activity: nil,
                                members: envelope.event.partnership.members.map(\.userId), envelope: envelope)
                        }
                    }, people: people, connection: context.connection)
            }
        }
        func activity<E: ActivityEvent>(_ type: E.Type, _ item: @escaping @Sendable (E) -> InboxItem?) {
            events.subscribeInBatches(to: type, as: subscriber) { envelopes, context in
                try await write(
                    envelopes.compactMap { envelope in
                        item(envelope.event).map {
                            Entry(
                                item: $0, partnership: envelope.event.activity.partnershipId,
                                activity: envelope.event.activity.id.rawValue, members: nil, envelope: envelope)
                        }
                    }, people: people, connection: context.connection)
            }
        }
        partnership(PartnershipCreated.self) {
            .init(kind: "partnership_created", partnershipTitle: $0.partnership.title)
        }
        // A change of status (or an activity's budget) comes with an event of its own, told in its own words:
        // the update's line names only the other fields, and there is none when nothing else changed.
        partnership(PartnershipUpdated.self) {
            let fields = $0.changedFields.filter { $0 != "status" }
            return fields.isEmpty
                ? nil
                : .init(kind: "partnership_updated", partnershipTitle: $0.partnership.title, changedFields: fields)
        }
        partnership(PartnershipStatusChanged.self) {
            .init(
                kind: "partnership_status_changed", partnershipTitle: $0.partnership.title,
                previousStatus: $0.previousStatus.rawValue, status: $0.partnership.status.rawValue)
        }
        partnership(PartnershipMemberAdded.self) {
            .init(kind: "partnership_member_added", partnershipTitle: $0.partnership.title, memberId: $0.member.userId)
        }
        partnership(PartnershipMemberRemoved.self) {
            .init(kind: "partnership_member_removed", partnershipTitle: $0.partnership.title, memberId: $0.userId)
        }
        partnership(PartnershipDeleted.self) {
            .init(kind: "partnership_deleted", partnershipTitle: $0.partnership.title)
        }
        activity(ActivityRecorded.self) {
            .init(
                kind: "activity_recorded", partnershipTitle: "", activityTitle: $0.activity.title,
                status: $0.activity.status.rawValue, budget: $0.activity.budget)
        }
        activity(ActivityUpdated.self) {
            let fields = $0.changedFields.filter { $0 != "status" && $0 != "budget" }
            return fields.isEmpty
                ? nil
                : .init(
                    kind: "activity_updated", partnershipTitle: "", activityTitle: $0.activity.title,
                    changedFields: fields)
        }
        activity(ActivityStatusChanged.self) {
            .init(
                kind: "activity_status_changed", partnershipTitle: "", activityTitle: $0.activity.title,
                previousStatus: $0.previousStatus.rawValue, status: $0.activity.status.rawValue)
        }
        activity(ActivityBudgetChanged.self) {
            .init(
                kind: "activity_budget_changed", partnershipTitle: "", activityTitle: $0.activity.title,
                budget: $0.activity.budget, previousBudget: $0.previousBudget)
        }
        activity(ActivityUpdatePosted.self) {
            .init(
                kind: "activity_update_posted", partnershipTitle: "", activityTitle: $0.activity.title,
                text: String($0.body.prefix(previewLength)))
        }
        activity(ActivityDeleted.self) {
            .init(kind: "activity_deleted", partnershipTitle: "", activityTitle: $0.activity.title)
        }
        results(into: &events, people: people)
        lessons(into: &events, people: people)
        reminders(into: &events)
    }

    /// The results framework's lines: a new indicator, and a period's value reported, approved or returned, for
    /// the partnership's members but the one who did it. They stand under the partnership, not an activity: the
    /// line names the indicator.
    static func results(into events: inout EventSubscriptions, people: any People) {
        func period<E: PeriodEvent>(
            _ type: E.Type, dropsPendingReports: Bool = false, _ item: @escaping @Sendable (E) -> InboxItem
        ) {
            events.subscribeInBatches(to: type, as: subscriber) { envelopes, context in
                try await write(
                    envelopes.map { envelope in
                        Entry(
                            item: item(envelope.event), partnership: envelope.event.period.partnershipId, activity: nil,
                            members: nil, envelope: envelope)
                    }, people: people, connection: context.connection)
                // A returned value does not count: the lines telling of its report that no digest carried yet
                // go, so no digest tells of a value that was turned down (the return's own line says why).
                if dropsPendingReports {
                    try await NotificationsRepository.dropPendingReports(
                        of: envelopes.map(\.event.period.id.rawValue), on: context.connection)
                }
            }
        }
        @Sendable func value(_ kind: String, _ event: some PeriodEvent) -> InboxItem {
            InboxItem(
                kind: kind, partnershipTitle: "", indicatorTitle: event.indicator.title,
                measure: event.indicator.measure.rawValue, value: event.period.actual?.value?.description,
                target: event.period.target?.value?.description, comment: event.period.actual?.comment,
                periodStart: event.period.start, periodEnd: event.period.end, reporterId: event.period.reportedBy,
                periodId: event.period.id.rawValue)
        }
        period(ValueReported.self) { event in
            var item = value("value_reported", event)
            item.reporterSide = event.reporterSide.rawValue
            item.partnerName = event.partnerName
            return item
        }
        period(ValueApproved.self) { value("value_approved", $0) }
        period(ValueReturned.self, dropsPendingReports: true) { event in
            var item = value("value_returned", event)
            item.comment = event.period.reviewComment
            return item
        }
        events.subscribeInBatches(to: IndicatorDefined.self, as: subscriber) { envelopes, context in
            try await write(
                envelopes.map { envelope in
                    Entry(
                        item: InboxItem(
                            kind: "indicator_defined", partnershipTitle: "",
                            indicatorTitle: envelope.event.indicator.title,
                            measure: envelope.event.indicator.measure.rawValue),
                        partnership: envelope.event.indicator.partnershipId, activity: nil, members: nil,
                        envelope: envelope)
                }, people: people, connection: context.connection)
        }
    }

    /// Writes the item for the members (`nil`: the partnership's current members) but the one who made the
    /// change and those who turned digests off, and gives members without settings the defaults.
    static func write<E: Event>(
        _ item: InboxItem,
        partnership: UUID,
        activity: UUID?,
        members: [UUID]?,
        envelope: EventEnvelope<E>,
        people: any People,
        connection: PostgresConnection
    ) async throws {
        var stored = item
        var candidates = members ?? []
        if members == nil || stored.partnershipTitle.isEmpty {
            guard let (title, current) = try await NotificationsRepository.partnership(partnership, on: connection)
            else { return }
            if stored.partnershipTitle.isEmpty { stored.partnershipTitle = title }
            if members == nil { candidates = current }
        }
        let recipients = candidates.filter { $0.uuidString.lowercased() != envelope.actor?.lowercased() }
        guard !recipients.isEmpty else { return }
        try await NotificationsService.ensureSettings(
            for: recipients, tenantID: envelope.tenantID, start: envelope.occurredAt, people: people, on: connection)
        try await NotificationsRepository.addToInbox(
            stored, for: recipients, partnership: partnership, activity: activity, envelope: envelope, on: connection)
    }

    /// One event's item, for ``write(_:people:connection:)``.
    struct Entry<E: Event>: Sendable {
        var item: InboxItem
        var partnership: UUID
        var activity: UUID?
        /// The members the event names; `nil`: the partnership's current members.
        var members: [UUID]?
        var envelope: EventEnvelope<E>
    }

    /// Writes a batch of events' items as ``write(_:partnership:activity:members:envelope:people:connection:)``
    /// writes each, in a few statements: each partnership read once, the settings of every recipient made
    /// once (from the first event that reaches them), and every inbox row in one insert.
    static func write<E: Event>(_ entries: [Entry<E>], people: any People, connection: PostgresConnection)
        async throws
    {
        var partnerships: [UUID: (title: String, members: [UUID])?] = [:]
        var rows: [(entry: Entry<E>, recipients: [UUID])] = []
        var firstReached: [UUID: Date] = [:]
        var reachedInOrder: [UUID] = []
        for var entry in entries {
            var candidates = entry.members ?? []
            if entry.members == nil || entry.item.partnershipTitle.isEmpty {
                let found: (title: String, members: [UUID])?
                if let known = partnerships[entry.partnership] {
                    found = known
                } else {
                    found = try await NotificationsRepository.partnership(entry.partnership, on: connection)
                    partnerships[entry.partnership] = .some(found)
                }
                guard let (title, current) = found else { continue }
                if entry.item.partnershipTitle.isEmpty { entry.item.partnershipTitle = title }
                if entry.members == nil { candidates = current }
            }
            let actor = entry.envelope.actor?.lowercased()
            let recipients = candidates.filter { $0.uuidString.lowercased() != actor }
            guard !recipients.isEmpty else { continue }
            for user in recipients where firstReached[user] == nil {
                firstReached[user] = entry.envelope.occurredAt
                reachedInOrder.append(user)
            }
            rows.append((entry, recipients))
        }
        guard !rows.isEmpty else { return }
        // Users first reached by the same event share a start; usually one call.
        var starts: [Date] = []
        var byStart: [Date: [UUID]] = [:]
        for user in reachedInOrder {
            let start = firstReached[user]!
            if byStart[start] == nil { starts.append(start) }
            byStart[start, default: []].append(user)
        }
        for start in starts {
            try await NotificationsService.ensureSettings(
                for: byStart[start]!, tenantID: rows[0].entry.envelope.tenantID, start: start, people: people,
                on: connection)
        }
        try await NotificationsRepository.addToInbox(
            rows.map { row in
                NotificationsRepository.InboxRow(
                    item: row.entry.item, users: row.recipients, partnership: row.entry.partnership,
                    activity: row.entry.activity, eventID: row.entry.envelope.id,
                    occurredAt: row.entry.envelope.occurredAt, traceParent: row.entry.envelope.traceParent)
            }, eventName: E.name, tenantID: rows[0].entry.envelope.tenantID, on: connection)
    }

    /// Our copy of the partnerships' titles, statuses (a quiet partnership reminds only while exploring or
    /// active) and members.
    static let partnerships = PartnershipCopy(
        partnerships: "notifications.partnerships", members: "notifications.members", keepsStatus: true)
}
