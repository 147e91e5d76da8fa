import ActivitiesContracts
import Foundation
import Gateway
import HTTPTypes
import Hummingbird
import Kernel
import Messaging
import Postgres
import ReferenceData

/// `/api/v1/…activities…`: recording activities, changing them, and their progress updates.
struct ActivitiesController: Sendable {
    let publisher: EventPublisher

    var routes: RouteCollection<GatewayRequestContext> {
        let routes = RouteCollection(context: GatewayRequestContext.self)
        routes.post("partnerships/:id/activities") { request, context in try await create(request, context) }
        routes.get("activities") { request, context in try await list(request, context) }
        routes.get("activities/:id") { _, context in try await show(context) }
        routes.patch("activities/:id") { request, context in try await update(request, context) }
        routes.delete("activities/:id") { _, context in try await delete(context) }
        routes.post("activities/:id/updates") { request, context in try await postUpdate(request, context) }
        routes.get("activities/:id/updates") { request, context in try await listUpdates(request, context) }
        routes.post("imports/activities") { request, context in try await importCSV(request, context) }
        return routes
    }

    struct Page: ResponseEncodable {
        var items: [ActivityRecord]
        var nextCursor: String?
    }

    struct Updates: ResponseEncodable {
        var items: [ProgressUpdate]
        var nextCursor: String?
    }

    static func pathID(_ context: GatewayRequestContext, _ what: String) throws -> UUID {
        guard let text = context.parameters.get("id"), let id = UUID(uuidString: text) else {
            throw Problem.notFound("no such \(what)")
        }
        return id
    }

    static func load(_ id: UUID, _ access: TenantAccess, on connection: PostgresConnection, lock: Bool = false)
        async throws -> ActivityRecord
    {
        let rows = try await connection.query(
            """
            SELECT \(unsafeSQL: ActivityRecord.columns) FROM activities.activities a
            WHERE a.id = \(id) AND \(fragment: access.scope.activities(partnership: "a.partnership_id"))
            \(unsafeSQL: lock ? "FOR UPDATE OF a" : "")
            """
        )
        guard let row = rows.first else { throw Problem.notFound("no such activity") }
        return try ActivityRecord(row: row)
    }

    static func respond(_ record: ActivityRecord, status: HTTPResponse.Status = .ok) -> EditedResponse<ActivityRecord> {
        var headers = HTTPFields()
        headers[.eTag] = "\"\(record.version)\""
        if status == .created { headers[.location] = "/api/v1/activities/\(record.id.uuidString.lowercased())" }
        return EditedResponse(status: status, headers: headers, response: record)
    }

    // MARK: Routes

    func create(_ request: Request, _ context: GatewayRequestContext) async throws -> EditedResponse<ActivityRecord> {
        let access = try TenantAccess(context)
        let partnershipID = try Self.pathID(context, "partnership")
        let connection = try context.requireConnection()
        let partnership = try await connection.query(
            """
            SELECT status FROM activities.partnerships p
            WHERE p.id = \(partnershipID) AND \(fragment: access.scope.activities(partnership: "p.id"))
            """
        )
        guard !partnership.isEmpty else { throw Problem.notFound("no such partnership") }
        try access.requireWrite("activities")
        let body = try await request.decodeBody(NewActivity.self, context: context)
        let record = try await record([(partnershipID, body)], access: access, on: connection)[0]
        return Self.respond(record, status: .created)
    }

    /// Inserts activities in one statement and publishes their events in one round trip, in the caller's
    /// transaction; imports send batches, the API one row.
    func record(
        _ batch: [(UUID, NewActivity)],
        access: TenantAccess,
        on connection: PostgresConnection
    ) async throws -> [ActivityRecord] {
        let records = try await insert(batch, access: access, on: connection)
        try await publishRecorded(records, access: access, on: connection)
        return records
    }

    /// Announces recorded activities, in the transaction that inserted them.
    func publishRecorded(_ records: [ActivityRecord], access: TenantAccess, on connection: PostgresConnection)
        async throws
    {
        try await publisher.publish(records.map { ActivityRecorded(activity: $0.state) }, as: access, in: connection)
    }

