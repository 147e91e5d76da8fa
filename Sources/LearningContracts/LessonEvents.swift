import Foundation
import Messaging

/// Every lesson event carries the lesson's state after the change.
public protocol LessonEvent: Event {
    /// The lesson after the change.
    var lesson: LessonState { get }
}

extension LessonEvent {
    public var aggregateID: UUID { lesson.id.rawValue }
    public var aggregateVersion: Int { lesson.version }
}

/// One side of a partnership wrote what it learnt in an activity.
public struct LessonWritten: LessonEvent {
    public static let name = "learning.lesson_written.v1"
    public var lesson: LessonState
    /// The activity's title and the partner municipality's name as the Learning plugin's copies hold them when
    /// the lesson is written, for subscribers that keep no copy of activities or partners (the digests' line
    /// "Dogbo's partner coordinator wrote what Dogbo learnt", under the activity); `nil` when not known.
    public var activityTitle: String?
    public var partnerName: String?
    public init(lesson: LessonState, activityTitle: String? = nil, partnerName: String? = nil) {
        self.lesson = lesson
        self.activityTitle = activityTitle
        self.partnerName = partnerName
    }
}

/// The words or tags of a lesson changed; `changedFields` names them as the API does (`title`, `body`, `side`,
/// `themes`, `sdgTargets`, `policyDomain`, `language`).
public struct LessonChanged: LessonEvent {
    public static let name = "learning.lesson_changed.v1"
    public var lesson: LessonState
    public var changedFields: [String]
    public init(lesson: LessonState, changedFields: [String]) {
        self.lesson = lesson
        self.changedFields = changedFields
    }
}

/// A coordinator shared or unshared a lesson with the other municipalities, or published or unpublished it on
/// the showcase; the previous flags say which.
public struct LessonVisibilityChanged: LessonEvent {
    public static let name = "learning.lesson_visibility_changed.v1"
    public var lesson: LessonState
    public var previousShared: Bool
    public var previousPublished: Bool
    /// As ``LessonWritten/activityTitle`` and ``LessonWritten/partnerName``: for the digests' line, `nil` when
    /// not known.
    public var activityTitle: String?
    public var partnerName: String?
    public init(
        lesson: LessonState, previousShared: Bool, previousPublished: Bool, activityTitle: String? = nil,
        partnerName: String? = nil
    ) {
        self.lesson = lesson
        self.previousShared = previousShared
        self.previousPublished = previousPublished
        self.activityTitle = activityTitle
        self.partnerName = partnerName
    }
}

/// A lesson was deleted; `lesson` is its last state, with the version after deletion. (A lesson deleted with
/// its activity or partnership publishes no event of its own: subscribers follow the activity's deletion.)
public struct LessonDeleted: LessonEvent {
    public static let name = "learning.lesson_deleted.v1"
    public var lesson: LessonState
    public init(lesson: LessonState) { self.lesson = lesson }
}
