import Foundation
import Gateway
import Kernel
import Messaging
import PartnershipsContracts
import Postgres
import Vocabulary

/// Every operation on partnerships and their members, for the HTTP routes and the command line alike: each
/// checks the caller's access and the rules, writes through ``PartnershipsRepository`` in the caller's
/// transaction, and publishes its events.
///
/// Inputs that a request carries are read once the caller's access is checked (`@autoclosure`), so a caller
/// who may not write hears 403 whatever body they send, as before.
public struct PartnershipsService: Sendable {
    let publisher: EventPublisher
    /// Who the municipality's users are: a new member must be one of them.
    let people: any People
    let repository = PartnershipsRepository()

    /// A service that publishes through `publisher` and knows the users through `people`.
    public init(publisher: EventPublisher, people: any People) {
        self.publisher = publisher
        self.people = people
    }

    // MARK: Reading

    /// The partnership if this caller may see it; `lock` when about to change it.
    func partnership(_ id: UUID, access: TenantAccess, lock: Bool = false, on connection: PostgresConnection)
        async throws -> PartnershipRecord
    {
        guard let record = try await repository.partnership(id, scope: access.scope, lock: lock, on: connection)
        else { throw Problem.notFound("no such partnership") }
        return record
    }

    func list(
        _ filter: PartnershipFilter,
        limit: Int,
        after: (date: Date, id: UUID)?,
        access: TenantAccess,
        on connection: PostgresConnection
    ) async throws -> PartnershipPage {
        let rows = try await repository.partnerships(
            filter, scope: access.scope, limit: limit, after: after, on: connection)
        let (items, next) = Pagination.page(rows, limit: limit) { ($0.createdAt, $0.id) }
        return PartnershipPage(items: items, nextCursor: next)
    }

    // MARK: Writing

    /// Records a partnership of the caller's municipality; administrators and coordinators only.
    public func create(
        _ input: @autoclosure () async throws -> NewPartnership,
        access: TenantAccess,
        on connection: PostgresConnection
    ) async throws -> PartnershipRecord {
        try access.requireWrite("partnerships")
        let body = try await input().checked()
        let id = UUID.timeOrdered()
        try await repository.insert(id, body, tenant: access.tenantID, on: connection)
        let record = try await partnership(id, access: access, on: connection)
        try await publisher.publish(record.created, as: access, in: connection)
        return record
    }

    /// Changes a partnership's fields; announces the change, and its status change when there is one.
    /// Changing nothing answers the partnership as it is and announces nothing.
    func update(
        _ id: UUID,
        with edit: @autoclosure () async throws -> (changes: PartnershipChanges, expectedVersion: Int?),
        access: TenantAccess,
        on connection: PostgresConnection
    ) async throws -> PartnershipRecord {
        let current = try await partnership(id, access: access, lock: true, on: connection)
        try access.requireWrite("partnerships")
        let (changes, expectedVersion) = try await edit()
        let body = try changes.checked()
        if let expectedVersion, expectedVersion != current.version {
            throw Problem.preconditionFailed(current: current.version)
        }
        let startedOn = body.startedOn.applied(to: current.startedOn)
        let endedOn = body.endedOn.applied(to: current.endedOn)
        let dateErrors = PartnershipRules.dates(startedOn, endedOn)
        if !dateErrors.isEmpty { throw Problem.validation(dateErrors) }
        var changed: [String] = []
        if let title = body.title, title != current.title { changed.append("title") }
        if let partner = body.partner, partner != current.partner { changed.append("partner") }
        if let status = body.status, status != current.status.rawValue { changed.append("status") }
        if startedOn != current.startedOn { changed.append("startedOn") }
        if endedOn != current.endedOn { changed.append("endedOn") }
        if let description = body.description, description != current.description { changed.append("description") }
        if let focus = body.sdgFocus, focus.sorted() != current.sdgFocus { changed.append("sdgFocus") }
        if let published = body.published, published != current.published { changed.append("published") }
        if let story = body.story, story != current.story { changed.append("story") }
        guard !changed.isEmpty else { return current }
        var next = current
        next.title = body.title ?? current.title
        next.partner = body.partner ?? current.partner
        next.status = try body.status.map { try FieldCheck.word($0, field: "status") } ?? current.status
        next.startedOn = startedOn
        next.endedOn = endedOn
        next.description = body.description ?? current.description
        next.sdgFocus = body.sdgFocus ?? current.sdgFocus
        next.story = body.story ?? current.story
        try await publication(of: &next, published: body.published ?? current.published, access: access, on: connection)
        try await repository.update(next, on: connection)
        let record = try await partnership(id, access: access, on: connection)
        try await publisher.publish(record.updated(changed), as: access, in: connection)
        if record.status != current.status {
            try await publisher.publish(record.statusChanged(from: current.status), as: access, in: connection)
        }
        return record
    }

