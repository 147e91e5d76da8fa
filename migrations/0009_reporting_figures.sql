-- Pre-summed figures per municipality, so the platform aggregate reads a few rows per municipality instead of
-- every activity. The read-model subscriber keeps them in the transaction that applies an event (the old
-- row's contribution out, the new one in, nothing when the version guard turns the event away);
-- `reporting.recount_figures()` sums them afresh from the read model, for `stedenband reporting rebuild` and
-- for the rows that were already there when this migration ran.
--
-- An activity counts while it and its partnership are not deleted (the reports join the two). Its figures:
--   dimension 'goal' (value '3'), 'target' ('3.d'): its budget split evenly over its goals, a goal's share
--       evenly over its targets of that goal, leftover cents on the first parts (as Sources/Reporting/Figures.swift);
--   'sdg' (''): activities with at least one goal and their whole budget; 'no-goal' (''): the others;
--   'all' (''), 'status', 'kind', 'direction', 'country' (the partner's), 'year' (start year or 'undated'),
--       'covid-19' (''): the overview's counts and whole budgets.
-- currency is '' for an activity without budget: it counts, but adds no money.
CREATE TABLE reporting.figures (
    tenant_id uuid NOT NULL REFERENCES platform.tenants (id),
    dimension text NOT NULL,
    value text NOT NULL,
    currency text NOT NULL,
    activities integer NOT NULL,
    planned_cents bigint NOT NULL,
    spent_cents bigint NOT NULL,
    PRIMARY KEY (tenant_id, dimension, value, currency)
);

-- Activities per goal, target or 'sdg' and partnership: a partnership contributes while its count is above
-- zero. Kept only to move figure_reach when a count leaves or reaches zero.
CREATE TABLE reporting.figure_partnerships (
    tenant_id uuid NOT NULL REFERENCES platform.tenants (id),
    dimension text NOT NULL,
    value text NOT NULL,
    partnership_id uuid NOT NULL,
    activities integer NOT NULL,
    PRIMARY KEY (tenant_id, dimension, value, partnership_id)
);

-- Distinct partnerships per goal, target and 'sdg': the count of figure_partnerships rows above zero.
CREATE TABLE reporting.figure_reach (
    tenant_id uuid NOT NULL REFERENCES platform.tenants (id),
    dimension text NOT NULL,
    value text NOT NULL,
    partnerships integer NOT NULL,
    PRIMARY KEY (tenant_id, dimension, value)
);

-- The figures of the visible read model, summed afresh: all municipalities for a role that sees them all,
-- the current one under row-level security. Same split as Figures.swift; a test compares the two.
CREATE FUNCTION reporting.recount_figures() RETURNS void
LANGUAGE sql
SET search_path = pg_catalog, pg_temp
AS $$
DELETE FROM reporting.figures;
DELETE FROM reporting.figure_partnerships;
DELETE FROM reporting.figure_reach;
WITH live AS MATERIALIZED (
    SELECT a.tenant_id, a.partnership_id, a.status, a.kind, a.direction, a.themes, a.sdg_goals, a.sdg_targets,
        coalesce((a.budget_planned * 100)::int8, 0) AS planned, coalesce((a.budget_spent * 100)::int8, 0) AS spent,
        coalesce(a.budget_currency, '') AS currency,
        coalesce(extract(year FROM a.starts_on)::int::text, 'undated') AS year, p.partner_country AS country
    FROM reporting.activities a
    JOIN reporting.partnerships p ON p.tenant_id = a.tenant_id AND p.id = a.partnership_id
    WHERE NOT a.deleted AND NOT p.deleted),
-- Each activity's distinct goals in order (i from 1), its budget split over them: the first parts take the
-- leftover cents.
goals AS MATERIALIZED (
    SELECT l.tenant_id, l.partnership_id, l.currency, l.sdg_targets, g.goal,
        l.planned / n + (g.i <= l.planned - (l.planned / n) * n)::int AS planned,
        l.spent / n + (g.i <= l.spent - (l.spent / n) * n)::int AS spent
    FROM (SELECT live.*, ARRAY(SELECT DISTINCT x FROM unnest(live.sdg_goals) x ORDER BY x) AS list FROM live) l,
        cardinality(l.list) n, unnest(l.list) WITH ORDINALITY g(goal, i)),
-- A goal's share split over the activity's targets of that goal, in the activity's order.
targets AS MATERIALIZED (
    SELECT g.tenant_id, g.partnership_id, g.currency, t.target,
        g.planned / m + (t.j <= g.planned - (g.planned / m) * m)::int AS planned,
        g.spent / m + (t.j <= g.spent - (g.spent / m) * m)::int AS spent
    FROM goals g,
        LATERAL (SELECT ARRAY(
            SELECT u.target FROM unnest(g.sdg_targets) WITH ORDINALITY u(target, position)
            WHERE split_part(u.target, '.', 1) = g.goal::text ORDER BY u.position) AS list) l,
        cardinality(l.list) m, unnest(l.list) WITH ORDINALITY t(target, j)),
summed AS (
    INSERT INTO reporting.figures (tenant_id, dimension, value, currency, activities, planned_cents, spent_cents)
    SELECT tenant_id, 'goal', goal::text, currency, count(*), sum(planned), sum(spent) FROM goals
    GROUP BY tenant_id, goal, currency
    UNION ALL SELECT tenant_id, 'target', target, currency, count(*), sum(planned), sum(spent) FROM targets
    GROUP BY tenant_id, target, currency
    UNION ALL SELECT tenant_id, CASE WHEN cardinality(sdg_goals) > 0 THEN 'sdg' ELSE 'no-goal' END, '', currency,
        count(*), sum(planned), sum(spent) FROM live
    GROUP BY tenant_id, cardinality(sdg_goals) > 0, currency
    UNION ALL SELECT tenant_id, 'all', '', currency, count(*), sum(planned), sum(spent) FROM live
    GROUP BY tenant_id, currency
    UNION ALL SELECT tenant_id, 'status', status, currency, count(*), sum(planned), sum(spent) FROM live
    GROUP BY tenant_id, status, currency
    UNION ALL SELECT tenant_id, 'kind', kind, currency, count(*), sum(planned), sum(spent) FROM live
    GROUP BY tenant_id, kind, currency
    UNION ALL SELECT tenant_id, 'direction', direction, currency, count(*), sum(planned), sum(spent) FROM live
    GROUP BY tenant_id, direction, currency
    UNION ALL SELECT tenant_id, 'country', country, currency, count(*), sum(planned), sum(spent) FROM live
    GROUP BY tenant_id, country, currency
    UNION ALL SELECT tenant_id, 'year', year, currency, count(*), sum(planned), sum(spent) FROM live
    GROUP BY tenant_id, year, currency
    UNION ALL SELECT tenant_id, 'covid-19', '', currency, count(*), sum(planned), sum(spent) FROM live
    WHERE 'covid-19' = ANY(themes)
    GROUP BY tenant_id, currency),
counted AS (
    INSERT INTO reporting.figure_partnerships (tenant_id, dimension, value, partnership_id, activities)
    SELECT tenant_id, 'goal', goal::text, partnership_id, count(*) FROM goals GROUP BY tenant_id, goal, partnership_id
    UNION ALL SELECT tenant_id, 'target', target, partnership_id, count(*) FROM targets
    GROUP BY tenant_id, target, partnership_id
    UNION ALL SELECT tenant_id, 'sdg', '', partnership_id, count(*) FROM live WHERE cardinality(sdg_goals) > 0
    GROUP BY tenant_id, partnership_id
    RETURNING tenant_id, dimension, value)
INSERT INTO reporting.figure_reach (tenant_id, dimension, value, partnerships)
SELECT tenant_id, dimension, value, count(*) FROM counted GROUP BY 1, 2, 3;
$$;
REVOKE ALL ON FUNCTION reporting.recount_figures() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION reporting.recount_figures() TO stedenband_app;

-- The figures of what the read model already holds (as the owner, who reads every municipality's rows
-- through the platform_figures policy), before row-level security closes the new tables.
SELECT reporting.recount_figures();

DO $$
DECLARE
    name text;
BEGIN
    FOREACH name IN ARRAY ARRAY['figures', 'figure_partnerships', 'figure_reach'] LOOP
        EXECUTE format('ALTER TABLE reporting.%I ENABLE ROW LEVEL SECURITY', name);
        EXECUTE format('ALTER TABLE reporting.%I FORCE ROW LEVEL SECURITY', name);
        EXECUTE format($policy$CREATE POLICY tenant_isolation ON reporting.%I
            USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
            WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)$policy$, name);
        EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON reporting.%I TO stedenband_app', name);
    END LOOP;
END
$$;
CREATE POLICY platform_figures ON reporting.figures FOR SELECT TO stedenband_owner USING (true);
CREATE POLICY platform_figures ON reporting.figure_reach FOR SELECT TO stedenband_owner USING (true);

-- The unfiltered platform aggregate: per municipality, the figures of the asked dimensions (counts and
-- amounts, rows with activities) and the distinct partnerships (rows with `partnerships` set and no
-- currency). Only inside a platform administrator's request, like reporting.platform_activities().
CREATE FUNCTION reporting.platform_figures(in_dimensions text[])
RETURNS TABLE (tenant_id uuid, dimension text, value text, currency text, activities integer,
    planned_cents bigint, spent_cents bigint, partnerships integer)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF current_setting('app.platform_admin', true) IS DISTINCT FROM 'on' THEN
        RAISE EXCEPTION 'only platform administrators read figures across municipalities'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN QUERY
        SELECT f.tenant_id, f.dimension, f.value, f.currency, f.activities, f.planned_cents, f.spent_cents,
            NULL::integer
        FROM reporting.figures f WHERE f.activities <> 0 AND f.dimension = ANY(in_dimensions)
        UNION ALL
        SELECT r.tenant_id, r.dimension, r.value, NULL, NULL, NULL, NULL, r.partnerships
        FROM reporting.figure_reach r WHERE r.partnerships <> 0 AND r.dimension = ANY(in_dimensions);
END
$$;
REVOKE ALL ON FUNCTION reporting.platform_figures(text[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION reporting.platform_figures(text[]) TO stedenband_app;
