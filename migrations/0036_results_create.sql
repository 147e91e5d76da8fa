-- The Results plugin: results of activities (or of partnerships), their indicators and reporting periods, and
-- its own copies of the partnerships, their members and the activities, kept from the other plugins' events
-- in the publishing transaction (so a result can be defined the moment its activity exists).
CREATE SCHEMA results;
GRANT USAGE ON SCHEMA results TO stedenband_app;

CREATE TABLE results.partnerships (
    tenant_id uuid NOT NULL REFERENCES platform.tenants (id),
    id uuid NOT NULL,
    title text NOT NULL,
    status text NOT NULL,
    -- The partner municipality's name, for the lines that say who reported a value ("Dogbo reported 74 %").
    partner_name text NOT NULL DEFAULT '',
    version integer NOT NULL,
    PRIMARY KEY (tenant_id, id)
);

CREATE TABLE results.partnership_members (
    tenant_id uuid NOT NULL,
    partnership_id uuid NOT NULL,
    user_id uuid NOT NULL,
    role text NOT NULL,
    PRIMARY KEY (tenant_id, partnership_id, user_id),
    FOREIGN KEY (tenant_id, partnership_id) REFERENCES results.partnerships (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX results_members_by_user ON results.partnership_members (tenant_id, user_id);

-- Each activity and its partnership: what a result of an activity checks itself against. Deleting the
-- activity (or its partnership) deletes its results, indicators and periods through the cascades below.
CREATE TABLE results.activities (
    tenant_id uuid NOT NULL,
    id uuid NOT NULL,
    partnership_id uuid NOT NULL,
    title text NOT NULL,
    version integer NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, id, partnership_id),
    FOREIGN KEY (tenant_id, partnership_id) REFERENCES results.partnerships (tenant_id, id) ON DELETE CASCADE
);

CREATE TABLE results.results (
    tenant_id uuid NOT NULL,
    id uuid NOT NULL,
    partnership_id uuid NOT NULL,
    -- NULL: a partnership's long-term result.
    activity_id uuid,
    title text NOT NULL CHECK (length(btrim(title)) BETWEEN 1 AND 200),
    type text NOT NULL CHECK (type IN ('output', 'outcome', 'impact', 'other')),
    description text NOT NULL DEFAULT '' CHECK (length(description) <= 20000),
    aggregates boolean NOT NULL DEFAULT true,
    version integer NOT NULL DEFAULT 1,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, partnership_id) REFERENCES results.partnerships (tenant_id, id) ON DELETE CASCADE,
    -- An activity's result belongs to the activity's partnership (MATCH SIMPLE: skipped when activity_id is NULL).
    FOREIGN KEY (tenant_id, activity_id, partnership_id)
        REFERENCES results.activities (tenant_id, id, partnership_id) ON DELETE CASCADE
);
CREATE INDEX results_by_activity ON results.results (tenant_id, activity_id, created_at, id)
    WHERE activity_id IS NOT NULL;
CREATE INDEX results_by_partnership ON results.results (tenant_id, partnership_id, created_at, id);

CREATE TABLE results.indicators (
    tenant_id uuid NOT NULL,
    id uuid NOT NULL,
    result_id uuid NOT NULL,
    -- The result's, for the scope condition; never changes.
    partnership_id uuid NOT NULL,
    title text NOT NULL CHECK (length(btrim(title)) BETWEEN 1 AND 200),
    description text NOT NULL DEFAULT '' CHECK (length(description) <= 20000),
    measure text NOT NULL CHECK (measure IN ('unit', 'percentage', 'nominal', 'ordinal', 'qualitative')),
    ascending boolean NOT NULL DEFAULT true,
    sdg_target text CHECK (sdg_target ~ '^[0-9]{1,2}\.[0-9a-z]{1,2}$'),
    baseline_year smallint CHECK (baseline_year BETWEEN 1900 AND 2200),
    -- Unconstrained numeric keeps the scale a value was written with: "74" stays 74, "74.50" stays 74.50.
    baseline_value numeric CHECK (baseline_value >= 0 AND baseline_value < 1e12 AND scale(baseline_value) <= 6),
    baseline_comment text NOT NULL DEFAULT '' CHECK (length(baseline_comment) <= 2000),
    version integer NOT NULL DEFAULT 1,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, result_id) REFERENCES results.results (tenant_id, id) ON DELETE CASCADE,
    CHECK (baseline_year IS NOT NULL OR (baseline_value IS NULL AND baseline_comment = '')),
    CHECK (measure <> 'qualitative' OR baseline_value IS NULL)
);
CREATE INDEX indicators_by_result ON results.indicators (tenant_id, result_id, created_at, id);
CREATE INDEX indicators_by_partnership ON results.indicators (tenant_id, partnership_id);

