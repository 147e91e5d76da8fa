/// The pgbench scripts of the measured requests' own shapes: each request's transaction without HTTP, in the
/// server's round trips, as the app role under row-level security (a login whose sessions start as
/// `stedenband_app`, as the server's connections do), with the statements the server sends.
///
/// Where the server binds a token's hash, an id or a tenant, a script reads it from a small table by a random
/// row number (`\set n random(…)`): pgbench variables hold only numbers, and a `\gset` of its own would add
/// a round trip. Each such read is a primary-key probe inside the statement that uses the value. Statements
/// are prepared once per connection (`-M prepared`), as the server's statements with parameters are
/// (`PreparedStatementCache`); the list's script is written as the server's absent filters fold away.
/// pgbench takes every `:word` in a script for a variable, even inside a string.
enum PgBenchShapes {
    /// The sizes the scripts draw from.
    struct Counts: Equatable {
        /// Rows of `public.bench_activities`: every activity, with its municipality's token.
        var activities: Int
        /// Rows of `public.bench_partnerships`: every partnership, with its municipality's token.
        var partnerships: Int
        /// Rows of `public.bench_tenants`: every municipality, with its token.
        var tenants: Int
    }

    /// The tables the scripts draw from and the app role's login (run once, as the superuser, after the
    /// seeding). Each municipality's token is its administrator's: the whole municipality is in scope, as
    /// for wrk's requests.
    static func setup(appLogin: String) -> [String] {
        let tokens = """
            JOIN LATERAL (SELECT encode(k.token_hash, 'hex') AS token_hex FROM platform.tokens k
                WHERE k.tenant_id = x.tenant_id AND k.revoked_at IS NULL ORDER BY k.created_at LIMIT 1) t ON true
            """
        return [
            """
            CREATE TABLE public.bench_activities AS
            SELECT (row_number() OVER (ORDER BY x.tenant_id, x.id))::int AS n, t.token_hex, x.tenant_id,
                x.id AS activity_id
            FROM activities.activities x \(tokens)
            """,
            "ALTER TABLE public.bench_activities ADD PRIMARY KEY (n)",
            """
            CREATE TABLE public.bench_partnerships AS
            SELECT (row_number() OVER (ORDER BY x.tenant_id, x.id))::int AS n, t.token_hex, x.tenant_id,
                x.id AS partnership_id
            FROM activities.partnerships x \(tokens)
            """,
            "ALTER TABLE public.bench_partnerships ADD PRIMARY KEY (n)",
            """
            CREATE TABLE public.bench_tenants AS
            SELECT (row_number() OVER (ORDER BY x.tenant_id))::int AS n, t.token_hex, x.tenant_id
            FROM (SELECT DISTINCT tenant_id FROM activities.partnerships) x \(tokens)
            """,
            "ALTER TABLE public.bench_tenants ADD PRIMARY KEY (n)",
            "GRANT SELECT ON public.bench_activities, public.bench_partnerships, public.bench_tenants TO stedenband_app",
            "ANALYZE public.bench_activities, public.bench_partnerships, public.bench_tenants",
            "CREATE ROLE \(appLogin) LOGIN IN ROLE stedenband_app",
            "ALTER ROLE \(appLogin) SET role = 'stedenband_app'",
        ]
    }

    /// A read as the server sends it for a token its identity cache knows (`IdentityCache.Grant.settings`,
    /// `PostgresConnection.setPrelude`): the municipality's setting and `transaction_read_only` in one
    /// statement, then the handler's `statement`, in one pipeline under one sync: one implicit transaction,
    /// one round trip, no `BEGIN` or `COMMIT`.
    static func read(table: String, _ statement: String) -> String {
        """
        \\startpipeline
        SELECT set_config('app.tenant_id', (SELECT tenant_id::text FROM public.\(table) WHERE n = :n), true),
            set_config('transaction_read_only', 'on', true);
        \(statement)
        \\endpipeline

        """
    }

    /// `GET /api/v1/activities/{id}`: ``read(table:_:)`` of `ActivitiesRepository.activity`'s SELECT.
    static func getByID(_ counts: Counts) -> String {
        let statement = """
            SELECT \(activityColumns) FROM activities.activities a
            WHERE a.id = (SELECT activity_id FROM public.bench_activities WHERE n = :n) AND true;
            """
        return "\\set n random(1, \(counts.activities))\n" + read(table: "bench_activities", statement)
    }

    /// `GET /api/v1/activities?partnershipId=…&limit=50`: ``read(table:_:)`` of
    /// `ActivitiesRepository.activities`'s SELECT of 51 rows (its absent filters folded away).
    static func list(_ counts: Counts) -> String {
        let statement = """
            SELECT \(activityColumns) FROM activities.activities a
            WHERE a.partnership_id = (SELECT partnership_id FROM public.bench_partnerships WHERE n = :n) AND true
            ORDER BY a.created_at, a.id
            LIMIT 51;
            """
        return "\\set n random(1, \(counts.partnerships))\n" + read(table: "bench_partnerships", statement)
    }

