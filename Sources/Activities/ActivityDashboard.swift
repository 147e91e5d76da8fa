import Foundation
import Gateway
import Postgres
import Vocabulary

/// The Activities plugin's parts of the dashboard (`/`): under each partnership its latest activity and latest
/// update, and the activities recorded or changed and the updates posted since the person's previous visit.
/// Each part is one statement, limited to what the caller may see by the same ``ReadScope`` as every other
/// read of activities.
struct ActivityDashboard: Sendable {
    let repository = ActivityDashboardRepository()

    func register(on sections: DashboardSections) {
        sections.addLatest(order: 10) { ids, viewer, context in
            try await latest(ids, viewer, context)
        }
        sections.addChanges { since, limit, viewer, context in
            try await changes(since: since, limit: limit, viewer, context)
        }
    }

    func latest(_ ids: [UUID], _ viewer: DashboardSections.Viewer, _ context: GatewayRequestContext)
        async throws -> [UUID: [String]]
    {
        let access = try TenantAccess(context)
        let words = ActivityDashboardWords.all[viewer.language]
        let rows = try await repository.latest(ids, scope: access.scope, on: try context.requireConnection())
        var lines: [UUID: [String]] = [:]
        for row in rows {
            var html: [String] = []
            if let activity = row.activity {
                html.append(
                    #"<span class="latest-label">\#(HTML.escape(words.latestActivity)):</span> "#
                        + Self.link(activity.id, activity.title) + " · " + Self.time(activity.at, viewer))
            } else {
                html.append(HTML.escape(words.noActivity))
            }
            if let update = row.update {
                html.append(
                    #"<span class="latest-label">\#(HTML.escape(words.latestUpdate)):</span> "#
                        + Self.link(update.activity, update.title, fragment: "#updates") + " · "
                        + Self.time(update.at, viewer))
            }
            lines[row.partnership] = html
        }
        return lines
    }

    func changes(
        since: Date?, limit: Int, _ viewer: DashboardSections.Viewer, _ context: GatewayRequestContext
    ) async throws -> [DashboardSections.Change] {
        let access = try TenantAccess(context)
        let language = viewer.language
        let words = ActivityDashboardWords.all[language]
        let rows = try await repository.changes(
            since: since, limit: limit, scope: access.scope, on: try context.requireConnection())
        return rows.map { row in
            let html: String
            switch row.kind {
            case .recorded:
                html = Self.fill(words.recorded, Self.link(row.activity, row.title))
            case .changed:
                let status = ActivityStatus(rawValue: row.status).map { $0.name(in: language) } ?? row.status
                html =
                    Self.fill(words.changed, Self.link(row.activity, row.title))
                    + " (\(HTML.escape(words.status)): \(HTML.escape(status)))"
            case .posted:
                html = Self.fill(words.posted, Self.link(row.activity, row.title, fragment: "#updates"))
            }
            return DashboardSections.Change(at: row.at, partnership: row.partnership, html: html)
        }
    }

    static func link(_ id: UUID, _ title: String, fragment: String = "") -> String {
        #"<a href="/activities/\#(id.uuidString.lowercased())\#(fragment)">\#(HTML.escape(title))</a>"#
    }

    static func time(_ date: Date, _ viewer: DashboardSections.Viewer) -> String {
        #"<time datetime="\#(HTML.datetime(date))">\#(HTML.escape(viewer.instant(date)))</time>"#
    }

    /// `words` (escaped) with `{activity}` replaced by `html`.
    static func fill(_ words: String, _ html: String) -> String {
        HTML.escape(words).replacingOccurrences(of: "{activity}", with: html)
    }
}

/// The dashboard's statements on the `activities` schema.
struct ActivityDashboardRepository: Sendable {
    struct Latest {
        var partnership: UUID
        var activity: (id: UUID, title: String, at: Date)?
        var update: (activity: UUID, title: String, at: Date)?
    }

