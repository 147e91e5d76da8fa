-- The public showcase (issue 18): what a municipality published, read by anyone without signing in. Each
-- function is the owner's, SECURITY DEFINER with a pinned search_path, executable by the app role only, and has
-- NO caller check: it is public by design. So each answers published partnerships only (p.published AND NOT
-- p.deleted, tested by a crawl that plants unpublished work), and only what the public page shows: never the
-- internal description, members, budget lines, updates or people. Municipalities are named by slug and name
-- from platform.tenants, which the owner reads (0019).

-- The published partnerships of one municipality (by slug), or of every municipality when NULL, with their
-- headline figures: activities (not deleted, not cancelled), people reached, activities in which the Flemish
-- side learns (south_to_north or mutual), money spent per currency, the SDG goals their activities work on.
CREATE FUNCTION reporting.showcase_partnerships(in_municipality text)
RETURNS TABLE (municipality_slug text, municipality_name text, slug text, title text, partner_name text,
    partner_country text, published_at timestamptz, story text, activities bigint, people_reached bigint,
    reciprocal bigint, spent jsonb, sdg_goals smallint[])
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT t.slug, t.name, p.slug, p.title, p.partner_name, p.partner_country, p.published_at, p.story,
        coalesce(f.activities, 0), coalesce(f.people_reached, 0), coalesce(f.reciprocal, 0),
        coalesce(m.spent, '{}'), coalesce(g.goals, '{}')
    FROM reporting.partnerships p
    JOIN platform.tenants t ON t.id = p.tenant_id
    LEFT JOIN LATERAL (
        SELECT count(*) AS activities, sum(a.participants) AS people_reached,
            count(*) FILTER (WHERE a.direction IN ('south_to_north', 'mutual')) AS reciprocal
        FROM reporting.activities a
        WHERE a.tenant_id = p.tenant_id AND a.partnership_id = p.id AND NOT a.deleted AND a.status <> 'cancelled'
    ) f ON true
    LEFT JOIN LATERAL (
        SELECT jsonb_object_agg(s.currency, s.spent::text) AS spent
        FROM (
            SELECT a.budget_currency AS currency, sum(a.budget_spent) AS spent
            FROM reporting.activities a
            WHERE a.tenant_id = p.tenant_id AND a.partnership_id = p.id AND NOT a.deleted
              AND a.status <> 'cancelled' AND a.budget_currency IS NOT NULL AND a.budget_spent > 0
            GROUP BY a.budget_currency) s
    ) m ON true
    LEFT JOIN LATERAL (
        SELECT array_agg(DISTINCT goal ORDER BY goal) AS goals
        FROM reporting.activities a, unnest(a.sdg_goals) AS goal
        WHERE a.tenant_id = p.tenant_id AND a.partnership_id = p.id AND NOT a.deleted AND a.status <> 'cancelled'
    ) g ON true
    WHERE p.published AND NOT p.deleted AND t.disabled_at IS NULL
      AND (in_municipality IS NULL OR t.slug = in_municipality)
    ORDER BY t.name, p.published_at, p.slug
$$;

-- The activities of one published partnership, by its municipality's slug and its own: what the public page
-- lists by SDG goal. No description, budget lines or updates.
CREATE FUNCTION reporting.showcase_activities(in_municipality text, in_partnership text)
RETURNS TABLE (title text, kind text, status text, starts_on date, ends_on date, direction text,
    sdg_goals smallint[], sdg_targets text[], participants integer)
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT a.title, a.kind, a.status, a.starts_on, a.ends_on, a.direction, a.sdg_goals, a.sdg_targets,
        a.participants
    FROM reporting.partnerships p
    JOIN platform.tenants t ON t.id = p.tenant_id
    JOIN reporting.activities a ON a.tenant_id = p.tenant_id AND a.partnership_id = p.id
    WHERE p.published AND NOT p.deleted AND t.disabled_at IS NULL AND t.slug = in_municipality
      AND p.slug = in_partnership AND NOT a.deleted AND a.status <> 'cancelled'
    ORDER BY a.starts_on NULLS LAST, a.title
$$;

-- The instance's counts for the association's advocacy, published or not, as numbers only: municipalities
-- with a partnership, partnerships, partner countries, activities, SDG goals their activities work on. No
-- title, name or amount of any one municipality.
CREATE FUNCTION reporting.showcase_counts()
RETURNS TABLE (municipalities bigint, partnerships bigint, countries bigint, activities bigint,
    sdg_goals smallint[])
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT
        (SELECT count(DISTINCT p.tenant_id) FROM reporting.partnerships p WHERE NOT p.deleted),
        (SELECT count(*) FROM reporting.partnerships p WHERE NOT p.deleted),
        (SELECT count(DISTINCT p.partner_country) FROM reporting.partnerships p WHERE NOT p.deleted),
        (SELECT count(*) FROM reporting.activities a
         JOIN reporting.partnerships p ON p.tenant_id = a.tenant_id AND p.id = a.partnership_id
         WHERE NOT a.deleted AND NOT p.deleted AND a.status <> 'cancelled'),
        (SELECT coalesce(array_agg(DISTINCT goal ORDER BY goal), '{}')
         FROM reporting.activities a
         JOIN reporting.partnerships p ON p.tenant_id = a.tenant_id AND p.id = a.partnership_id,
             unnest(a.sdg_goals) AS goal
         WHERE NOT a.deleted AND NOT p.deleted AND a.status <> 'cancelled')
$$;

REVOKE ALL ON FUNCTION reporting.showcase_partnerships(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION reporting.showcase_partnerships(text) TO stedenband_app;
REVOKE ALL ON FUNCTION reporting.showcase_activities(text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION reporting.showcase_activities(text, text) TO stedenband_app;
REVOKE ALL ON FUNCTION reporting.showcase_counts() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION reporting.showcase_counts() TO stedenband_app;
