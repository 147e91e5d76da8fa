import Foundation
import Gateway
import Kernel
import LearningContracts
import Messaging
import Postgres
import Vocabulary

/// Every operation on lessons, for the HTTP routes (and later the pages) alike: each checks the caller's
/// access and the rules, writes through ``LearningRepository`` in the caller's transaction, and publishes its
/// events there.
///
/// The answers keep the order of ``ResultsService``'s: the lesson (or its activity) in the caller's scope, else
/// 404; then the role (403); then the body (422), and what the body asks that the role may not do (403, naming
/// the field: a partner coordinator's `side`, a coordinator's change to a partner coordinator's words); then
/// `If-Match` (412). A body is read once the caller's role is checked (`@autoclosure`).
///
/// Who may do what (docs/learning.md): administrators and coordinators write on either side, retag, share,
/// publish and delete any lesson; partner coordinators write, change and delete only what the partner
/// municipality learnt; the words (title, text, language, side) of a lesson a partner coordinator wrote on the
/// partner's side are the partner coordinators' and its author's; viewers read.
public struct LearningService: Sendable {
    let publisher: EventPublisher
    let repository = LearningRepository()

    /// A service that publishes through `publisher`.
    public init(publisher: EventPublisher) {
        self.publisher = publisher
    }

    /// The fields that are a lesson's words rather than its tags.
    static let words: [String] = ["title", "body", "language", "side"]

    /// A lesson the caller may see.
    func lesson(_ id: UUID, access: TenantAccess, lock: Bool = false, on connection: PostgresConnection)
        async throws -> LessonRecord
    {
        guard let record = try await repository.lesson(id, scope: access.scope, lock: lock, on: connection) else {
            throw Problem.notFound("no such lesson")
        }
        return record
    }

    /// The names of an activity the caller may see and of its partner municipality (what the lesson pages
    /// show); 404 when the caller may not see it.
    func activity(_ id: UUID, access: TenantAccess, on connection: PostgresConnection) async throws
        -> LearningRepository.Names
    {
        guard try await repository.activityExists(id, scope: access.scope, on: connection),
            let names = try await repository.names(of: id, on: connection)
        else { throw Problem.notFound("no such activity") }
        return names
    }

    /// A page of an activity's lessons, oldest first.
    func lessons(
        of activity: UUID, limit: Int, after: (date: Date, id: UUID)?, access: TenantAccess,
        on connection: PostgresConnection
    ) async throws -> LessonPage {
        guard try await repository.activityExists(activity, scope: access.scope, on: connection) else {
            throw Problem.notFound("no such activity")
        }
        let rows = try await repository.lessons(
            of: activity, scope: access.scope, limit: limit, after: after, on: connection)
        let page = Pagination.page(rows, limit: limit) { ($0.createdAt, $0.id) }
        return LessonPage(items: page.items, nextCursor: page.nextCursor)
    }

    /// Writes a lesson on an activity the caller may see: administrators and coordinators on either side,
    /// partner coordinators on the partner's side only.
    public func write(
        _ input: @autoclosure () async throws -> NewLesson,
        on activity: UUID,
        access: TenantAccess,
        on connection: PostgresConnection
    ) async throws -> LessonRecord {
        let lesson: NewLesson
        do {
            guard access.canPostUpdates else { throw Problem.forbidden("viewers do not write lessons") }
            // A request's body was checked when it was decoded; a page's form and the demo are checked here.
            lesson = try await input().checked()
            if access.identity.role == .partnerCoordinator && lesson.checkedSide != .partnerMunicipality {
                throw Self.partnerSide
            }
            try await requireOpen(lesson.policyDomain, on: connection)
        } catch {
            // Outside the caller's scope, every refusal is a 404: nothing tells them the activity exists.
            guard try await repository.activityExists(activity, scope: access.scope, on: connection) else {
                throw Problem.notFound("no such activity")
            }
            throw error
        }
        guard
            let record = try await repository.insert(
                lesson, on: activity, tenant: access.tenantID, author: access.userID, scope: access.scope,
                on: connection)
        else { throw Problem.notFound("no such activity") }
        let names = try await repository.names(of: record.activityId, on: connection)
        try await publisher.publish(record.written(names), as: access, in: connection)
        return record
    }