    /// Inserts activities, each `(partnership, activity)` already checked, without announcing them; answers
    /// them as stored.
    func insert(
        _ batch: [(UUID, NewActivity)],
        access: TenantAccess,
        on connection: PostgresConnection
    ) async throws -> [ActivityRecord] {
        let now = Date()
        let ids = batch.map { _ in UUID.timeOrdered(at: now) }
        // RETURNING hands the rows back in the same round trip; sorted by created_at as a read would.
        return try await connection.query(
            """
            \(fragment: Self.insertQuery(batch, ids: ids, at: now, access: access))
            RETURNING \(unsafeSQL: ActivityRecord.columns)
            """
        ).map(ActivityRecord.init(row:)).sorted { $0.createdAt < $1.createdAt }
    }

    /// Checked activities ready to write: ids given, the insert and the events encoded.
    struct PreparedActivities: Sendable {
        var ids: [UUID]
        var insert: PostgresQuery
        var events: PreparedEvents<ActivityRecorded>
    }

    /// The work of recording a batch that needs no database, so a bulk import can do it for the next batch
    /// while the database writes this one. The events carry the state the insert will store: new activities
    /// are at version 1, and amounts are written as numeric(14, 2) prints them.
    func prepare(_ batch: [(UUID, NewActivity)], access: TenantAccess) throws -> PreparedActivities {
        let now = Date()
        let ids = batch.map { _ in UUID.timeOrdered(at: now) }
        let events = zip(ids, batch).map { id, row in
            let (partnership, activity) = row
            let targets = activity.sdgTargets ?? []
            return ActivityRecorded(
                activity: ActivityState(
                    id: ActivityID(rawValue: id),
                    partnershipId: partnership,
                    title: activity.title,
                    kind: activity.kind,
                    status: activity.status ?? "planned",
                    startsOn: activity.startsOn,
                    endsOn: activity.endsOn,
                    direction: activity.direction,
                    sdgTargets: targets,
                    sdgGoals: ActivityRules.goals(of: targets),
                    themes: activity.themes ?? [],
                    budget: activity.budget.map {
                        Budget(
                            planned: ActivityRules.storedAmount($0.planned),
                            spent: ActivityRules.storedAmount($0.spent ?? "0"),
                            currency: $0.currency)
                    },
                    fundingSource: activity.fundingSource,
                    participants: activity.participants,
                    version: 1
                ))
        }
        return PreparedActivities(
            ids: ids,
            insert: Self.insertQuery(batch, ids: ids, at: now, access: access),
            events: try publisher.prepare(events, as: access)
        )
    }

    /// Writes a prepared batch and its events in the transaction on `connection`.
    func write(_ prepared: PreparedActivities, on connection: PostgresConnection) async throws {
        try await connection.query(prepared.insert)
        try await publisher.publish(prepared.events, in: connection)
    }

