import Foundation
import Gateway
import Postgres
import Vocabulary

/// The dashboard's own changes, on the `partnerships` schema: partnerships started, changed (their status
/// named), and members added, after the person's previous visit, in the partnerships they may see; the other
/// plugins' changes come through ``DashboardSections``. One statement, each part read through its index.
struct DashboardChanges: Sendable {
    struct Row {
        enum Kind: String { case created, changed, member }
        var kind: Kind
        var at: Date
        var partnership: UUID
        var status: String
        var member: UUID?
    }

    /// The newest `limit` changes after `since` (all when `nil`), newest first.
    func rows(since: Date?, limit: Int, scope: ReadScope, on connection: PostgresConnection) async throws -> [Row] {
        try await connection.query(
            """
            (SELECT 'created', p.created_at AS at, p.id, p.status, NULL::uuid
             FROM partnerships.partnerships p
             WHERE (\(since)::timestamptz IS NULL OR p.created_at > \(since)::timestamptz)
               AND \(fragment: scope.partnerships(partnership: "p.id"))
             ORDER BY p.created_at DESC LIMIT \(limit))
            UNION ALL
            (SELECT 'changed', p.updated_at, p.id, p.status, NULL::uuid
             FROM partnerships.partnerships p
             WHERE (\(since)::timestamptz IS NULL OR p.updated_at > \(since)::timestamptz)
               AND p.updated_at > p.created_at
               AND NOT EXISTS (
                   SELECT FROM partnerships.members m
                   WHERE m.tenant_id = p.tenant_id AND m.partnership_id = p.id
                     AND m.added_at BETWEEN p.updated_at - interval '1 second' AND p.updated_at)
               AND \(fragment: scope.partnerships(partnership: "p.id"))
             ORDER BY p.updated_at DESC LIMIT \(limit))
            UNION ALL
            (SELECT 'member', m.added_at, m.partnership_id, '', m.user_id
             FROM partnerships.members m
             WHERE (\(since)::timestamptz IS NULL OR m.added_at > \(since)::timestamptz)
               AND \(fragment: scope.partnerships(partnership: "m.partnership_id"))
             ORDER BY m.added_at DESC LIMIT \(limit))
            ORDER BY at DESC LIMIT \(limit)
            """
        ).compactMap { row in
            let (kind, at, partnership, status, member) = try row.decode((String, Date, UUID, String, UUID?).self)
            return Row.Kind(rawValue: kind).map {
                Row(kind: $0, at: at, partnership: partnership, status: status, member: member)
            }
        }
    }
}