    /// The newest activity (by when it was recorded) and the newest update of each partnership of `ids` that
    /// `scope` may see: one statement, two index probes per partnership (`activities_by_partnership`,
    /// `updates_by_partnership` of migration 0029).
    func latest(_ ids: [UUID], scope: ReadScope, on connection: PostgresConnection) async throws -> [Latest] {
        try await connection.query(
            """
            SELECT p.id, a.id, a.title, a.created_at, u.activity_id, u.title, u.posted_at
            FROM activities.partnerships p
            LEFT JOIN LATERAL (
                SELECT x.id, x.title, x.created_at FROM activities.activities x
                WHERE x.tenant_id = p.tenant_id AND x.partnership_id = p.id
                ORDER BY x.created_at DESC, x.id DESC LIMIT 1
            ) a ON true
            LEFT JOIN LATERAL (
                SELECT v.activity_id, x.title, v.posted_at
                FROM activities.updates v
                JOIN activities.activities x ON x.tenant_id = v.tenant_id AND x.id = v.activity_id
                WHERE v.tenant_id = p.tenant_id AND v.partnership_id = p.id
                ORDER BY v.posted_at DESC LIMIT 1
            ) u ON true
            WHERE p.id = ANY(\(ids)) AND \(fragment: scope.activities(partnership: "p.id"))
            """
        ).map { row in
            let (partnership, activity, title, at, updated, updatedTitle, posted) = try row.decode(
                (UUID, UUID?, String?, Date?, UUID?, String?, Date?).self)
            var latest = Latest(partnership: partnership)
            if let activity, let title, let at { latest.activity = (activity, title, at) }
            if let updated, let updatedTitle, let posted { latest.update = (updated, updatedTitle, posted) }
            return latest
        }
    }

    struct Change {
        enum Kind: String { case recorded, changed, posted }
        var kind: Kind
        var at: Date
        var partnership: UUID
        var activity: UUID
        var title: String
        var status: String
    }

    /// The newest `limit` of: activities recorded, activities changed, updates posted, after `since` (all when
    /// `nil`), in the partnerships `scope` may see, newest first.
    func changes(since: Date?, limit: Int, scope: ReadScope, on connection: PostgresConnection) async throws
        -> [Change]
    {
        try await connection.query(
            """
            (SELECT 'recorded', a.created_at AS at, a.partnership_id, a.id, a.title, a.status
             FROM activities.activities a
             WHERE (\(since)::timestamptz IS NULL OR a.created_at > \(since)::timestamptz)
               AND \(fragment: scope.activities(partnership: "a.partnership_id"))
             ORDER BY a.created_at DESC LIMIT \(limit))
            UNION ALL
            (SELECT 'changed', a.updated_at, a.partnership_id, a.id, a.title, a.status
             FROM activities.activities a
             WHERE (\(since)::timestamptz IS NULL OR a.updated_at > \(since)::timestamptz)
               AND a.updated_at > a.created_at
               AND \(fragment: scope.activities(partnership: "a.partnership_id"))
             ORDER BY a.updated_at DESC LIMIT \(limit))
            UNION ALL
            (SELECT 'posted', u.posted_at, a.partnership_id, a.id, a.title, a.status
             FROM activities.updates u
             JOIN activities.activities a ON a.tenant_id = u.tenant_id AND a.id = u.activity_id
             WHERE (\(since)::timestamptz IS NULL OR u.posted_at > \(since)::timestamptz)
               AND \(fragment: scope.activities(partnership: "a.partnership_id"))
             ORDER BY u.posted_at DESC LIMIT \(limit))
            ORDER BY at DESC LIMIT \(limit)
            """
        ).compactMap { row in
            let (kind, at, partnership, activity, title, status) = try row.decode(
                (String, Date, UUID, UUID, String, String).self)
            return Change.Kind(rawValue: kind).map {
                Change(kind: $0, at: at, partnership: partnership, activity: activity, title: title, status: status)
            }
        }
    }

    /// A page of the updates of the partnership's activities, newest first: `limit + 1` rows.
    func timeline(
        of partnership: UUID, limit: Int, before: (date: Date, id: UUID)?, on connection: PostgresConnection
    ) async throws -> [(update: ProgressUpdate, activity: UUID, title: String)] {
        try await connection.query(
            """
            SELECT u.id, u.author_id, u.body, u.posted_at, a.id, a.title
            FROM activities.updates u
            JOIN activities.activities a ON a.tenant_id = u.tenant_id AND a.id = u.activity_id
            WHERE a.partnership_id = \(partnership)
              AND (\(before?.date)::timestamptz IS NULL
                   OR (u.posted_at, u.id) < (\(before?.date)::timestamptz, \(before?.id)::uuid))
            ORDER BY u.posted_at DESC, u.id DESC
            LIMIT \(limit + 1)
            """
        ).map { row in
            let (id, author, body, posted, activity, title) = try row.decode(
                (UUID, UUID, String, Date, UUID, String).self)
            return (ProgressUpdate(id: id, authorId: author, body: body, postedAt: posted), activity, title)
        }
    }
}