-- Periods that do not overlap, a qualitative indicator's periods without values, percentages at most 100 and
-- whole nominal and ordinal values are the service's checks, under the indicator's lock: an EXCLUDE
-- constraint would need btree_gist, an extension the app's migrations do not create.
CREATE TABLE results.periods (
    tenant_id uuid NOT NULL,
    id uuid NOT NULL,
    indicator_id uuid NOT NULL,
    partnership_id uuid NOT NULL,
    starts_on date NOT NULL,
    ends_on date NOT NULL,
    target_value numeric CHECK (target_value >= 0 AND target_value < 1e12 AND scale(target_value) <= 6),
    target_comment text NOT NULL DEFAULT '' CHECK (length(target_comment) <= 2000),
    actual_value numeric CHECK (actual_value >= 0 AND actual_value < 1e12 AND scale(actual_value) <= 6),
    actual_comment text NOT NULL DEFAULT '' CHECK (length(actual_comment) <= 2000),
    status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'submitted', 'approved', 'returned')),
    reported_by uuid,
    reported_at timestamptz,
    reviewed_by uuid,
    reviewed_at timestamptz,
    review_comment text NOT NULL DEFAULT '' CHECK (length(review_comment) <= 2000),
    version integer NOT NULL DEFAULT 1,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, indicator_id) REFERENCES results.indicators (tenant_id, id) ON DELETE CASCADE,
    CHECK (ends_on >= starts_on),
    CHECK ((status = 'draft') = (reported_at IS NULL)),
    CHECK ((status IN ('approved', 'returned')) = (reviewed_at IS NOT NULL)),
    CHECK (status <> 'returned' OR length(btrim(review_comment)) > 0)
);
CREATE INDEX periods_by_indicator ON results.periods (tenant_id, indicator_id, starts_on, id);
CREATE INDEX periods_to_report ON results.periods (tenant_id, partnership_id, ends_on)
    WHERE status IN ('draft', 'returned');
CREATE INDEX periods_to_review ON results.periods (tenant_id, reported_at) WHERE status = 'submitted';

DO $$
DECLARE
    name text;
BEGIN
    FOREACH name IN ARRAY ARRAY['partnerships', 'partnership_members', 'activities', 'results', 'indicators',
        'periods'] LOOP
        EXECUTE format('ALTER TABLE results.%I ENABLE ROW LEVEL SECURITY', name);
        EXECUTE format('ALTER TABLE results.%I FORCE ROW LEVEL SECURITY', name);
        EXECUTE format($policy$CREATE POLICY tenant_isolation ON results.%I
            USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
            WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)$policy$, name);
        EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON results.%I TO stedenband_app', name);
    END LOOP;
END
$$;

-- The copies start from the kept events, or the partnerships and activities that exist today would enter them
-- only with their next event, and no result could be defined for them until then. Each partnership as its
-- latest event states it (unless that is its deletion), with that event's members; each activity as its latest
-- event states it (unless deleted), when its partnership is in the copy. The events and the copies are
-- tenant-scoped even for the owner (forced row-level security), so this runs inside each municipality's scope
-- in turn, as 0013 and 0032 do. An event of an older or partial shape leaves a missing title, status or role
-- empty rather than failing the migration; the aggregate's next event fills it.
DO $$
DECLARE
    tenant uuid;
BEGIN
    FOR tenant IN SELECT id FROM platform.tenants LOOP
        PERFORM set_config('app.tenant_id', tenant::text, true);

        INSERT INTO results.partnerships (tenant_id, id, title, status, partner_name, version)
        SELECT tenant, l.id, coalesce(l.partnership ->> 'title', ''), coalesce(l.partnership ->> 'status', ''),
            coalesce(l.partnership -> 'partner' ->> 'name', ''), l.version
        FROM (
            SELECT DISTINCT ON (e.aggregate_id) e.aggregate_id AS id, e.aggregate_version AS version, e.name,
                e.payload -> 'partnership' AS partnership
            FROM messaging.events e
            WHERE e.tenant_id = tenant AND e.name LIKE 'partnerships.%'
            ORDER BY e.aggregate_id, e.aggregate_version DESC, e.position DESC) l
        WHERE l.name NOT LIKE 'partnerships.partnership_deleted.%';

        -- The members of the event that set each partnership's version (the copy holds no deleted one).
        INSERT INTO results.partnership_members (tenant_id, partnership_id, user_id, role)
        SELECT tenant, p.id, (m.member ->> 'userId')::uuid, coalesce(m.member ->> 'role', '')
        FROM results.partnerships p
        CROSS JOIN LATERAL (
            SELECT e.payload FROM messaging.events e
            WHERE e.tenant_id = tenant AND e.aggregate_id = p.id AND e.name LIKE 'partnerships.%'
            ORDER BY e.aggregate_version DESC, e.position DESC
            LIMIT 1) e
        CROSS JOIN LATERAL jsonb_array_elements(coalesce(e.payload -> 'partnership' -> 'members', '[]')) AS m(member)
        WHERE p.tenant_id = tenant AND m.member ->> 'userId' IS NOT NULL
        ON CONFLICT DO NOTHING;

        INSERT INTO results.activities (tenant_id, id, partnership_id, title, version)
        SELECT tenant, l.id, (l.activity ->> 'partnershipId')::uuid, coalesce(l.activity ->> 'title', ''), l.version
        FROM (
            SELECT DISTINCT ON (e.aggregate_id) e.aggregate_id AS id, e.aggregate_version AS version, e.name,
                e.payload -> 'activity' AS activity
            FROM messaging.events e
            WHERE e.tenant_id = tenant AND e.name LIKE 'activities.%'
            ORDER BY e.aggregate_id, e.aggregate_version DESC, e.position DESC) l
        WHERE l.name NOT LIKE 'activities.activity_deleted.%'
          AND EXISTS (
            SELECT 1 FROM results.partnerships p
            WHERE p.tenant_id = tenant AND p.id = (l.activity ->> 'partnershipId')::uuid);
    END LOOP;
    PERFORM set_config('app.tenant_id', '', true);
END
$$;