    /// Changes a lesson's words or tags and announces which; changing nothing answers the lesson as it is.
    func change(
        _ id: UUID,
        with edit: @autoclosure () async throws -> (changes: LessonChanges, expectedVersion: Int?),
        access: TenantAccess,
        on connection: PostgresConnection
    ) async throws -> LessonRecord {
        let current = try await lesson(id, access: access, lock: true, on: connection)
        try Self.requireHand(on: current, access: access, doing: "change")
        let (body, expectedVersion) = try await edit()
        _ = try body.checked()
        var next = current
        next.title = body.title ?? current.title
        next.body = body.body ?? current.body
        next.side = body.side.flatMap(LessonSide.init(rawValue:)) ?? current.side
        next.themes = body.themes ?? current.themes
        next.sdgTargets = body.sdgTargets ?? current.sdgTargets
        next.policyDomain = body.policyDomain ?? current.policyDomain
        next.language = body.language ?? current.language
        var changed: [String] = []
        if next.title != current.title { changed.append("title") }
        if next.body != current.body { changed.append("body") }
        if next.side != current.side { changed.append("side") }
        if next.themes != current.themes { changed.append("themes") }
        if next.sdgTargets != current.sdgTargets { changed.append("sdgTargets") }
        if next.policyDomain != current.policyDomain { changed.append("policyDomain") }
        if next.language != current.language { changed.append("language") }
        let visibility = body.visibility(from: (current.shared, current.published))
        let visibilityChanged = visibility != (current.shared, current.published)
        if visibilityChanged && !access.canWrite {
            throw Problem.forbidden(
                "only administrators and coordinators share and publish lessons",
                errors: [
                    visibility.shared != current.shared ? "shared" : nil,
                    visibility.published != current.published ? "published" : nil,
                ].compactMap { $0 }.map { .init(field: $0, message: "a coordinator's choice") })
        }
        try Self.requireWords(changed, of: current, becoming: next, access: access)
        if changed.contains("policyDomain") { try await requireOpen(next.policyDomain, on: connection) }
        if let expectedVersion, expectedVersion != current.version {
            throw Problem.preconditionFailed(current: current.version)
        }
        guard !changed.isEmpty || visibilityChanged else { return current }
        var record = current
        // Words and tags, then the flags: each change its own version and its own event, so a subscriber that
        // keeps only the newest version of a lesson misses neither.
        if !changed.isEmpty {
            record = try await update(next, on: connection)
            try await publisher.publish(record.changed(changed), as: access, in: connection)
        }
        if visibilityChanged {
            var flagged = record
            let now = Date()
            flagged.shared = visibility.shared
            flagged.sharedAt = visibility.shared ? (current.shared ? current.sharedAt : now) : nil
            flagged.published = visibility.published
            flagged.publishedAt = visibility.published ? (current.published ? current.publishedAt : now) : nil
            record = try await update(flagged, on: connection)
            let names = try await repository.names(of: record.activityId, on: connection)
            try await publisher.publish(
                record.visibilityChanged(
                    previousShared: current.shared, previousPublished: current.published, names: names),
                as: access, in: connection)
        }
        // The library's row follows in this transaction: written when shared, rewritten when a shared lesson's
        // words or tags change, gone when unshared.
        if record.shared || current.shared { try await repository.keepLibrary(record.id, on: connection) }
        return record
    }

    /// Writes the lesson as given and answers it as stored, at its next version.
    private func update(_ lesson: LessonRecord, on connection: PostgresConnection) async throws -> LessonRecord {
        guard let record = try await repository.update(lesson, on: connection) else {
            throw Problem.notFound("no such lesson")
        }
        return record
    }

    /// Deletes a lesson (its row in the library with it, by the cascade, in this transaction) and announces it.
    func delete(_ id: UUID, access: TenantAccess, on connection: PostgresConnection) async throws {
        let current = try await lesson(id, access: access, lock: true, on: connection)
        try Self.requireHand(on: current, access: access, doing: "delete")
        try await repository.delete(id, on: connection)
        try await publisher.publish(current.deleted, as: access, in: connection)
    }

    /// The instance's policy domains, retired ones included (marked), for any signed-in caller.
    func policyDomains(on connection: PostgresConnection) async throws -> PolicyDomainList {
        PolicyDomainList(items: try await repository.policyDomains(on: connection))
    }

    // MARK: Rules

    /// What a partner coordinator who names the Flemish side is told (403 naming the field).
    static let partnerSide = Problem.forbidden(
        "a partner coordinator writes what the partner municipality learnt",
        errors: [.init(field: "side", message: "a partner coordinator writes what the partner municipality learnt")])

    /// 403 unless the caller may change or delete `lesson` at all: viewers never, partner coordinators only on
    /// the partner's side.
    static func requireHand(on lesson: LessonRecord, access: TenantAccess, doing what: String) throws {
        guard access.canPostUpdates else { throw Problem.forbidden("viewers do not \(what) lessons") }
        if access.identity.role == .partnerCoordinator && lesson.side != .partnerMunicipality {
            throw Problem.forbidden(
                "a partner coordinator may \(what) only what the partner municipality learnt",
                errors: [.init(field: "side", message: "this lesson is the Flemish municipality's")])
        }
    }

    /// 403 naming the fields when a change touches words that are not the caller's: a partner coordinator
    /// moving a lesson to the Flemish side, or anyone but the partner coordinators and its author changing the
    /// words of a lesson a partner coordinator wrote on the partner's side.
    static func requireWords(
        _ changed: [String], of current: LessonRecord, becoming next: LessonRecord, access: TenantAccess
    ) throws {
        if access.identity.role == .partnerCoordinator {
            if next.side != .partnerMunicipality { throw partnerSide }
            return
        }
        let words = changed.filter { Self.words.contains($0) }
        guard current.isPartnerWords, current.writtenBy != access.userID, !words.isEmpty else { return }
        throw Problem.forbidden(
            "the words of a lesson a partner coordinator wrote are the partner coordinators' and its author's; "
                + "a coordinator may change its tags, share or delete it",
            errors: words.map { .init(field: $0, message: "written by the partner municipality's coordinator") })
    }

    /// 422 naming `policyDomain` unless the instance has the domain open for lessons.
    func requireOpen(_ code: String, on connection: PostgresConnection) async throws {
        guard try await repository.domainIsOpen(code, on: connection) == true else {
            throw Problem.validation([.init(field: "policyDomain", message: LessonRules.unknownDomain)])
        }
    }
}
