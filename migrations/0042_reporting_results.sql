-- The read model's results framework: results, their indicators and the indicators' periods as the Results
-- plugin's events describe them, kept by the Reporting plugin's queued subscriber with the same
-- version-guarded upserts as its partnerships and activities (a duplicate or an older event changes nothing;
-- a deletion leaves a tombstone at its version), and rebuilt from the kept events by
-- `stedenband reporting rebuild`. The results report reads them: only approved actual values count there,
-- so the period's status is kept beside its values. Values are exact decimals, as in the Results plugin.
--
-- No backfill: the rebuild replays the Results events there are. Rows carry no key to platform.tenants
-- (0040 says why), and a deleted result leaves its indicators' rows alone: the report joins the three and
-- keeps what is not deleted at every level.
CREATE TABLE reporting.results (
    tenant_id uuid NOT NULL,
    id uuid NOT NULL,
    partnership_id uuid NOT NULL,
    -- NULL for a partnership's long-term result.
    activity_id uuid,
    title text NOT NULL,
    type text NOT NULL,
    description text NOT NULL,
    aggregates boolean NOT NULL,
    version integer NOT NULL,
    deleted boolean NOT NULL DEFAULT false,
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX reporting_results_by_partnership ON reporting.results (tenant_id, partnership_id) WHERE NOT deleted;

CREATE TABLE reporting.indicators (
    tenant_id uuid NOT NULL,
    id uuid NOT NULL,
    result_id uuid NOT NULL,
    partnership_id uuid NOT NULL,
    activity_id uuid,
    title text NOT NULL,
    description text NOT NULL,
    measure text NOT NULL,
    ascending boolean NOT NULL,
    sdg_target text,
    baseline_year integer,
    baseline_value numeric,
    baseline_comment text,
    version integer NOT NULL,
    deleted boolean NOT NULL DEFAULT false,
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX reporting_indicators_by_result ON reporting.indicators (tenant_id, result_id) WHERE NOT deleted;
CREATE INDEX reporting_indicators_by_sdg_target ON reporting.indicators (tenant_id, sdg_target) WHERE NOT deleted;

CREATE TABLE reporting.indicator_periods (
    tenant_id uuid NOT NULL,
    id uuid NOT NULL,
    indicator_id uuid NOT NULL,
    partnership_id uuid NOT NULL,
    starts_on date NOT NULL,
    ends_on date NOT NULL,
    target_value numeric,
    target_comment text NOT NULL,
    actual_value numeric,
    actual_comment text NOT NULL,
    status text NOT NULL,
    version integer NOT NULL,
    deleted boolean NOT NULL DEFAULT false,
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX reporting_indicator_periods_by_indicator
    ON reporting.indicator_periods (tenant_id, indicator_id, starts_on) WHERE NOT deleted;

DO $$
DECLARE
    name text;
BEGIN
    FOREACH name IN ARRAY ARRAY['results', 'indicators', 'indicator_periods'] LOOP
        EXECUTE format('ALTER TABLE reporting.%I ENABLE ROW LEVEL SECURITY', name);
        EXECUTE format('ALTER TABLE reporting.%I FORCE ROW LEVEL SECURITY', name);
        EXECUTE format($policy$CREATE POLICY tenant_isolation ON reporting.%I
            USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
            WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)$policy$, name);
        EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON reporting.%I TO stedenband_app', name);
    END LOOP;
END
$$;
