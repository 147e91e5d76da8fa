-- The Reporting plugin's read model: partnerships and activities as the events describe them, kept by
-- queued subscribers with version-guarded upserts (a duplicate or an older event changes nothing), and
-- rebuilt from the kept events by `stedenband reporting rebuild`. A deleted row stays as a tombstone with
-- its last version, so a late, older event cannot bring it back.
CREATE SCHEMA reporting;
GRANT USAGE ON SCHEMA reporting TO stedenband_app;

CREATE TABLE reporting.partnerships (
    tenant_id uuid NOT NULL REFERENCES platform.tenants (id),
    id uuid NOT NULL,
    title text NOT NULL,
    status text NOT NULL,
    partner_country text NOT NULL,
    sdg_focus smallint[] NOT NULL DEFAULT '{}',
    version integer NOT NULL,
    deleted boolean NOT NULL DEFAULT false,
    PRIMARY KEY (tenant_id, id)
);

CREATE TABLE reporting.activities (
    tenant_id uuid NOT NULL REFERENCES platform.tenants (id),
    id uuid NOT NULL,
    partnership_id uuid NOT NULL,
    title text NOT NULL,
    kind text NOT NULL,
    status text NOT NULL,
    direction text NOT NULL,
    starts_on date,
    ends_on date,
    themes text[] NOT NULL DEFAULT '{}',
    sdg_goals smallint[] NOT NULL DEFAULT '{}',
    sdg_targets text[] NOT NULL DEFAULT '{}',
    budget_planned numeric(14, 2),
    budget_spent numeric(14, 2),
    budget_currency text,
    funding_source text,
    participants integer,
    version integer NOT NULL,
    deleted boolean NOT NULL DEFAULT false,
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX reporting_activities_by_partnership ON reporting.activities (tenant_id, partnership_id) WHERE NOT deleted;

DO $$
DECLARE
    name text;
BEGIN
    FOREACH name IN ARRAY ARRAY['partnerships', 'activities'] LOOP
        EXECUTE format('ALTER TABLE reporting.%I ENABLE ROW LEVEL SECURITY', name);
        EXECUTE format('ALTER TABLE reporting.%I FORCE ROW LEVEL SECURITY', name);
        EXECUTE format($policy$CREATE POLICY tenant_isolation ON reporting.%I
            USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
            WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)$policy$, name);
        EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON reporting.%I TO stedenband_app', name);
    END LOOP;
END
$$;
