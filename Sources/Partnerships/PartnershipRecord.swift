import Foundation
import Hummingbird
import Messaging
import PartnershipsContracts
import Postgres
import Vocabulary

/// A partnership as the API shows it.
public struct PartnershipRecord: ResponseEncodable, Sendable {
    /// The partnership.
    public var id: UUID
    var title: String
    var partner: Partner
    var status: PartnershipStatus
    var startedOn: CalendarDate?
    var endedOn: CalendarDate?
    var description: String
    var sdgFocus: [Int]
    var members: [PartnershipMember]
    var version: Int
    var createdAt: Date
    var updatedAt: Date
    /// Not shown; DELETE needs it.
    var activityCount: Int
    /// Whether it is on the public showcase.
    var published: Bool
    /// When it was last published; `nil` while unpublished.
    var publishedAt: Date?
    /// The story for the public page (never the internal `description`).
    var story: String
    /// Its address on the showcase, made at its first publication and kept after; `nil` until then.
    var slug: String?

    private enum CodingKeys: String, CodingKey {
        case id, title, partner, status, startedOn, endedOn, description, sdgFocus, members, version, createdAt,
            updatedAt, published, publishedAt, story, slug
    }

    var state: PartnershipState {
        PartnershipState(
            id: PartnershipID(rawValue: id),
            title: title,
            partner: partner,
            status: status,
            startedOn: startedOn,
            endedOn: endedOn,
            sdgFocus: sdgFocus,
            members: members,
            version: version,
            published: published,
            publishedAt: publishedAt,
            story: story,
            slug: slug
        )
    }

    static let columns = """
        p.id, p.title, p.partner_name, p.partner_country, p.partner_region, p.partner_website, p.status,
        p.started_on, p.ended_on, p.description, p.sdg_focus, p.version, p.created_at, p.updated_at, p.activity_count,
        coalesce((SELECT jsonb_agg(jsonb_build_object('userId', m.user_id, 'role', m.role) ORDER BY m.added_at, m.user_id)
                  FROM partnerships.members m WHERE m.tenant_id = p.tenant_id AND m.partnership_id = p.id), '[]'),
        p.published, p.published_at, p.story, p.slug
        """

    init(row: PostgresRow) throws {
        id = try row.decode(UUID.self, column: 0)
        title = try row.decode(String.self, column: 1)
        partner = Partner(
            name: try row.decode(String.self, column: 2),
            country: try row.decode(String.self, column: 3),
            region: try row.decode(String?.self, column: 4),
            website: try row.decode(String?.self, column: 5)
        )
        status = try row.decode(PartnershipStatus.self, column: 6)
        startedOn = try row.decode(CalendarDate?.self, column: 7)
        endedOn = try row.decode(CalendarDate?.self, column: 8)
        description = try row.decode(String.self, column: 9)
        sdgFocus = try row.decode([Int].self, column: 10)
        version = try row.decode(Int.self, column: 11)
        createdAt = try row.decode(Date.self, column: 12)
        updatedAt = try row.decode(Date.self, column: 13)
        activityCount = try row.decode(Int.self, column: 14)
        members = try row.decode(PostgresJSON<[PartnershipMember]>.self, column: 15).value
        published = try row.decode(Bool.self, column: 16)
        publishedAt = try row.decode(Date?.self, column: 17)
        story = try row.decode(String.self, column: 18)
        slug = try row.decode(String?.self, column: 19)
    }

    /// `startedOn` and `endedOn` are left out when there is none, as before; `publishedAt` and `slug` are
    /// written as `null`, so a client sees that a partnership can be published before it is.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(title, forKey: .title)
        try container.encode(partner, forKey: .partner)
        try container.encode(status, forKey: .status)
        try container.encodeIfPresent(startedOn, forKey: .startedOn)
        try container.encodeIfPresent(endedOn, forKey: .endedOn)
        try container.encode(description, forKey: .description)
        try container.encode(sdgFocus, forKey: .sdgFocus)
        try container.encode(members, forKey: .members)
        try container.encode(version, forKey: .version)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(updatedAt, forKey: .updatedAt)
        try container.encode(published, forKey: .published)
        try container.encode(publishedAt, forKey: .publishedAt)
        try container.encode(story, forKey: .story)
        try container.encode(slug, forKey: .slug)
    }
}

extension PartnershipRecord {
    // MARK: Events: each built here and nowhere else, from the partnership as stored.

    var created: PartnershipCreated { PartnershipCreated(partnership: state) }

    func updated(_ changedFields: [String]) -> PartnershipUpdated {
        PartnershipUpdated(partnership: state, changedFields: changedFields)
    }

    func statusChanged(from previous: PartnershipStatus) -> PartnershipStatusChanged {
        PartnershipStatusChanged(partnership: state, previousStatus: previous)
    }

    func memberAdded(_ member: PartnershipMember) -> PartnershipMemberAdded {
        PartnershipMemberAdded(partnership: state, member: member)
    }

    func memberRemoved(_ userID: UUID) -> PartnershipMemberRemoved {
        PartnershipMemberRemoved(partnership: state, userId: userID)
    }

    /// The partnership's last state, at the version its deletion takes.
    var deleted: PartnershipDeleted {
        var last = state
        last.version += 1
        return PartnershipDeleted(partnership: last)
    }
}

/// Which partnerships a list shows; `nil` filters nothing.
struct PartnershipFilter: Sendable {
    var status: String?
    var country: String?
    var sdg: Int?
}

/// A page of partnerships.
struct PartnershipPage: ResponseEncodable, Sendable {
    var items: [PartnershipRecord]
    var nextCursor: String?
}
