import Foundation
import Messaging
import Vocabulary

/// What a ``PartnershipID`` identifies.
public enum PartnershipTag {}

/// The id of a partnership (a stedenband).
public typealias PartnershipID = Identifier<PartnershipTag>

/// The partner municipality in the Global South.
public struct Partner: Codable, Sendable, Hashable {
    public var name: String
    /// ISO 3166-1 alpha-2.
    public var country: String
    public var region: String?
    public var website: String?

    public init(name: String, country: String, region: String? = nil, website: String? = nil) {
        self.name = name
        self.country = country
        self.region = region
        self.website = website
    }
}

/// A member of a partnership and their role in it.
public struct PartnershipMember: Codable, Sendable, Hashable {
    public var userId: UUID
    public var role: PartnershipRole

    public init(userId: UUID, role: PartnershipRole) {
        self.userId = userId
        self.role = role
    }
}

/// A partnership's state as every event carries it, so subscribers never read the Partnerships schema.
public struct PartnershipState: Codable, Sendable, Hashable {
    public var id: PartnershipID
    public var title: String
    public var partner: Partner
    public var status: PartnershipStatus
    public var startedOn: CalendarDate?
    public var endedOn: CalendarDate?
    public var sdgFocus: [Int]
    public var members: [PartnershipMember]
    public var version: Int
    /// Whether the partnership is on the public showcase; `nil` in the events published before partnerships
    /// could be published (before issue 18), which a subscriber reads as "not published".
    public var published: Bool?
    /// When it was last published; `nil` while unpublished and in the events published before issue 18.
    public var publishedAt: Date?
    /// The story for the public page (never the internal description); `nil` in the events published before
    /// issue 18, where a subscriber keeps what it knew.
    public var story: String?
    /// The partnership's address on the showcase, made at its first publication and never changed;
    /// `nil` until then and in the events published before issue 18.
    public var slug: String?

    public init(
        id: PartnershipID,
        title: String,
        partner: Partner,
        status: PartnershipStatus,
        startedOn: CalendarDate?,
        endedOn: CalendarDate?,
        sdgFocus: [Int],
        members: [PartnershipMember],
        version: Int,
        published: Bool? = nil,
        publishedAt: Date? = nil,
        story: String? = nil,
        slug: String? = nil
    ) {
        self.id = id
        self.title = title
        self.partner = partner
        self.status = status
        self.startedOn = startedOn
        self.endedOn = endedOn
        self.sdgFocus = sdgFocus
        self.members = members
        self.version = version
        self.published = published
        self.publishedAt = publishedAt
        self.story = story
        self.slug = slug
    }
}

/// Every partnership event carries the partnership's state after the change.
public protocol PartnershipEvent: Event {
    /// The partnership after the change.
    var partnership: PartnershipState { get }
}

extension PartnershipEvent {
    public var aggregateID: UUID { partnership.id.rawValue }
    public var aggregateVersion: Int { partnership.version }
}

/// A partnership was registered.
public struct PartnershipCreated: PartnershipEvent {
    public static let name = "partnerships.partnership_created.v1"
    public var partnership: PartnershipState
    public init(partnership: PartnershipState) { self.partnership = partnership }
}

/// Fields of a partnership changed; `changedFields` names them as the API does.
public struct PartnershipUpdated: PartnershipEvent {
    public static let name = "partnerships.partnership_updated.v1"
    public var partnership: PartnershipState
    public var changedFields: [String]
    public init(partnership: PartnershipState, changedFields: [String]) {
        self.partnership = partnership
        self.changedFields = changedFields
    }
}

/// A partnership's status changed (also announced by `PartnershipUpdated`).
public struct PartnershipStatusChanged: PartnershipEvent {
    public static let name = "partnerships.partnership_status_changed.v1"
    public var partnership: PartnershipState
    public var previousStatus: PartnershipStatus
    public init(partnership: PartnershipState, previousStatus: PartnershipStatus) {
        self.partnership = partnership
        self.previousStatus = previousStatus
    }
}

/// A user became a member of a partnership.
public struct PartnershipMemberAdded: PartnershipEvent {
    public static let name = "partnerships.partnership_member_added.v1"
    public var partnership: PartnershipState
    public var member: PartnershipMember
    public init(partnership: PartnershipState, member: PartnershipMember) {
        self.partnership = partnership
        self.member = member
    }
}

/// A user stopped being a member of a partnership.
public struct PartnershipMemberRemoved: PartnershipEvent {
    public static let name = "partnerships.partnership_member_removed.v1"
    public var partnership: PartnershipState
    public var userId: UUID
    public init(partnership: PartnershipState, userId: UUID) {
        self.partnership = partnership
        self.userId = userId
    }
}

/// A partnership was deleted; `partnership` is its last state.
public struct PartnershipDeleted: PartnershipEvent {
    public static let name = "partnerships.partnership_deleted.v1"
    public var partnership: PartnershipState
    public init(partnership: PartnershipState) { self.partnership = partnership }
}
