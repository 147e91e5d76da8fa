import ActivitiesContracts
import Foundation
import Hummingbird
import Messaging
import Postgres
import Vocabulary

/// An activity as the API shows it.
public struct ActivityRecord: ResponseEncodable, Sendable {
    /// The activity.
    public var id: UUID
    var partnershipId: UUID
    var title: String
    var description: String
    var kind: ActivityKind
    var status: ActivityStatus
    var startsOn: CalendarDate?
    var endsOn: CalendarDate?
    var direction: LearningDirection
    var sdgTargets: [String]
    var sdgGoals: [Int]
    var themes: [String]
    var budget: Budget?
    var fundingSource: String?
    var participants: Int?
    var results: String
    /// DAC 5-digit sectors (IATI's sector vocabulary 1), as chosen.
    var dacSectors: [String]
    var version: Int
    var createdAt: Date
    var updatedAt: Date

    static let columns = """
        a.id, a.partnership_id, a.title, a.description, a.kind, a.status, a.starts_on, a.ends_on, a.direction,
        a.sdg_targets, a.sdg_goals, a.themes, a.budget_planned::text, a.budget_spent::text, a.budget_currency,
        a.funding_source, a.participants, a.results, a.version, a.created_at, a.updated_at, a.dac_sectors
        """

    init(row: PostgresRow) throws {
        id = try row.decode(UUID.self, column: 0)
        partnershipId = try row.decode(UUID.self, column: 1)
        title = try row.decode(String.self, column: 2)
        description = try row.decode(String.self, column: 3)
        kind = try row.decode(ActivityKind.self, column: 4)
        status = try row.decode(ActivityStatus.self, column: 5)
        startsOn = try row.decode(CalendarDate?.self, column: 6)
        endsOn = try row.decode(CalendarDate?.self, column: 7)
        direction = try row.decode(LearningDirection.self, column: 8)
        sdgTargets = try row.decode([String].self, column: 9)
        sdgGoals = try row.decode([Int].self, column: 10)
        themes = try row.decode([String].self, column: 11)
        if let planned = try row.decode(Amount?.self, column: 12),
            let currency = try row.decode(Currency?.self, column: 14)
        {
            budget = Budget(
                planned: planned, spent: try row.decode(Amount?.self, column: 13) ?? .zero, currency: currency)
        }
        fundingSource = try row.decode(String?.self, column: 15)
        participants = try row.decode(Int?.self, column: 16)
        results = try row.decode(String.self, column: 17)
        version = try row.decode(Int.self, column: 18)
        createdAt = try row.decode(Date.self, column: 19)
        updatedAt = try row.decode(Date.self, column: 20)
        dacSectors = try row.decode([String].self, column: 21)
    }

    var state: ActivityState {
        ActivityState(
            id: ActivityID(rawValue: id),
            partnershipId: partnershipId,
            title: title,
            kind: kind,
            status: status,
            startsOn: startsOn,
            endsOn: endsOn,
            direction: direction,
            sdgTargets: sdgTargets,
            sdgGoals: sdgGoals,
            themes: themes,
            budget: budget,
            fundingSource: fundingSource,
            participants: participants,
            version: version,
            description: description,
            dacSectors: dacSectors
        )
    }
}

extension ActivityRecord {
    /// Activities as an insert's `RETURNING` stored them, in the order they were recorded.
    static func stored(_ rows: PostgresRows) throws -> [ActivityRecord] {
        try rows.map(ActivityRecord.init(row:)).sorted { $0.createdAt < $1.createdAt }
    }

    // MARK: Events: each built here and nowhere else, from the activity as stored.

    var recorded: ActivityRecorded { ActivityRecorded(activity: state) }

    func updated(_ changedFields: [String]) -> ActivityUpdated {
        ActivityUpdated(activity: state, changedFields: changedFields)
    }

    func statusChanged(from previous: ActivityStatus) -> ActivityStatusChanged {
        ActivityStatusChanged(activity: state, previousStatus: previous)
    }

    func budgetChanged(from previous: Budget?) -> ActivityBudgetChanged {
        ActivityBudgetChanged(activity: state, previousBudget: previous)
    }

    func updatePosted(_ update: ProgressUpdate) -> ActivityUpdatePosted {
        ActivityUpdatePosted(activity: state, updateId: update.id, authorId: update.authorId, body: update.body)
    }

    /// The activity's last state, at the version its deletion takes.
    var deleted: ActivityDeleted {
        var last = state
        last.version += 1
        return ActivityDeleted(activity: last)
    }
}

/// Which activities a list shows; `nil` filters nothing.
struct ActivityFilter: Sendable {
    var partnershipID: UUID?
    var status: String?
    var kind: String?
    var direction: String?
    var goal: Int?
    var target: String?
    var theme: String?
    var year: Int?
    var search: String?
}

/// A page of activities.
struct ActivityPage: ResponseEncodable, Sendable {
    var items: [ActivityRecord]
    var nextCursor: String?
}

/// A page of progress updates.
struct ProgressUpdatePage: ResponseEncodable, Sendable {
    var items: [ProgressUpdate]
    var nextCursor: String?
}

/// A progress update as the API shows it.
public struct ProgressUpdate: ResponseEncodable, Sendable {
    /// The update.
    public var id: UUID
    var authorId: UUID
    var body: String
    var postedAt: Date
}