    /// Puts `partnership` on the showcase or takes it off: a publication is stamped with its time, and the
    /// first one gives the partnership its slug from the partner's name (as it is after this change), which
    /// it keeps for good, so an address once public stays the partnership's. Unpublishing keeps the slug.
    private func publication(
        of partnership: inout PartnershipRecord, published: Bool, access: TenantAccess,
        on connection: PostgresConnection
    ) async throws {
        guard published != partnership.published else { return }
        partnership.published = published
        partnership.publishedAt = published ? Date() : nil
        if published, partnership.slug == nil {
            let taken = try await repository.takenSlugs(tenant: access.tenantID, on: connection)
            partnership.slug = PartnershipSlug.free(for: partnership.partner.name, taken: taken)
        }
    }

    /// Deletes a partnership that has no activities; administrators only.
    func delete(_ id: UUID, access: TenantAccess, on connection: PostgresConnection) async throws {
        let current = try await partnership(id, access: access, lock: true, on: connection)
        guard access.identity.role == .admin else {
            throw Problem.forbidden("only administrators delete partnerships")
        }
        guard current.activityCount == 0 else {
            throw Problem.conflict("the partnership has \(current.activityCount) activities; delete them first")
        }
        try await repository.delete(id, on: connection)
        try await publisher.publish(current.deleted, as: access, in: connection)
    }

    /// Makes a user of the municipality a member of the partnership, or changes their role.
    public func addMember(
        _ input: @autoclosure () async throws -> NewMember,
        to id: UUID,
        access: TenantAccess,
        on connection: PostgresConnection
    ) async throws -> PartnershipRecord {
        _ = try await partnership(id, access: access, lock: true, on: connection)
        try access.requireWrite("partnerships")
        let body = try await input().checked()
        guard try await isActiveUser(body.userId, on: connection) else {
            throw Problem.validation([.init(field: "userId", message: "is not a user of this municipality")])
        }
        let member = PartnershipMember(userId: body.userId, role: try FieldCheck.word(body.role, field: "role"))
        try await repository.addMember(member, to: id, tenant: access.tenantID, on: connection)
        let record = try await partnership(id, access: access, on: connection)
        try await publisher.publish(record.memberAdded(member), as: access, in: connection)
        return record
    }

    func removeMember(_ userID: UUID, from id: UUID, access: TenantAccess, on connection: PostgresConnection)
        async throws
    {
        _ = try await partnership(id, access: access, lock: true, on: connection)
        try access.requireWrite("partnerships")
        guard try await repository.removeMember(userID, from: id, on: connection) else {
            throw Problem.notFound("no such member")
        }
        let record = try await partnership(id, access: access, on: connection)
        try await publisher.publish(record.memberRemoved(userID), as: access, in: connection)
    }

    /// Whether the user exists in the caller's municipality and is not disabled.
    func isActiveUser(_ id: UUID, on connection: PostgresConnection) async throws -> Bool {
        try await people.person(id, on: connection)?.isActive ?? false
    }
}
