import Foundation
import Messaging
import Vocabulary

/// What a ``ActivityID`` identifies.
public enum ActivityTag {}

/// The id of an activity.
public typealias ActivityID = Identifier<ActivityTag>

/// Money for an activity: exact amounts, written as decimal strings (`"12500.00"`), in one ISO 4217 currency.
public struct Budget: Codable, Sendable, Hashable {
    public var planned: Amount
    public var spent: Amount
    public var currency: Currency

    public init(planned: Amount, spent: Amount, currency: Currency) {
        self.planned = planned
        self.spent = spent
        self.currency = currency
    }

    /// Whether both are the same money however the amounts are written: `"400"` and `"400.00"` are.
    public func hasSameValue(as other: Budget) -> Bool {
        currency == other.currency && planned.hasSameValue(as: other.planned) && spent.hasSameValue(as: other.spent)
    }
}

/// An activity's state as every event carries it.
public struct ActivityState: Codable, Sendable, Hashable {
    public var id: ActivityID
    public var partnershipId: UUID
    public var title: String
    public var kind: ActivityKind
    public var status: ActivityStatus
    public var startsOn: CalendarDate?
    public var endsOn: CalendarDate?
    /// Who learns from whom.
    public var direction: LearningDirection
    public var sdgTargets: [String]
    public var sdgGoals: [Int]
    public var themes: [String]
    public var budget: Budget?
    public var fundingSource: String?
    public var participants: Int?
    public var version: Int
    /// What the activity is about, as its coordinators wrote it (the IATI file's description); `nil` in the
    /// events published before activities carried it (before 2026-12-05), which `stedenband activities
    /// restate` follows with one that does.
    public var description: String?
    /// The DAC 5-digit sectors chosen (IATI's sector vocabulary 1); `nil` in the events published before
    /// activities had them.
    public var dacSectors: [String]?

    public init(
        id: ActivityID,
        partnershipId: UUID,
        title: String,
        kind: ActivityKind,
        status: ActivityStatus,
        startsOn: CalendarDate?,
        endsOn: CalendarDate?,
        direction: LearningDirection,
        sdgTargets: [String],
        sdgGoals: [Int],
        themes: [String],
        budget: Budget?,
        fundingSource: String?,
        participants: Int?,
        version: Int,
        description: String? = nil,
        dacSectors: [String]? = nil
    ) {
        self.id = id
        self.partnershipId = partnershipId
        self.title = title
        self.kind = kind
        self.status = status
        self.startsOn = startsOn
        self.endsOn = endsOn
        self.direction = direction
        self.sdgTargets = sdgTargets
        self.sdgGoals = sdgGoals
        self.themes = themes
        self.budget = budget
        self.fundingSource = fundingSource
        self.participants = participants
        self.version = version
        self.description = description
        self.dacSectors = dacSectors
    }
}

/// Every activity event carries the activity's state after the change.
public protocol ActivityEvent: Event {
    /// The activity after the change.
    var activity: ActivityState { get }
}

extension ActivityEvent {
    public var aggregateID: UUID { activity.id.rawValue }
    public var aggregateVersion: Int { activity.version }
}

/// An activity was recorded for a partnership.
public struct ActivityRecorded: ActivityEvent {
    public static let name = "activities.activity_recorded.v1"
    public var activity: ActivityState
    public init(activity: ActivityState) { self.activity = activity }
}

/// Fields of an activity changed; `changedFields` names them as the API does.
public struct ActivityUpdated: ActivityEvent {
    public static let name = "activities.activity_updated.v1"
    public var activity: ActivityState
    public var changedFields: [String]
    public init(activity: ActivityState, changedFields: [String]) {
        self.activity = activity
        self.changedFields = changedFields
    }
}

/// An activity's status changed.
public struct ActivityStatusChanged: ActivityEvent {
    public static let name = "activities.activity_status_changed.v1"
    public var activity: ActivityState
    public var previousStatus: ActivityStatus
    public init(activity: ActivityState, previousStatus: ActivityStatus) {
        self.activity = activity
        self.previousStatus = previousStatus
    }
}

/// An activity's budget changed.
public struct ActivityBudgetChanged: ActivityEvent {
    public static let name = "activities.activity_budget_changed.v1"
    public var activity: ActivityState
    public var previousBudget: Budget?
    public init(activity: ActivityState, previousBudget: Budget?) {
        self.activity = activity
        self.previousBudget = previousBudget
    }
}

/// Someone posted a progress update on an activity.
public struct ActivityUpdatePosted: ActivityEvent {
    public static let name = "activities.activity_update_posted.v1"
    public var activity: ActivityState
    public var updateId: UUID
    public var authorId: UUID
    public var body: String
    public init(activity: ActivityState, updateId: UUID, authorId: UUID, body: String) {
        self.activity = activity
        self.updateId = updateId
        self.authorId = authorId
        self.body = body
    }
}

/// An activity was deleted; `activity` is its last state, with the version after deletion.
public struct ActivityDeleted: ActivityEvent {
    public static let name = "activities.activity_deleted.v1"
    public var activity: ActivityState
    public init(activity: ActivityState) { self.activity = activity }
}
