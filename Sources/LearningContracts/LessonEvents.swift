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
    public init(lesson: LessonState) { self.lesson = lesson }
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
    public init(lesson: LessonState, previousShared: Bool, previousPublished: Bool) {
        self.lesson = lesson
        self.previousShared = previousShared
        self.previousPublished = previousPublished
    }
}

/// A lesson was deleted; `lesson` is its last state, with the version after deletion. (A lesson deleted with
/// its activity or partnership publishes no event of its own: subscribers follow the activity's deletion.)
public struct LessonDeleted: LessonEvent {
    public static let name = "learning.lesson_deleted.v1"
    public var lesson: LessonState
    public init(lesson: LessonState) { self.lesson = lesson }
}
