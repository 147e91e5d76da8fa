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
    partner_name text NOT NULL,
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
    -- When the event that set this version happened: the IATI export's last-updated time.
    updated_at timestamptz NOT NULL,
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

-- Platform administrators see figures across municipalities, never their texts: only this function reads
-- across tenants (its owner may, through the policy below), it answers counts, codes and amounts, and only
-- inside a platform administrator's request (app.platform_admin, set by platform.authenticate).
CREATE POLICY platform_figures ON reporting.activities FOR SELECT TO stedenband_owner USING (true);
CREATE POLICY platform_figures ON reporting.partnerships FOR SELECT TO stedenband_owner USING (true);

CREATE FUNCTION reporting.platform_activities(
    in_year integer, in_partnership uuid, in_country text, in_status text, in_theme text)
RETURNS TABLE (tenant_id uuid, partnership_id uuid, status text, kind text, direction text, themes text[],
    sdg_goals smallint[], sdg_targets text[], planned_cents bigint, spent_cents bigint, currency text,
    start_year integer, partner_country text)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF current_setting('app.platform_admin', true) IS DISTINCT FROM 'on' THEN
        RAISE EXCEPTION 'only platform administrators read figures across municipalities'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN QUERY
        SELECT a.tenant_id, a.partnership_id, a.status, a.kind, a.direction, a.themes, a.sdg_goals, a.sdg_targets,
            coalesce((a.budget_planned * 100)::int8, 0), coalesce((a.budget_spent * 100)::int8, 0),
            a.budget_currency, extract(year FROM a.starts_on)::int, p.partner_country
        FROM reporting.activities a
        JOIN reporting.partnerships p ON p.tenant_id = a.tenant_id AND p.id = a.partnership_id
        WHERE NOT a.deleted AND NOT p.deleted
          AND (in_year IS NULL OR (a.starts_on <= make_date(in_year, 12, 31)
               AND coalesce(a.ends_on, a.starts_on) >= make_date(in_year, 1, 1)))
          AND (in_partnership IS NULL OR a.partnership_id = in_partnership)
          AND (in_country IS NULL OR p.partner_country = in_country)
          AND (in_status IS NULL OR a.status = in_status)
          AND (in_theme IS NULL OR in_theme = ANY(a.themes));
END
$$;
REVOKE ALL ON FUNCTION reporting.platform_activities(integer, uuid, text, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION reporting.platform_activities(integer, uuid, text, text, text) TO stedenband_app;

-- Partnerships per status and municipality, for the same figures.
CREATE FUNCTION reporting.platform_partnership_statuses(in_partnership uuid, in_country text)
RETURNS TABLE (tenant_id uuid, status text, partnerships bigint)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF current_setting('app.platform_admin', true) IS DISTINCT FROM 'on' THEN
        RAISE EXCEPTION 'only platform administrators read figures across municipalities'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN QUERY
        SELECT p.tenant_id, p.status, count(*) FROM reporting.partnerships p
        WHERE NOT p.deleted AND (in_partnership IS NULL OR p.id = in_partnership)
          AND (in_country IS NULL OR p.partner_country = in_country)
        GROUP BY 1, 2;
END
$$;
REVOKE ALL ON FUNCTION reporting.platform_partnership_statuses(uuid, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION reporting.platform_partnership_statuses(uuid, text) TO stedenband_app;