    /// `GET /api/v1/reports/sdg`: ``read(table:_:)`` of `ReportsRepository.keptFigures`' SELECT of the
    /// municipality's pre-summed SDG figures and their distinct partnerships (the unfiltered report of a
    /// municipality's own people reads no activity).
    static func reportSDG(_ counts: Counts) -> String {
        let statement = """
            SELECT dimension, value, currency, activities, planned_cents, spent_cents, NULL::integer
            FROM reporting.figures
            WHERE tenant_id = (SELECT tenant_id FROM public.bench_tenants WHERE n = :n)
                AND dimension = ANY('{goal,target,sdg,no-goal}'::text[]) AND activities <> 0
            UNION ALL
            SELECT dimension, value, NULL, NULL, NULL, NULL, partnerships FROM reporting.figure_reach
            WHERE tenant_id = (SELECT tenant_id FROM public.bench_tenants WHERE n = :n)
                AND dimension = ANY('{goal,target,sdg,no-goal}'::text[]) AND partnerships <> 0;
            """
        return "\\set n random(1, \(counts.tenants))\n" + read(table: "bench_tenants", statement)
    }

    /// `POST /api/v1/partnerships/{id}/activities`, in the server's two round trips for a token its identity
    /// cache knows (issue 15 item 4): `BEGIN`, the municipality's setting and the activity's insert, which
    /// checks the partnership itself (`WHERE EXISTS`) and answers the stored row; then the event and the
    /// partnership's activity count in front of `COMMIT`, with the NOTIFY behind it (queued subscribers read the
    /// event log: no job is written).
    /// The municipality is read back from the transaction's setting where the server binds the same value.
    static func post(_ counts: Counts) -> String {
        """
        \\set n random(1, \(counts.partnerships))
        \\startpipeline
        BEGIN;
        SELECT set_config('app.tenant_id', (SELECT tenant_id::text FROM public.bench_partnerships WHERE n = :n), true);
        INSERT INTO activities.activities AS a (tenant_id, id, partnership_id, title, kind, status, starts_on, direction,
            sdg_targets, sdg_goals, themes, budget_planned, budget_spent, budget_currency, created_at, updated_at)
        SELECT current_setting('app.tenant_id')::uuid, gen_random_uuid(), r.partnership,
            'Handwashing stations at the market', 'awareness_campaign', 'ongoing', '2020-04-01', 'mutual',
            '{3.d,6.2}', '{3,6}', '{covid-19,hygiene}', 2500.00, 400.00, 'EUR', now(), now()
        FROM (SELECT partnership_id AS partnership FROM public.bench_partnerships WHERE n = :n) r
        WHERE EXISTS (SELECT FROM activities.partnerships p WHERE p.id = r.partnership AND true)
        RETURNING \(activityColumns);
        \\endpipeline
        \\startpipeline
        INSERT INTO messaging.events (tenant_id, id, name, aggregate_id, aggregate_version, payload, occurred_at, actor)
        VALUES (current_setting('app.tenant_id')::uuid, gen_random_uuid(), 'activities.activity_recorded.v1',
            gen_random_uuid(), 1, '\(eventPayload)', now(), 'bench');
        UPDATE partnerships.partnerships p
        SET activity_count = greatest(p.activity_count + c.n * 1, 0)
        FROM (SELECT id, count(*) AS n FROM unnest(ARRAY[(SELECT partnership_id FROM public.bench_partnerships
            WHERE n = :n)]) AS id GROUP BY id) c
        WHERE p.id = c.id;
        COMMIT;
        SELECT pg_notify('messaging_jobs', '');
        \\endpipeline

        """
    }

    /// `ActivityRecord.columns`: what the server reads of an activity.
    static let activityColumns = """
        a.id, a.partnership_id, a.title, a.description, a.kind, a.status, a.starts_on, a.ends_on, a.direction,
            a.sdg_targets, a.sdg_goals, a.themes, a.budget_planned::text, a.budget_spent::text, a.budget_currency,
            a.funding_source, a.participants, a.results, a.version, a.created_at, a.updated_at
        """

    /// An `ActivityRecorded` payload of the size the server writes.
    static let eventPayload = """
        {"activity": {"id": "00000000-0000-0000-0000-000000000000", "kind": "awareness_campaign", "title": "Handwashing \
        stations at the market", "budget": {"spent": "400.00", "planned": "2500.00", "currency": "EUR"}, "status": \
        "ongoing", "themes": ["covid-19", "hygiene"], "endsOn": null, "version": 1, "startsOn": "2020-04-01", \
        "direction": "mutual", "sdgGoals": [3, 6], "sdgTargets": ["3.d", "6.2"], "participants": null, \
        "fundingSource": null, "partnershipId": "00000000-0000-0000-0000-000000000000"}}
        """
}