    /// One statement inserting a batch; `created_at` grows by a microsecond per row so the file's order is
    /// the list's order.
    private static func insertQuery(
        _ batch: [(UUID, NewActivity)],
        ids: [UUID],
        at now: Date,
        access: TenantAccess
    ) -> PostgresQuery {
        let rows = batch.map(\.1)
        func text(_ value: String?) -> String { value ?? "" }
        return """
            INSERT INTO activities.activities AS a (tenant_id, id, partnership_id, title, description, kind, status,
                starts_on, ends_on, direction, sdg_targets, sdg_goals, themes, budget_planned, budget_spent,
                budget_currency, funding_source, participants, results, created_at, updated_at)
            SELECT \(access.tenantID), r.id, r.partnership, r.title, r.description, r.kind, r.status,
                nullif(r.starts, '')::date, nullif(r.ends, '')::date, r.direction, r.targets::text[],
                r.goals::smallint[], r.themes::text[], nullif(r.planned, '')::numeric, nullif(r.spent, '')::numeric,
                nullif(r.currency, ''), nullif(r.funding, ''), nullif(r.participants, '')::int, r.results,
                \(now)::timestamptz + (r.n * interval '1 microsecond'), \(now)
            FROM unnest(
                \(ids)::uuid[], \(batch.map(\.0))::uuid[], \(rows.map(\.title))::text[],
                \(rows.map { text($0.description) })::text[], \(rows.map(\.kind))::text[],
                \(rows.map { $0.status ?? "planned" })::text[], \(rows.map { text($0.startsOn?.description) })::text[],
                \(rows.map { text($0.endsOn?.description) })::text[], \(rows.map(\.direction))::text[],
                \(rows.map { ($0.sdgTargets ?? []).postgresText })::text[],
                \(rows.map { ActivityRules.goals(of: $0.sdgTargets ?? []).postgresText })::text[],
                \(rows.map { ($0.themes ?? []).postgresText })::text[], \(rows.map { text($0.budget?.planned) })::text[],
                \(rows.map { $0.budget.map { $0.spent ?? "0" } ?? "" })::text[],
                \(rows.map { text($0.budget?.currency) })::text[], \(rows.map { text($0.fundingSource) })::text[],
                \(rows.map { $0.participants.map(String.init) ?? "" })::text[], \(rows.map { text($0.results) })::text[]
            ) WITH ORDINALITY AS r(id, partnership, title, description, kind, status, starts, ends, direction, targets,
                goals, themes, planned, spent, currency, funding, participants, results, n)
            """
    }

    func show(_ context: GatewayRequestContext) async throws -> EditedResponse<ActivityRecord> {
        let access = try TenantAccess(context)
        return Self.respond(
            try await Self.load(try Self.pathID(context, "activity"), access, on: try context.requireConnection()))
    }

