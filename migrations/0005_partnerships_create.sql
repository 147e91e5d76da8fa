-- The Partnerships plugin: stedenbanden with their partner municipality, and their members.
CREATE SCHEMA partnerships;
GRANT USAGE ON SCHEMA partnerships TO stedenband_app;

CREATE TABLE partnerships.partnerships (
    tenant_id uuid NOT NULL REFERENCES platform.tenants (id),
    id uuid NOT NULL,
    title text NOT NULL CHECK (length(btrim(title)) BETWEEN 1 AND 200),
    partner_name text NOT NULL CHECK (length(btrim(partner_name)) BETWEEN 1 AND 200),
    partner_country text NOT NULL CHECK (partner_country ~ '^[A-Z]{2}$'),
    partner_region text CHECK (length(partner_region) <= 200),
    partner_website text CHECK (length(partner_website) <= 2000),
    status text NOT NULL CHECK (status IN ('exploring', 'active', 'suspended', 'ended')),
    started_on date,
    ended_on date,
    description text NOT NULL DEFAULT '' CHECK (length(description) <= 20000),
    sdg_focus smallint[] NOT NULL DEFAULT '{}' CHECK (sdg_focus <@ ARRAY[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17]::smallint[]),
    -- Kept up to date from the Activities plugin's events: a partnership with activities cannot be deleted.
    activity_count integer NOT NULL DEFAULT 0 CHECK (activity_count >= 0),
    version integer NOT NULL DEFAULT 1,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id),
    CHECK (ended_on IS NULL OR started_on IS NULL OR ended_on >= started_on)
);

CREATE INDEX partnerships_by_created ON partnerships.partnerships (tenant_id, created_at, id);

CREATE TABLE partnerships.members (
    tenant_id uuid NOT NULL,
    partnership_id uuid NOT NULL,
    user_id uuid NOT NULL,
    role text NOT NULL CHECK (role IN ('coordinator', 'partner_coordinator')),
    added_at timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, partnership_id, user_id),
    FOREIGN KEY (tenant_id, partnership_id) REFERENCES partnerships.partnerships (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, user_id) REFERENCES platform.users (tenant_id, id)
);

CREATE INDEX members_by_user ON partnerships.members (tenant_id, user_id);

ALTER TABLE partnerships.partnerships ENABLE ROW LEVEL SECURITY;
ALTER TABLE partnerships.partnerships FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON partnerships.partnerships
    USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);

ALTER TABLE partnerships.members ENABLE ROW LEVEL SECURITY;
ALTER TABLE partnerships.members FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON partnerships.members
    USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);

GRANT SELECT, INSERT, UPDATE, DELETE ON partnerships.partnerships, partnerships.members TO stedenband_app;
