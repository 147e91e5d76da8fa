import Foundation
import Messaging
import Vocabulary

/// What a ``LessonID`` identifies.
public enum LessonTag {}

/// The id of a lesson: what one side of a partnership learnt in an activity.
public typealias LessonID = Identifier<LessonTag>

/// A lesson's state as every lesson event carries it, so subscribers never read the Learning schema.
public struct LessonState: Codable, Sendable, Hashable {
    public var id: LessonID
    public var activityId: UUID
    /// The activity's partnership: what scopes the lesson.
    public var partnershipId: UUID
    public var title: String
    public var body: String
    /// The side that learnt it.
    public var side: LessonSide
    public var themes: [String]
    public var sdgTargets: [String]
    /// The code of the policy domain it touched (`civil_registry`, `waste`, …; the instance's list).
    public var policyDomain: String
    /// The language it is written in, a code such as `fr`: partners write in their own.
    public var language: String
    /// The person who wrote it; never leaves the municipality (the library shows ``authorRole``).
    public var authorId: UUID
    /// The author's role in the partnership when writing: what the library names as the contact.
    public var authorRole: PartnershipRole
    /// Whether the other municipalities of the instance may find it in the library.
    public var shared: Bool
    public var sharedAt: Date?
    /// Whether it is on the public showcase (with its partnership); a published lesson is shared.
    public var published: Bool
    public var publishedAt: Date?
    public var version: Int

    public init(
        id: LessonID,
        activityId: UUID,
        partnershipId: UUID,
        title: String,
        body: String,
        side: LessonSide,
        themes: [String],
        sdgTargets: [String],
        policyDomain: String,
        language: String,
        authorId: UUID,
        authorRole: PartnershipRole,
        shared: Bool,
        sharedAt: Date?,
        published: Bool,
        publishedAt: Date?,
        version: Int
    ) {
        self.id = id
        self.activityId = activityId
        self.partnershipId = partnershipId
        self.title = title
        self.body = body
        self.side = side
        self.themes = themes
        self.sdgTargets = sdgTargets
        self.policyDomain = policyDomain
        self.language = language
        self.authorId = authorId
        self.authorRole = authorRole
        self.shared = shared
        self.sharedAt = sharedAt
        self.published = published
        self.publishedAt = publishedAt
        self.version = version
    }
}
