import Foundation
import Gateway
import PartnershipsContracts
import Postgres
import ReferenceData
import Vocabulary

/// The values a partnership's fields may take.
enum PartnershipRules {
    static let statuses = PartnershipStatus.allCases.map(\.rawValue)
    static let memberRoles = PartnershipRole.allCases.map(\.rawValue)

    static func partner(_ partner: Partner?, field: String) -> [Problem.FieldError] {
        guard let partner else { return [] }
        var errors = FieldCheck.name(partner.name, field: "\(field).name")
        if !Countries.isValid(partner.country) {
            errors.append(.init(field: "\(field).country", message: "must be an ISO 3166-1 alpha-2 code such as SN"))
        }
        errors += FieldCheck.name(partner.region, field: "\(field).region")
        if let website = partner.website {
            let url = URL(string: website)
            if website.unicodeScalars.count > 2000 || url?.scheme.map({ ["http", "https"].contains($0) }) != true
                || url?.host == nil
            {
                errors.append(.init(field: "\(field).website", message: "must be an http or https address"))
            }
        }
        return errors
    }

    static func sdgFocus(_ goals: [Int]?) -> [Problem.FieldError] {
        guard let goals else { return [] }
        if goals.contains(where: { !(1...17).contains($0) }) {
            return [.init(field: "sdgFocus", message: "goals are numbered 1 to 17")]
        }
        if Set(goals).count != goals.count { return [.init(field: "sdgFocus", message: "must not repeat a goal")] }
        return []
    }

    static func description(_ text: String?) -> [Problem.FieldError] {
        FieldCheck.text(text, field: "description")
    }

    /// The most a story for the public page may hold (the table's check).
    static let storyLength = 5_000

    static func story(_ text: String?) -> [Problem.FieldError] {
        FieldCheck.text(text, field: "story", maximum: storyLength)
    }

    static func dates(_ start: CalendarDate?, _ end: CalendarDate?) -> [Problem.FieldError] {
        guard let start, let end, end < start else { return [] }
        return [.init(field: "endedOn", message: "must not be before startedOn")]
    }
}

/// A new partnership, as `POST /api/v1/partnerships` takes it and ``PartnershipsService`` records it.
public struct NewPartnership: RequestBody {
    public static let fields: Set<String> = [
        "title", "partner", "status", "startedOn", "endedOn", "description", "sdgFocus",
    ]
    var title: String
    var partner: Partner
    var status: String?
    var startedOn: CalendarDate?
    var endedOn: CalendarDate?
    var description: String?
    var sdgFocus: [Int]?

    public func validate() -> [Problem.FieldError] {
        FieldCheck.name(title, field: "title") + PartnershipRules.partner(partner, field: "partner")
            + FieldCheck.oneOf(status, PartnershipRules.statuses, field: "status")
            + PartnershipRules.dates(startedOn, endedOn) + PartnershipRules.description(description)
            + PartnershipRules.sdgFocus(sdgFocus)
    }
}

/// A PATCH of a partnership: fields left out stay; `null` clears `startedOn` or `endedOn` (a partnership
/// that resumes); `partner` replaces the partner municipality whole. `published` and `story` put it on the
/// public showcase, or take it off (a partnership is created unpublished).
struct PartnershipChanges: RequestBody {
    static let fields = NewPartnership.fields.union(["published", "story"])
    var title: String?
    var partner: Partner?
    var status: String?
    var startedOn: PatchField<CalendarDate>
    var endedOn: PatchField<CalendarDate>
    var description: String?
    var sdgFocus: [Int]?
    var published: Bool?
    var story: String?

    func validate() -> [Problem.FieldError] {
        FieldCheck.name(title, field: "title") + PartnershipRules.partner(partner, field: "partner")
            + FieldCheck.oneOf(status, PartnershipRules.statuses, field: "status")
            + PartnershipRules.description(description) + PartnershipRules.sdgFocus(sdgFocus)
            + PartnershipRules.story(story)
    }
}

/// A member for a partnership, as `POST /api/v1/partnerships/{id}/members` takes it.
public struct NewMember: RequestBody {
    public static let fields: Set<String> = ["userId", "role"]
    var userId: UUID
    var role: String

    public func validate() -> [Problem.FieldError] {
        FieldCheck.oneOf(role, PartnershipRules.memberRoles, field: "role")
    }
}

extension NewPartnership {
    /// A partnership to record; ``PartnershipsService`` checks it as it checks a request's body.
    public init(
        title: String, partner: Partner, status: PartnershipStatus? = nil, startedOn: CalendarDate? = nil,
        endedOn: CalendarDate? = nil, description: String? = nil, sdgFocus: [Int]? = nil
    ) {
        self.title = title
        self.partner = partner
        self.status = status?.rawValue
        self.startedOn = startedOn
        self.endedOn = endedOn
        self.description = description
        self.sdgFocus = sdgFocus
    }
}

extension NewMember {
    /// The user `userId` as the partnership's `role`.
    public init(userId: UUID, role: PartnershipRole) {
        self.userId = userId
        self.role = role.rawValue
    }
}
