import Foundation
import Hummingbird
import LearningContracts
import Messaging
import Postgres
import Vocabulary

/// A lesson as the API shows it: what one side of a partnership learnt in an activity, with who wrote it (an
/// id that never leaves the municipality) and the role the library names as the contact.
public struct LessonRecord: ResponseEncodable, Sendable {
    /// The lesson.
    public var id: UUID
    var activityId: UUID
    var partnershipId: UUID
    var title: String
    var body: String
    var side: LessonSide
    var themes: [String]
    var sdgTargets: [String]
    var policyDomain: String
    var language: String
    /// The author's user id.
    var writtenBy: UUID
    /// The author's role in the partnership when writing (`coordinator` for an administrator or coordinator who
    /// is not a member).
    var contactRole: PartnershipRole
    var shared: Bool
    var sharedAt: Date?
    var published: Bool
    var publishedAt: Date?
    var version: Int
    var createdAt: Date
    var updatedAt: Date

    static let columns = """
        l.id, l.activity_id, l.partnership_id, l.title, l.body, l.side, l.themes, l.sdg_targets, l.policy_domain,
        l.language, l.author_id, l.author_role, l.shared, l.shared_at, l.published, l.published_at, l.version,
        l.created_at, l.updated_at
        """

    /// A lesson from a row of ``columns``.
    init(row: PostgresRow) throws {
        id = try row.decode(UUID.self, column: 0)
        activityId = try row.decode(UUID.self, column: 1)
        partnershipId = try row.decode(UUID.self, column: 2)
        title = try row.decode(String.self, column: 3)
        body = try row.decode(String.self, column: 4)
        side = try LearningRepository.word(row, column: 5)
        themes = try row.decode([String].self, column: 6)
        sdgTargets = try row.decode([String].self, column: 7)
        policyDomain = try row.decode(String.self, column: 8)
        language = try row.decode(String.self, column: 9)
        writtenBy = try row.decode(UUID.self, column: 10)
        contactRole = try LearningRepository.word(row, column: 11)
        shared = try row.decode(Bool.self, column: 12)
        sharedAt = try row.decode(Date?.self, column: 13)
        published = try row.decode(Bool.self, column: 14)
        publishedAt = try row.decode(Date?.self, column: 15)
        version = try row.decode(Int.self, column: 16)
        createdAt = try row.decode(Date.self, column: 17)
        updatedAt = try row.decode(Date.self, column: 18)
    }

    private enum CodingKeys: String, CodingKey {
        case id, activityId, partnershipId, title, body, side, themes, sdgTargets, policyDomain, language
        case writtenBy, contactRole, shared, sharedAt, published, publishedAt, version, createdAt, updatedAt
    }

    /// As the synthesized form, but `sharedAt` and `publishedAt` are `null` rather than left out: a client
    /// reads the flags and their instants side by side.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(activityId, forKey: .activityId)
        try container.encode(partnershipId, forKey: .partnershipId)
        try container.encode(title, forKey: .title)
        try container.encode(body, forKey: .body)
        try container.encode(side, forKey: .side)
        try container.encode(themes, forKey: .themes)
        try container.encode(sdgTargets, forKey: .sdgTargets)
        try container.encode(policyDomain, forKey: .policyDomain)
        try container.encode(language, forKey: .language)
        try container.encode(writtenBy, forKey: .writtenBy)
        try container.encode(contactRole, forKey: .contactRole)
        try container.encode(shared, forKey: .shared)
        try container.encode(sharedAt, forKey: .sharedAt)
        try container.encode(published, forKey: .published)
        try container.encode(publishedAt, forKey: .publishedAt)
        try container.encode(version, forKey: .version)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(updatedAt, forKey: .updatedAt)
    }

    /// Whether a partner coordinator wrote it on the partner's side: its words are then the partner
    /// coordinators' and its author's (docs/learning.md).
    var isPartnerWords: Bool { side == .partnerMunicipality && contactRole == .partnerCoordinator }

    var state: LessonState {
        LessonState(
            id: LessonID(rawValue: id), activityId: activityId, partnershipId: partnershipId, title: title,
            body: body, side: side, themes: themes, sdgTargets: sdgTargets, policyDomain: policyDomain,
            language: language, authorId: writtenBy, authorRole: contactRole, shared: shared, sharedAt: sharedAt,
            published: published, publishedAt: publishedAt, version: version)
    }

    // MARK: Events: each built here and nowhere else, from the lesson as stored.

    /// Written, with the activity's title and the partner's name its digest line says (`names`).
    func written(_ names: LearningRepository.Names?) -> LessonWritten {
        LessonWritten(lesson: state, activityTitle: names?.activity, partnerName: names?.partner)
    }

    func changed(_ changedFields: [String]) -> LessonChanged {
        LessonChanged(lesson: state, changedFields: changedFields)
    }

    /// Shared or unshared, published or unpublished: the flags it had before say which.
    func visibilityChanged(
        previousShared: Bool, previousPublished: Bool, names: LearningRepository.Names?
    ) -> LessonVisibilityChanged {
        LessonVisibilityChanged(
            lesson: state, previousShared: previousShared, previousPublished: previousPublished,
            activityTitle: names?.activity, partnerName: names?.partner)
    }

    /// The lesson's last state, at the version its deletion takes.
    var deleted: LessonDeleted {
        var last = state
        last.version += 1
        return LessonDeleted(lesson: last)
    }
}

/// A page of lessons.
struct LessonPage: ResponseEncodable, Sendable {
    var items: [LessonRecord]
    var nextCursor: String?
}

/// One of the instance's policy domains as `GET /api/v1/policy-domains` lists it.
struct PolicyDomainRecord: ResponseEncodable, Sendable {
    var code: String
    /// The name in each of the four languages (`nl`, `en`, `fr`, `es`).
    var names: [String: String]
    /// A retired domain keeps its lessons, but no new lesson is filed under it.
    var retired: Bool
}

/// The policy domains, in the instance's order.
struct PolicyDomainList: ResponseEncodable, Sendable {
    var items: [PolicyDomainRecord]
}
