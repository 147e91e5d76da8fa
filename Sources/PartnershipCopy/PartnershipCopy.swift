import Foundation
import Messaging
import PartnershipsContracts
import Postgres
import Vocabulary

/// A plugin's own copy of the partnerships and their members, kept from the Partnerships plugin's events so
/// the plugin never reads another module's schema: Activities, Notifications and Reporting each keep one.
///
/// Every partnership event carries the partnership's whole state and version, so keeping the copy is an
/// upsert that only a newer version wins, followed by replacing the members. The plugin names its own tables
/// (literals, never request values), so it still writes only its own schema.
public struct PartnershipCopy: Sendable {
    /// The copy's partnerships: `tenant_id`, `id`, `title`, `version`, `status` when ``keepsStatus`` and
    /// `partner_name` when ``keepsPartnerName``, `partner_country` when ``keepsPartnerCountry``.
    let partnerships: StaticString
    /// The copy's members: `tenant_id`, `partnership_id`, `user_id`, `role`.
    let members: StaticString
    let keepsStatus: Bool
    let keepsPartnerName: Bool
    let keepsPartnerCountry: Bool

    /// A copy in the plugin's own tables; `keepsStatus` when the partnerships table has a `status` column,
    /// `keepsPartnerName` when it has a `partner_name` column (the partner municipality's name, which Results
    /// writes into its digest lines: "Dogbo reported 74 %"), `keepsPartnerCountry` when it has a
    /// `partner_country` column (its ISO code, which Learning's library filters by).
    public init(
        partnerships: StaticString,
        members: StaticString,
        keepsStatus: Bool,
        keepsPartnerName: Bool = false,
        keepsPartnerCountry: Bool = false
    ) {
        self.partnerships = partnerships
        self.members = members
        self.keepsStatus = keepsStatus
        self.keepsPartnerName = keepsPartnerName
        self.keepsPartnerCountry = keepsPartnerCountry
    }

    /// Keeps the copy in the publisher's transaction from every event that carries a partnership as it now is
    /// (deletion is the plugin's own: some forget, some keep a tombstone).
    public func subscribe(into events: inout EventSubscriptions) {
        events.subscribeInTransaction(to: PartnershipCreated.self) { try await apply($0, on: $1) }
        events.subscribeInTransaction(to: PartnershipUpdated.self) { try await apply($0, on: $1) }
        events.subscribeInTransaction(to: PartnershipMemberAdded.self) { try await apply($0, on: $1) }
        events.subscribeInTransaction(to: PartnershipMemberRemoved.self) { try await apply($0, on: $1) }
    }

    func apply<E: PartnershipEvent>(_ envelope: EventEnvelope<E>, on connection: PostgresConnection) async throws {
        try await apply(envelope.event.partnership, tenant: envelope.tenantID, on: connection)
    }

    /// Upserts the partnership's title (and status, and partner's name and country) and replaces its members, ignoring a
    /// state older than what the copy holds.
    public func apply(_ state: PartnershipState, tenant: UUID, on connection: PostgresConnection) async throws {
        let id = state.id.rawValue
        var values: PostgresQuery = ""
        var columns = "title"
        var changes = "title = excluded.title"
        if keepsStatus {
            values = "\(fragment: values), \(state.status)"
            columns += ", status"
            changes += ", status = excluded.status"
        }
        if keepsPartnerName {
            values = "\(fragment: values), \(state.partner.name)"
            columns += ", partner_name"
            changes += ", partner_name = excluded.partner_name"
        }
        if keepsPartnerCountry {
            values = "\(fragment: values), \(state.partner.country)"
            columns += ", partner_country"
            changes += ", partner_country = excluded.partner_country"
        }
        let applied = try await connection.query(
            """
            INSERT INTO \(unsafeSQL: "\(partnerships)") AS copy (tenant_id, id, \(unsafeSQL: columns), version)
            VALUES (\(tenant), \(id), \(state.title)\(fragment: values), \(state.version))
            ON CONFLICT (tenant_id, id) DO UPDATE SET \(unsafeSQL: changes), version = excluded.version
                WHERE copy.version < excluded.version
            """
        )
        guard applied.affectedRows == 1 else { return }
        try await Self.replaceMembers(state, tenant: tenant, in: members, on: connection)
    }

    /// Replaces the partnership's members in `table` with those of `state`, which a version guard just let
    /// through.
    public static func replaceMembers(
        _ state: PartnershipState,
        tenant: UUID,
        in table: StaticString,
        on connection: PostgresConnection
    ) async throws {
        let id = state.id.rawValue
        try await connection.query(
            "DELETE FROM \(unsafeSQL: "\(table)") WHERE tenant_id = \(tenant) AND partnership_id = \(id)")
        guard !state.members.isEmpty else { return }
        try await connection.query(
            """
            INSERT INTO \(unsafeSQL: "\(table)") (tenant_id, partnership_id, user_id, role)
            SELECT \(tenant), \(id), m.u, m.r
            FROM unnest(\(state.members.map(\.userId))::uuid[], \(state.members.map(\.role.rawValue))::text[]) AS m(u, r)
            ON CONFLICT DO NOTHING
            """)
    }
}
