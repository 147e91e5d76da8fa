import Foundation
import Gateway
import LearningContracts
import Messaging
import Vocabulary

extension Inbox {
    /// The lessons' lines, under their activity, for the partnership's members but the one who did it: a lesson
    /// written ("Dogbo's partner coordinator wrote what Dogbo learnt: …"), and a lesson that turned shared with
    /// the other municipalities or published on the showcase ("Roeselare shared … with the other
    /// municipalities"). A lesson's edits, its deletion and its turning unshared or unpublished write nothing:
    /// edits are noise, as a result's are, and what left the library or the showcase is no news to act on.
    static func lessons(into events: inout EventSubscriptions, people: any People) {
        func lesson<E: LessonEvent>(
            _ type: E.Type, _ item: @escaping @Sendable (E, _ municipality: String?) -> InboxItem?
        ) {
            events.subscribeInBatches(to: type, as: subscriber) { envelopes, context in
                // A batch is one municipality's: its name is read once, as it is now.
                let municipality = try await people.municipality(envelopes[0].tenantID, on: context.connection)?.name
                try await write(
                    envelopes.compactMap { envelope in
                        item(envelope.event, municipality).map {
                            Entry(
                                item: $0, partnership: envelope.event.lesson.partnershipId,
                                activity: envelope.event.lesson.activityId, members: nil, envelope: envelope)
                        }
                    }, people: people, connection: context.connection)
            }
        }
        lesson(LessonWritten.self) { event, municipality in
            var item = lessonItem("lesson_written", event.lesson, municipality: municipality)
            item.activityTitle = event.activityTitle
            item.partnerName = event.partnerName
            return item
        }
        lesson(LessonVisibilityChanged.self) { event, municipality in
            let shared = event.lesson.shared && !event.previousShared
            let published = event.lesson.published && !event.previousPublished
            guard shared || published else { return nil }
            // Published at once from unshared (published implies shared) is one line: shared, and published.
            var item = lessonItem(
                shared ? "lesson_shared" : "lesson_published", event.lesson, municipality: municipality)
            item.activityTitle = event.activityTitle
            item.partnerName = event.partnerName
            if shared && published { item.published = true }
            return item
        }
    }

    /// What every lesson line shows of the lesson.
    static func lessonItem(_ kind: String, _ lesson: LessonState, municipality: String?) -> InboxItem {
        InboxItem(
            kind: kind, partnershipTitle: "", lessonTitle: lesson.title, lessonSide: lesson.side.rawValue,
            authorId: lesson.authorId, authorRole: lesson.authorRole.rawValue, municipalityName: municipality)
    }
}
