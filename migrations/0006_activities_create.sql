-- The Activities plugin: activities of partnerships, their progress updates, and its own copy of the
-- partnerships it may attach activities to (kept from the Partnerships plugin's events, in the publishing
-- transaction, so an activity can be created right after its partnership).
CREATE SCHEMA activities;
GRANT USAGE ON SCHEMA activities TO stedenband_app;

CREATE TABLE activities.partnerships (
    tenant_id uuid NOT NULL REFERENCES platform.tenants (id),
    id uuid NOT NULL,
    -- The title lets a CSV import name a partnership as people know it.
    title text NOT NULL,
    status text NOT NULL,
    version integer NOT NULL,
    PRIMARY KEY (tenant_id, id)
);

CREATE TABLE activities.partnership_members (
    tenant_id uuid NOT NULL,
    partnership_id uuid NOT NULL,
    user_id uuid NOT NULL,
    role text NOT NULL,
    PRIMARY KEY (tenant_id, partnership_id, user_id),
    FOREIGN KEY (tenant_id, partnership_id) REFERENCES activities.partnerships (tenant_id, id) ON DELETE CASCADE
);

CREATE TABLE activities.activities (
    tenant_id uuid NOT NULL,
    id uuid NOT NULL,
    partnership_id uuid NOT NULL,
    title text NOT NULL CHECK (length(btrim(title)) BETWEEN 1 AND 200),
    description text NOT NULL DEFAULT '' CHECK (length(description) <= 20000),
    kind text NOT NULL CHECK (kind IN ('knowledge_exchange', 'capacity_building', 'emergency_support',
        'awareness_campaign', 'study_visit', 'infrastructure', 'other')),
    status text NOT NULL CHECK (status IN ('planned', 'ongoing', 'completed', 'cancelled')),
    starts_on date,
    ends_on date,
    direction text NOT NULL CHECK (direction IN ('north_to_south', 'south_to_north', 'mutual')),
    sdg_targets text[] NOT NULL DEFAULT '{}',
    sdg_goals smallint[] NOT NULL DEFAULT '{}',
    themes text[] NOT NULL DEFAULT '{}',
    budget_planned numeric(14, 2) CHECK (budget_planned >= 0),
    budget_spent numeric(14, 2) CHECK (budget_spent >= 0),
    budget_currency text CHECK (budget_currency ~ '^[A-Z]{3}$'),
    funding_source text CHECK (funding_source IN ('own', 'flemish_government', 'federal_dgd', 'province', 'eu', 'other')),
    participants integer CHECK (participants >= 0),
    results text NOT NULL DEFAULT '' CHECK (length(results) <= 20000),
    version integer NOT NULL DEFAULT 1,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    search tsvector GENERATED ALWAYS AS (
        to_tsvector('simple', title || ' ' || description || ' ' || results)) STORED,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, partnership_id) REFERENCES activities.partnerships (tenant_id, id),
    CHECK (ends_on IS NULL OR starts_on IS NULL OR ends_on >= starts_on),
    CHECK ((budget_planned IS NULL) = (budget_currency IS NULL))
);

CREATE INDEX activities_by_partnership ON activities.activities (tenant_id, partnership_id, created_at, id);
CREATE INDEX activities_by_created ON activities.activities (tenant_id, created_at, id);
CREATE INDEX activities_search ON activities.activities USING gin (search);
CREATE INDEX activities_themes ON activities.activities USING gin (themes);
CREATE INDEX activities_targets ON activities.activities USING gin (sdg_targets);

CREATE TABLE activities.updates (
    tenant_id uuid NOT NULL,
    id uuid NOT NULL,
    activity_id uuid NOT NULL,
    author_id uuid NOT NULL,
    body text NOT NULL CHECK (length(btrim(body)) BETWEEN 1 AND 20000),
    posted_at timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, activity_id) REFERENCES activities.activities (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX updates_by_activity ON activities.updates (tenant_id, activity_id, posted_at DESC);

DO $$
DECLARE
    name text;
BEGIN
    FOREACH name IN ARRAY ARRAY['partnerships', 'partnership_members', 'activities', 'updates'] LOOP
        EXECUTE format('ALTER TABLE activities.%I ENABLE ROW LEVEL SECURITY', name);
        EXECUTE format('ALTER TABLE activities.%I FORCE ROW LEVEL SECURITY', name);
        EXECUTE format($policy$CREATE POLICY tenant_isolation ON activities.%I
            USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
            WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)$policy$, name);
        EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON activities.%I TO stedenband_app', name);
    END LOOP;
END
$$;
