import Foundation
import Postgres

/// How much of their municipality's work a caller may read: all of it, or only the partnerships one user is a
/// member of and what belongs to them (activities, updates, figures, digests).
///
/// Every read path of every plugin takes this one value (from ``TenantAccess/scope``) and turns it into a
/// condition on the plugin's *own* copy of the partnerships' members, with ``condition(partnership:members:)``:
/// a plugin never reads another plugin's schema, and no route decides on its own who sees what. Row-level
/// security keeps municipalities apart; this keeps partner coordinators, who work outside the municipality,
/// to their partnerships inside it.
public enum ReadScope: Sendable, Hashable {
    /// The whole municipality: administrators, coordinators and viewers.
    case municipality
    /// Only the partnerships this user is a member of: partner coordinators.
    case memberships(of: UUID)

    /// The scope a role gives; platform administrators, who see no municipality's rows, never get this far.
    public init(role: Identity.Role, userID: UUID) {
        self = role == .partnerCoordinator ? .memberships(of: userID) : .municipality
    }

    /// Whether the scope is the whole municipality: what a municipality publishes as a whole (the IATI export)
    /// or manages as a whole (its users) needs it.
    public var isMunicipality: Bool { self == .municipality }

    /// The SQL condition that keeps a row whose partnership id is in `column` when the partnership is in scope,
    /// given the plugin's own membership table (with `partnership_id` and `user_id` columns, tenant-scoped by
    /// row-level security). The whole municipality is `true`, which the planner folds away.
    ///
    /// Both names are literals in the calling code (`StaticString`), so no request value can become SQL.
    public func condition(partnership column: StaticString, members table: StaticString) -> PostgresQuery {
        switch self {
        case .municipality:
            return "true"
        case .memberships(let user):
            return """
                EXISTS (SELECT FROM \(unsafeSQL: "\(table)") scope_member
                    WHERE scope_member.partnership_id = \(unsafeSQL: "\(column)") AND scope_member.user_id = \(user))
                """
        }
    }
}
