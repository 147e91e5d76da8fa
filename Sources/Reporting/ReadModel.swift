import ActivitiesContracts
import Foundation
import Messaging
import PartnershipCopy
import PartnershipsContracts
import Postgres
import Vocabulary

/// The read model: partnerships, their members and activities as their events describe them; their results,
/// indicators and periods are ``ResultsReadModel``'s, their lessons ``LessonsReadModel``'s.
///
/// Every event carries its aggregate's state and version, so applying one is an upsert that only a newer
/// version wins: the same event twice, or an older one after a newer, changes nothing. A deletion leaves a
/// tombstone at its version.
enum ReadModel {
    static let subscriber = "reporting.model"

    /// Applies one stored event's payload; by event name. The rebuild replays without keeping the figures,
    /// and sums them once at the end.
    typealias Applier = @Sendable (Data, UUID, Date, PostgresConnection) async throws -> Void

    /// Subscribes to every event the model needs, and returns the appliers the rebuild replays with.
    static func register(into events: inout EventSubscriptions) -> [String: Applier] {
        var appliers: [String: Applier] = [:]
        func partnership<E: PartnershipEvent>(_ type: E.Type, deleted: Bool = false) {
            // A batch's figure changes are added up and written once, one upsert per figure row.
            events.subscribeInBatches(to: type, as: subscriber) { envelopes, context in
                var change = FigureKeeper.Change()
                for envelope in envelopes {
                    change.add(
                        try await figureChange(
                            envelope.event.partnership, deleted: deleted, tenant: envelope.tenantID,
                            on: context.connection))
                }
                try await FigureKeeper.write(change, tenant: envelopes[0].tenantID, on: context.connection)
                if deleted {
                    try await context.connection.query(
                        LessonsReadModel.forget(
                            partnerships: envelopes.map(\.event.partnership.id.rawValue), tenant: envelopes[0].tenantID)
                    )
                }
            }
            appliers[E.name] = { payload, tenant, _, connection in
                let event = try decoder.decode(E.self, from: payload)
                try await apply(
                    event.partnership, deleted: deleted, tenant: tenant, keepingFigures: false, on: connection)
                if deleted {
                    try await connection.query(
                        LessonsReadModel.forget(partnerships: [event.partnership.id.rawValue], tenant: tenant))
                }
            }
        }
        func activity<E: ActivityEvent>(_ type: E.Type, deleted: Bool = false) {
            events.subscribeInBatches(to: type, as: subscriber) { envelopes, context in
                // Every lock of the batch first, in one statement, then one statement per run of distinct
                // activities (docs/queue.md, "Batch delivery").
                let tenant = envelopes[0].tenantID
                try await FigureKeeper.lock(
                    tenant: tenant, partnerships: envelopes.map(\.event.activity.partnershipId),
                    activities: envelopes.map(\.event.activity.id.rawValue), on: context.connection)
                var change = FigureKeeper.Change()
                for chunk in distinctRuns(envelopes.map(\.event.activity.id.rawValue)) {
                    change.add(
                        try await figureChange(
                            envelopes[chunk].map { ($0.event.activity, $0.occurredAt) }, deleted: deleted,
                            tenant: tenant, on: context.connection))
                }
                try await FigureKeeper.write(change, tenant: tenant, on: context.connection)
                if !deleted {
                    try await SpendingLedger.keep(
                        envelopes.map { ($0.event.activity, $0.occurredAt) }, tenant: tenant, on: context.connection)
                } else {
                    try await context.connection.query(
                        LessonsReadModel.forget(
                            activities: envelopes.map(\.event.activity.id.rawValue), tenant: tenant))
                }
            }
            appliers[E.name] = { payload, tenant, occurredAt, connection in
                let event = try decoder.decode(E.self, from: payload)
                try await apply(
                    event.activity, deleted: deleted, tenant: tenant, at: occurredAt, keepingFigures: false,
                    on: connection)
                if !deleted {
                    try await SpendingLedger.keep([(event.activity, occurredAt)], tenant: tenant, on: connection)
                } else {
                    try await connection.query(
                        LessonsReadModel.forget(activities: [event.activity.id.rawValue], tenant: tenant))
                }
            }
        }
        partnership(PartnershipCreated.self)
        partnership(PartnershipUpdated.self)
        partnership(PartnershipStatusChanged.self)
        partnership(PartnershipMemberAdded.self)
        partnership(PartnershipMemberRemoved.self)
        partnership(PartnershipDeleted.self, deleted: true)
        activity(ActivityRecorded.self)
        activity(ActivityUpdated.self)
        activity(ActivityStatusChanged.self)
        activity(ActivityBudgetChanged.self)
        activity(ActivityUpdatePosted.self)
        activity(ActivityDeleted.self, deleted: true)
        ResultsReadModel.register(into: &events, appliers: &appliers)
        LessonsReadModel.register(into: &events, appliers: &appliers)
        return appliers
    }

    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }()

    /// Applies a partnership's state; with `keepingFigures`, moves its activities' figures when it is
    /// deleted, comes back or changes country.
    static func apply(
        _ state: PartnershipState, deleted: Bool, tenant: UUID, keepingFigures: Bool = true,
        on connection: PostgresConnection
    ) async throws {
        let upsert = partnershipUpsert(state, deleted: deleted, tenant: tenant)
        guard keepingFigures else {
            let applied = try await connection.query("\(fragment: upsert) RETURNING p.id")
            if !applied.isEmpty { try await keepMembers(state, tenant: tenant, on: connection) }
            return
        }
        try await FigureKeeper.write(
            try await figureChange(state, deleted: deleted, tenant: tenant, on: connection), tenant: tenant,
            on: connection)
    }

    /// The upsert of a partnership's state that only a newer version wins. An event from before partnerships
    /// could be published states no publication (`nil`): nothing was published then.
    private static func partnershipUpsert(_ state: PartnershipState, deleted: Bool, tenant: UUID) -> PostgresQuery {
        """
        INSERT INTO reporting.partnerships AS p (tenant_id, id, title, status, partner_name, partner_country,
            sdg_focus, version, deleted, published, published_at, story, slug)
        VALUES (\(tenant), \(state.id.rawValue), \(state.title), \(state.status), \(state.partner.name),
            \(state.partner.country), \(state.sdgFocus)::smallint[], \(state.version), \(deleted),
            \(state.published ?? false), \(state.publishedAt)::timestamptz, \(state.story ?? ""), \(state.slug)::text)
        ON CONFLICT (tenant_id, id) DO UPDATE SET title = excluded.title, status = excluded.status,
            partner_name = excluded.partner_name, partner_country = excluded.partner_country,
            sdg_focus = excluded.sdg_focus, version = excluded.version, deleted = excluded.deleted,
            published = excluded.published, published_at = excluded.published_at, story = excluded.story,
            slug = excluded.slug
        WHERE p.version < excluded.version OR (excluded.deleted AND NOT p.deleted AND p.version <= excluded.version)
        """
    }

    /// Applies a partnership's state and returns how it moves the figures (its activities' figures when it is
    /// deleted, comes back or changes country), for the caller to write.
    static func figureChange(
        _ state: PartnershipState, deleted: Bool, tenant: UUID, on connection: PostgresConnection
    ) async throws -> FigureKeeper.Change {
        let upsert = partnershipUpsert(state, deleted: deleted, tenant: tenant)
        // The lock and the statement travel together. Every part of one statement sees the same snapshot:
        // `old` is the row before the upsert.
        let rows = try await connection.pipeline([
            FigureKeeper.lockQuery(tenant: tenant, partnership: state.id.rawValue),
            """
            WITH old AS (
                SELECT p.partner_country FROM reporting.partnerships p
                WHERE p.tenant_id = \(tenant) AND p.id = \(state.id.rawValue) AND NOT p.deleted),
            new AS (\(fragment: upsert) RETURNING p.deleted, p.partner_country)
            SELECT false, partner_country FROM old
            UNION ALL SELECT true, partner_country FROM new WHERE NOT deleted
            UNION ALL SELECT true, NULL FROM new WHERE deleted
            """,
        ])[1]
        var old: String?
        var new: String?
        var applied = false
        for row in rows {
            let (isNew, country) = try row.decode((Bool, String?).self)
            if isNew {
                applied = true
                new = country
            } else {
                old = country
            }
        }
        guard applied else { return FigureKeeper.Change() }
        try await keepMembers(state, tenant: tenant, on: connection)
        guard old != new else { return FigureKeeper.Change() }
        let activities = try await connection.query(
            """
            SELECT \(fragment: ReportedActivity.columns)
            FROM reporting.activities a
            JOIN reporting.partnerships p ON p.tenant_id = a.tenant_id AND p.id = a.partnership_id
            WHERE a.tenant_id = \(tenant) AND a.partnership_id = \(state.id.rawValue) AND NOT a.deleted
            """
        ).map { try ReportedActivity($0, from: 0) }
        var change = FigureKeeper.Change()
        for activity in activities {
            if let old { change.remove(activity.in(old)) }
            if let new { change.add(activity.in(new)) }
        }
        return change
    }

    /// Replaces the partnership's members with those of `state`, which the version guard just let through:
    /// the reports of a partner coordinator count the partnerships this table names them in.
    static func keepMembers(_ state: PartnershipState, tenant: UUID, on connection: PostgresConnection) async throws {
        try await PartnershipCopy.replaceMembers(state, tenant: tenant, in: "reporting.members", on: connection)
    }

    /// Applies an activity's state; with `keepingFigures`, takes the old row's figures out and puts the new
    /// row's in when the version guard lets the event through.
    static func apply(
        _ state: ActivityState, deleted: Bool, tenant: UUID, at occurredAt: Date, keepingFigures: Bool = true,
        on connection: PostgresConnection
    ) async throws {
        let upsert = activityUpsert(state, deleted: deleted, tenant: tenant, at: occurredAt)
        guard keepingFigures else {
            try await connection.query(upsert)
            return
        }
        try await FigureKeeper.write(
            try await figureChange(state, deleted: deleted, tenant: tenant, at: occurredAt, on: connection),
            tenant: tenant, on: connection)
    }

    /// The upsert of an activity's state that only a newer version wins, or the same version stating the
    /// description the row does not know yet (`stedenband activities restate`: the events before carried none).
    private static func activityUpsert(_ state: ActivityState, deleted: Bool, tenant: UUID, at occurredAt: Date)
        -> PostgresQuery
    {
        """
        INSERT INTO reporting.activities AS a (tenant_id, id, partnership_id, title, kind, status, direction,
            starts_on, ends_on, themes, sdg_goals, sdg_targets, budget_planned, budget_spent, budget_currency,
            funding_source, participants, version, updated_at, deleted, description, dac_sectors)
        VALUES (\(tenant), \(state.id.rawValue), \(state.partnershipId), \(state.title), \(state.kind),
            \(state.status), \(state.direction), \(state.startsOn), \(state.endsOn), \(state.themes)::text[],
            \(state.sdgGoals)::smallint[], \(state.sdgTargets)::text[], \(state.budget?.planned)::numeric,
            \(state.budget?.spent)::numeric, \(state.budget?.currency), \(state.fundingSource),
            \(state.participants), \(state.version), \(occurredAt), \(deleted), \(state.description),
            \(state.dacSectors)::text[])
        ON CONFLICT (tenant_id, id) DO UPDATE SET partnership_id = excluded.partnership_id, title = excluded.title,
            kind = excluded.kind, status = excluded.status, direction = excluded.direction,
            starts_on = excluded.starts_on, ends_on = excluded.ends_on, themes = excluded.themes,
            sdg_goals = excluded.sdg_goals, sdg_targets = excluded.sdg_targets,
            budget_planned = excluded.budget_planned, budget_spent = excluded.budget_spent,
            budget_currency = excluded.budget_currency, funding_source = excluded.funding_source,
            participants = excluded.participants, version = excluded.version, updated_at = excluded.updated_at,
            deleted = excluded.deleted, description = coalesce(excluded.description, a.description),
            dac_sectors = coalesce(excluded.dac_sectors, a.dac_sectors)
        WHERE a.version < excluded.version OR (excluded.deleted AND NOT a.deleted AND a.version <= excluded.version)
            OR (a.version = excluded.version AND a.description IS NULL AND excluded.description IS NOT NULL)
        """
    }

    /// Applies an activity's state and returns how it moves the figures (the old row's out, the new row's in,
    /// when the version guard lets the event through), for the caller to write.
    static func figureChange(
        _ state: ActivityState, deleted: Bool, tenant: UUID, at occurredAt: Date, on connection: PostgresConnection
    ) async throws -> FigureKeeper.Change {
        let rows = try await connection.pipeline(
            figureStatements(state, deleted: deleted, tenant: tenant, at: occurredAt))[1]
        return try figureChange(from: rows)
    }

    /// The lock and the statement that apply an activity's state, to send together; the second's rows are for
    /// ``figureChange(from:)``.
    static func figureStatements(_ state: ActivityState, deleted: Bool, tenant: UUID, at occurredAt: Date)
        -> [PostgresQuery]
    {
        let upsert = activityUpsert(state, deleted: deleted, tenant: tenant, at: occurredAt)
        // Every part of one statement sees the same snapshot: `old` is the row before the upsert. An activity
        // counts while it and its partnership are not deleted, as the reports join them.
        return [
            FigureKeeper.lockQuery(tenant: tenant, partnership: state.partnershipId, activity: state.id.rawValue),
            """
            WITH old AS (
                SELECT \(fragment: ReportedActivity.columns) FROM reporting.activities a
                JOIN reporting.partnerships p ON p.tenant_id = a.tenant_id AND p.id = a.partnership_id
                WHERE a.tenant_id = \(tenant) AND a.id = \(state.id.rawValue) AND NOT a.deleted AND NOT p.deleted),
            new AS (\(fragment: upsert) RETURNING a.*)
            SELECT false, old.* FROM old
            UNION ALL
            SELECT true, \(fragment: ReportedActivity.columns) FROM new a
            JOIN reporting.partnerships p ON p.tenant_id = a.tenant_id AND p.id = a.partnership_id
            WHERE NOT a.deleted AND NOT p.deleted
            UNION ALL
            SELECT true, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL FROM new a
            WHERE a.deleted OR NOT EXISTS (
                SELECT FROM reporting.partnerships p
                WHERE p.tenant_id = a.tenant_id AND p.id = a.partnership_id AND NOT p.deleted)
            """,
        ]
    }

    /// How the rows of an activity's statement move the figures: nothing when the version guard stopped it.
    static func figureChange(from rows: PostgresRows) throws -> FigureKeeper.Change {
        var change = FigureKeeper.Change()
        var applied = false
        for row in rows {
            if try row.decode(Bool.self, column: 0) {
                applied = true
                if try row.decode(UUID?.self, column: 1) != nil { change.add(try ReportedActivity(row, from: 1)) }
            } else {
                change.remove(try ReportedActivity(row, from: 1))
            }
        }
        return applied ? change : FigureKeeper.Change()
    }

    /// Splits `ids` into consecutive ranges in which no id repeats: one statement cannot upsert a row twice.
    static func distinctRuns(_ ids: [UUID]) -> [Range<Int>] {
        var runs: [Range<Int>] = []
        var start = 0
        var seen = Set<UUID>()
        for (index, id) in ids.enumerated() where !seen.insert(id).inserted {
            runs.append(start..<index)
            start = index
            seen = [id]
        }
        if start < ids.count { runs.append(start..<ids.count) }
        return runs
    }

    /// One activity's state as `json_to_recordset` reads it in ``figureChange(_:deleted:tenant:on:)``: each
    /// value in the text its binding would send, so the server reads it with the same input function.
    private struct ActivityRecord: Encodable {
        var id: String
        var partnershipId: String
        var title: String
        var kind: String
        var status: String
        var direction: String
        var startsOn: String?
        var endsOn: String?
        var themes: [String]
        var sdgGoals: [Int]
        var sdgTargets: [String]
        var budgetPlanned: String?
        var budgetSpent: String?
        var budgetCurrency: String?
        var fundingSource: String?
        var participants: Int?
        var version: Int
        var updatedAt: String
        var description: String?
        var dacSectors: [String]?

        enum CodingKeys: String, CodingKey {
            case id, title, kind, status, direction, themes, participants, version, description
            case partnershipId = "partnership_id"
            case startsOn = "starts_on"
            case endsOn = "ends_on"
            case sdgGoals = "sdg_goals"
            case sdgTargets = "sdg_targets"
            case budgetPlanned = "budget_planned"
            case budgetSpent = "budget_spent"
            case budgetCurrency = "budget_currency"
            case fundingSource = "funding_source"
            case updatedAt = "updated_at"
            case dacSectors = "dac_sectors"
        }

        init(_ state: ActivityState, at occurredAt: Date) {
            id = state.id.rawValue.postgresText
            partnershipId = state.partnershipId.postgresText
            title = state.title
            kind = state.kind.postgresText
            status = state.status.postgresText
            direction = state.direction.postgresText
            startsOn = state.startsOn?.postgresText
            endsOn = state.endsOn?.postgresText
            themes = state.themes
            sdgGoals = state.sdgGoals
            sdgTargets = state.sdgTargets
            budgetPlanned = state.budget?.planned.postgresText
            budgetSpent = state.budget?.spent.postgresText
            budgetCurrency = state.budget?.currency.postgresText
            fundingSource = state.fundingSource?.postgresText
            participants = state.participants
            version = state.version
            updatedAt = occurredAt.postgresText
            description = state.description
            dacSectors = state.dacSectors
        }
    }

    private static let recordEncoder = LowercaseUUIDJSONEncoder()

    /// Applies the states of several different activities in one statement, as ``figureChange(_:deleted:tenant:at:on:)``
    /// applies each (the same upsert, version guard and old and new rows), and returns how they move the
    /// figures together. The caller holds their locks (``FigureKeeper/lock(tenant:partnerships:activities:on:)``).
    static func figureChange(
        _ states: [(state: ActivityState, occurredAt: Date)], deleted: Bool, tenant: UUID,
        on connection: PostgresConnection
    ) async throws -> FigureKeeper.Change {
        if states.count == 1 {
            let rows = try await connection.query(
                figureStatements(states[0].state, deleted: deleted, tenant: tenant, at: states[0].occurredAt)[1])
            return try figureChange(from: rows)
        }
        let records = String(
            decoding: try recordEncoder.encode(states.map { ActivityRecord($0.state, at: $0.occurredAt) }),
            as: UTF8.self)
        // Every part of one statement sees the same snapshot: `old` holds the rows before the upsert. `json`, not
        // `jsonb`: the records are read once, and `jsonb` would build its tree first (a third of the reading).
        // `old` looks each record's row up by its key: the `LATERAL … LIMIT 1` keeps the planner from joining
        // otherwise, and `NOT a.deleted` stays outside it, where it cannot draw the planner to the partial index
        // by partnership. For a municipality its statistics did not know yet, the planner had guessed one
        // activity and compared every activity of the municipality with every record (170 ms for 1,000 × 500),
        // or filtered the partial index's rows by id once per record (280 ms for 2,000 × 500).
        let rows = try await connection.query(
            """
            WITH input AS (
                SELECT * FROM json_to_recordset(\(records)::json) AS r (id uuid, partnership_id uuid, title text,
                    kind text, status text, direction text, starts_on date, ends_on date, themes text[],
                    sdg_goals smallint[], sdg_targets text[], budget_planned numeric, budget_spent numeric,
                    budget_currency text, funding_source text, participants int, version int, updated_at timestamptz,
                    description text, dac_sectors text[])
            ),
            old AS (
                SELECT a.id AS activity_id, false AS is_new, \(fragment: ReportedActivity.columns)
                FROM input
                CROSS JOIN LATERAL (
                    SELECT * FROM reporting.activities a WHERE a.tenant_id = \(tenant) AND a.id = input.id LIMIT 1) a
                JOIN reporting.partnerships p ON p.tenant_id = a.tenant_id AND p.id = a.partnership_id
                WHERE NOT a.deleted AND NOT p.deleted),
            new AS (
                INSERT INTO reporting.activities AS a (tenant_id, id, partnership_id, title, kind, status, direction,
                    starts_on, ends_on, themes, sdg_goals, sdg_targets, budget_planned, budget_spent, budget_currency,
                    funding_source, participants, version, updated_at, deleted, description, dac_sectors)
                SELECT \(tenant), id, partnership_id, title, kind, status, direction, starts_on, ends_on, themes,
                    sdg_goals, sdg_targets, budget_planned, budget_spent, budget_currency, funding_source, participants,
                    version, updated_at, \(deleted), description, dac_sectors
                FROM input
                ON CONFLICT (tenant_id, id) DO UPDATE SET partnership_id = excluded.partnership_id,
                    title = excluded.title, kind = excluded.kind, status = excluded.status,
                    direction = excluded.direction, starts_on = excluded.starts_on, ends_on = excluded.ends_on,
                    themes = excluded.themes, sdg_goals = excluded.sdg_goals, sdg_targets = excluded.sdg_targets,
                    budget_planned = excluded.budget_planned, budget_spent = excluded.budget_spent,
                    budget_currency = excluded.budget_currency, funding_source = excluded.funding_source,
                    participants = excluded.participants, version = excluded.version,
                    updated_at = excluded.updated_at, deleted = excluded.deleted,
                    description = coalesce(excluded.description, a.description),
                    dac_sectors = coalesce(excluded.dac_sectors, a.dac_sectors)
                WHERE a.version < excluded.version
                    OR (excluded.deleted AND NOT a.deleted AND a.version <= excluded.version)
                    OR (a.version = excluded.version AND a.description IS NULL AND excluded.description IS NOT NULL)
                RETURNING a.*)
            SELECT old.* FROM old
            UNION ALL
            SELECT a.id, true, \(fragment: ReportedActivity.columns) FROM new a
            JOIN reporting.partnerships p ON p.tenant_id = a.tenant_id AND p.id = a.partnership_id
            WHERE NOT a.deleted AND NOT p.deleted
            UNION ALL
            SELECT a.id, true, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL FROM new a
            WHERE a.deleted OR NOT EXISTS (
                SELECT FROM reporting.partnerships p
                WHERE p.tenant_id = a.tenant_id AND p.id = a.partnership_id AND NOT p.deleted)
            """)
        // Per activity as ``figureChange(from:)`` does for one: nothing when the version guard stopped it.
        var applied = Set<UUID>()
        var added: [UUID: [ReportedActivity]] = [:]
        var removed: [UUID: [ReportedActivity]] = [:]
        for row in rows {
            let id = try row.decode(UUID.self, column: 0)
            if try row.decode(Bool.self, column: 1) {
                applied.insert(id)
                if try row.decode(UUID?.self, column: 2) != nil {
                    added[id, default: []].append(try ReportedActivity(row, from: 2))
                }
            } else {
                removed[id, default: []].append(try ReportedActivity(row, from: 2))
            }
        }
        var change = FigureKeeper.Change()
        for id in applied {
            for activity in removed[id] ?? [] { change.remove(activity) }
            for activity in added[id] ?? [] { change.add(activity) }
        }
        return change
    }

    /// Replays the tenant's kept events into a fresh model, in one transaction: readers see the old model
    /// until it commits, then the new one. Live subscribers may run meanwhile; the version guard makes the
    /// order irrelevant.
    static func rebuild(
        tenant: UUID, appliers: [String: Applier], on connection: PostgresConnection
    ) async throws -> Int {
        try await FigureKeeper.lock(tenant: tenant, on: connection)
        try await connection.query("DELETE FROM reporting.activities")
        try await connection.query("DELETE FROM reporting.members")
        try await connection.query("DELETE FROM reporting.partnerships")
        try await ResultsReadModel.clear(on: connection)
        try await SpendingLedger.clear(on: connection)
        try await LessonsReadModel.clear(on: connection)
        let replayed = try await EventLog.replay(named: Array(appliers.keys), on: connection) { event in
            try await appliers[event.name]?(event.payload, tenant, event.occurredAt, connection)
        }
        try await connection.query("SELECT reporting.recount_figures()")
        try await LessonsReadModel.recount(tenant: tenant, on: connection)
        return replayed
    }
}