    func list(_ request: Request, _ context: GatewayRequestContext) async throws -> Page {
        let access = try TenantAccess(context)
        let query = request.queryParameters
        var errors: [Problem.FieldError] = []
        var partnershipID: UUID?
        if let text = query.get("partnershipId") {
            partnershipID = UUID(uuidString: text)
            if partnershipID == nil { errors.append(.init(field: "partnershipId", message: "must be a UUID")) }
        }
        let status = query.get("status")
        errors += FieldCheck.oneOf(status, ActivityRules.statuses, field: "status")
        let kind = query.get("kind")
        errors += FieldCheck.oneOf(kind, ActivityRules.kinds, field: "kind")
        let direction = query.get("direction")
        errors += FieldCheck.oneOf(direction, ActivityRules.directions, field: "direction")
        var goal: Int?
        if let text = query.get("sdg") {
            goal = Int(text)
            if goal.map({ !(1...17).contains($0) }) ?? true {
                errors.append(.init(field: "sdg", message: "must be a goal from 1 to 17"))
            }
        }
        let target = query.get("target")
        if let target, SDGCatalogue.target(target) == nil {
            errors.append(.init(field: "target", message: "must be an SDG target such as 3.d"))
        }
        let theme = query.get("theme")
        var year: Int?
        if let text = query.get("year") {
            year = Int(text)
            if year.map({ !(1900...2200).contains($0) }) ?? true {
                errors.append(.init(field: "year", message: "must be a year such as 2020"))
            }
        }
        let search = query.get("q").flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 }
        if let search, search.count > 200 {
            errors.append(.init(field: "q", message: "must be at most 200 characters"))
        }
        if !errors.isEmpty { throw Problem.validation(errors) }
        let (limit, after) = try Pagination.read(request)
        let yearStart = year.flatMap { CalendarDate(year: $0, month: 1, day: 1) }
        let yearEnd = year.flatMap { CalendarDate(year: $0, month: 12, day: 31) }
        let rows = try await context.requireConnection().query(
            """
            SELECT \(unsafeSQL: ActivityRecord.columns) FROM activities.activities a
            WHERE (\(partnershipID)::uuid IS NULL OR a.partnership_id = \(partnershipID))
              AND (\(status)::text IS NULL OR a.status = \(status))
              AND (\(kind)::text IS NULL OR a.kind = \(kind))
              AND (\(direction)::text IS NULL OR a.direction = \(direction))
              AND (\(goal)::int IS NULL OR \(goal)::smallint = ANY(a.sdg_goals))
              AND (\(target)::text IS NULL OR \(target)::text = ANY(a.sdg_targets))
              AND (\(theme)::text IS NULL OR \(theme)::text = ANY(a.themes))
              AND (\(yearStart)::date IS NULL OR (a.starts_on <= \(yearEnd)::date
                   AND coalesce(a.ends_on, a.starts_on) >= \(yearStart)::date))
              AND (\(search)::text IS NULL OR a.search @@ plainto_tsquery('simple', \(search)))
              AND (\(after?.date)::timestamptz IS NULL
                   OR (a.created_at, a.id) > (\(after?.date)::timestamptz, \(after?.id)::uuid))
              AND \(fragment: access.scope.activities(partnership: "a.partnership_id"))
            ORDER BY a.created_at, a.id
            LIMIT \(limit + 1)
            """
        )
        let items = try rows.prefix(limit).map(ActivityRecord.init(row:))
        let next = rows.count > limit ? items.last.map { Pagination.cursor(date: $0.createdAt, id: $0.id) } : nil
        return Page(items: items, nextCursor: next)
    }

    func update(_ request: Request, _ context: GatewayRequestContext) async throws -> EditedResponse<ActivityRecord> {
        let access = try TenantAccess(context)
        let id = try Self.pathID(context, "activity")
        let connection = try context.requireConnection()
        let current = try await Self.load(id, access, on: connection, lock: true)
        try access.requireWrite("activities")
        let body = try await request.decodeBody(ActivityChanges.self, context: context)
        if let expected = try IfMatch.version(request), expected != current.version {
            throw Problem.preconditionFailed(current: current.version)
        }
        let startsOn = body.startsOn.applied(to: current.startsOn)
        let endsOn = body.endsOn.applied(to: current.endsOn)
        let dateErrors = ActivityRules.dates(startsOn, endsOn)
        if !dateErrors.isEmpty { throw Problem.validation(dateErrors) }
        // A budget without `spent` keeps what was spent (a coordinator raising the plan has not spent nothing).
        let money = body.budget.applied(to: nil).map {
            Budget(planned: $0.planned, spent: $0.spent ?? current.budget?.spent ?? "0", currency: $0.currency)
        }
        let budget = body.budget == .absent ? current.budget : money
        let fundingSource = body.fundingSource.applied(to: current.fundingSource)
        let participants = body.participants.applied(to: current.participants)
        var changed: [String] = []
        func note<Value: Equatable>(_ new: Value?, _ old: Value, _ name: String) {
            if let new, new != old { changed.append(name) }
        }
        note(body.title, current.title, "title")
        note(body.description, current.description, "description")
        note(body.kind, current.kind, "kind")
        note(body.status, current.status, "status")
        note(startsOn, current.startsOn, "startsOn")
        note(endsOn, current.endsOn, "endsOn")
        note(body.direction, current.direction, "direction")
        note(body.sdgTargets, current.sdgTargets, "sdgTargets")
        note(body.themes, current.themes, "themes")
        note(fundingSource, current.fundingSource, "fundingSource")
        note(participants, current.participants, "participants")
        note(body.results, current.results, "results")
        if !Self.sameMoney(budget, current.budget) { changed.append("budget") }
        guard !changed.isEmpty else { return Self.respond(current) }
        let targets = body.sdgTargets ?? current.sdgTargets
        try await connection.query(
            """
            UPDATE activities.activities SET
                title = \(body.title ?? current.title), description = \(body.description ?? current.description),
                kind = \(body.kind ?? current.kind), status = \(body.status ?? current.status),
                starts_on = \(startsOn), ends_on = \(endsOn),
                direction = \(body.direction ?? current.direction), sdg_targets = \(targets)::text[],
                sdg_goals = \(ActivityRules.goals(of: targets))::smallint[],
                themes = \(body.themes ?? current.themes)::text[],
                budget_planned = \(budget?.planned)::numeric, budget_spent = \(budget?.spent)::numeric,
                budget_currency = \(budget?.currency), funding_source = \(fundingSource),
                participants = \(participants), results = \(body.results ?? current.results), version = version + 1,
                updated_at = \(Date())
            WHERE id = \(id)
            """
        )
        let record = try await Self.load(id, access, on: connection)
        try await publisher.publish(
            ActivityUpdated(activity: record.state, changedFields: changed), as: access, in: connection)
        if record.status != current.status {
            try await publisher.publish(
                ActivityStatusChanged(activity: record.state, previousStatus: current.status), as: access,
                in: connection)
        }
        if changed.contains("budget") {
            try await publisher.publish(
                ActivityBudgetChanged(activity: record.state, previousBudget: current.budget), as: access,
                in: connection)
        }
        return Self.respond(record)
    }

    /// Compares amounts as numbers: "400" and "400.00" are the same money; no budget equals no budget.
    static func sameMoney(_ new: Budget?, _ old: Budget?) -> Bool {
        guard let new, let old else { return new == nil && old == nil }
        return new.currency == old.currency && Decimal(string: new.planned) == Decimal(string: old.planned)
            && Decimal(string: new.spent) == Decimal(string: old.spent)
    }

    func delete(_ context: GatewayRequestContext) async throws -> Response {
        let access = try TenantAccess(context)
        let id = try Self.pathID(context, "activity")
        let connection = try context.requireConnection()
        let current = try await Self.load(id, access, on: connection, lock: true)
        try access.requireWrite("activities")
        try await connection.query("DELETE FROM activities.activities WHERE id = \(id)")
        var last = current.state
        last.version += 1
        try await publisher.publish(ActivityDeleted(activity: last), as: access, in: connection)
        return Response(status: .noContent)
    }

    func postUpdate(_ request: Request, _ context: GatewayRequestContext) async throws -> EditedResponse<ProgressUpdate>
    {
        let access = try TenantAccess(context)
        let id = try Self.pathID(context, "activity")
        let connection = try context.requireConnection()
        let current = try await Self.load(id, access, on: connection)
        guard access.canPostUpdates else {
            throw Problem.forbidden("viewers do not post updates")
        }
        let body = try await request.decodeBody(NewProgressUpdate.self, context: context)
        let update = ProgressUpdate(id: UUID.timeOrdered(), authorId: access.userID, body: body.body, postedAt: Date())
        try await connection.query(
            """
            INSERT INTO activities.updates (tenant_id, id, activity_id, author_id, body, posted_at)
            VALUES (\(access.tenantID), \(update.id), \(id), \(update.authorId), \(update.body), \(update.postedAt))
            """
        )
        try await publisher.publish(
            ActivityUpdatePosted(
                activity: current.state, updateId: update.id, authorId: update.authorId, body: update.body), as: access,
            in: connection)
        return EditedResponse(status: .created, response: update)
    }

    /// Newest first; the cursor walks back in time, so notes posted while a client pages come at the top of
    /// the next first page, never in the middle of the pages it is reading.
    func listUpdates(_ request: Request, _ context: GatewayRequestContext) async throws -> Updates {
        let access = try TenantAccess(context)
        let id = try Self.pathID(context, "activity")
        let (limit, before) = try Pagination.read(request)
        let connection = try context.requireConnection()
        _ = try await Self.load(id, access, on: connection)
        let rows = try await connection.query(
            """
            SELECT id, author_id, body, posted_at FROM activities.updates
            WHERE activity_id = \(id)
              AND (\(before?.date)::timestamptz IS NULL
                   OR (posted_at, id) < (\(before?.date)::timestamptz, \(before?.id)::uuid))
            ORDER BY posted_at DESC, id DESC
            LIMIT \(limit + 1)
            """
        )
        let items = try rows.prefix(limit).map { row in
            let (id, author, body, posted) = try row.decode((UUID, UUID, String, Date).self)
            return ProgressUpdate(id: id, authorId: author, body: body, postedAt: posted)
        }
        let next = rows.count > limit ? items.last.map { Pagination.cursor(date: $0.postedAt, id: $0.id) } : nil
        return Updates(items: items, nextCursor: next)
    }
}
