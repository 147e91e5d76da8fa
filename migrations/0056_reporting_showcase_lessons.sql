-- The showcase's lessons and the platform's counts for advocacy (issue 18), beside 0054's functions and with
-- their rules: the owner's, SECURITY DEFINER with a pinned search_path, executable by the app role only, no
-- caller check (public by design), so each filters what is published itself.

-- Published lessons of published partnerships of active municipalities, newest first: those of one partnership
-- (its page), of one municipality or of the instance (the feeds, with NULLs). A lesson is on the showcase when
-- it and its partnership are published; reporting.lessons' owner policy (0052) answers published lessons only,
-- so the filter on l.published is there twice. Its activity's title comes along, never its description.
CREATE FUNCTION reporting.showcase_lessons(in_municipality text, in_partnership text, in_limit integer)
RETURNS TABLE (id uuid, municipality_slug text, municipality_name text, partnership_slug text,
    partnership_title text, partner_name text, activity_title text, title text, body text, side text,
    language text, published_at timestamptz)
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT l.id, t.slug, t.name, p.slug, p.title, p.partner_name, a.title, l.title, l.body, l.side, l.language,
        l.published_at
    FROM reporting.lessons l
    JOIN reporting.partnerships p ON p.tenant_id = l.tenant_id AND p.id = l.partnership_id
    JOIN reporting.activities a ON a.tenant_id = l.tenant_id AND a.id = l.activity_id
    JOIN platform.tenants t ON t.id = l.tenant_id
    WHERE l.published AND NOT l.deleted AND p.published AND NOT p.deleted AND NOT a.deleted
      AND t.disabled_at IS NULL
      AND (in_municipality IS NULL OR t.slug = in_municipality)
      AND (in_partnership IS NULL OR p.slug = in_partnership)
    ORDER BY l.published_at DESC NULLS LAST, l.id
    LIMIT in_limit
$$;
REVOKE ALL ON FUNCTION reporting.showcase_lessons(text, text, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION reporting.showcase_lessons(text, text, integer) TO stedenband_app;

-- The instance's counts, now from the pre-summed rows (reporting.figures, 0009; reporting.lesson_figures, 0052)
-- rather than every activity, so /showcase stays a few hundred rows at 300 municipalities:
--   activities: not deleted, not cancelled (the 'status' figures without 'cancelled');
--   sdg_goals: goals with any activity, as the SDG report counts them (cancelled activities' goals too);
--   lessons_by_side: every lesson, published or not, as a number per side;
--   spent_by_year: money spent per start year and currency, only in the cells where three or more
--     municipalities spent: with fewer, one municipality's budget could be read off the total.
-- An old binary selects its five columns by name, so the two new ones do not disturb it.
DROP FUNCTION reporting.showcase_counts();
CREATE FUNCTION reporting.showcase_counts()
RETURNS TABLE (municipalities bigint, partnerships bigint, countries bigint, activities bigint,
    sdg_goals smallint[], lessons_by_side jsonb, spent_by_year jsonb)
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT
        (SELECT count(DISTINCT p.tenant_id) FROM reporting.partnerships p WHERE NOT p.deleted),
        (SELECT count(*) FROM reporting.partnerships p WHERE NOT p.deleted),
        (SELECT count(DISTINCT p.partner_country) FROM reporting.partnerships p WHERE NOT p.deleted),
        (SELECT coalesce(sum(f.activities), 0)::bigint FROM reporting.figures f
         WHERE f.dimension = 'status' AND f.value <> 'cancelled'),
        (SELECT coalesce(array_agg(DISTINCT f.value::smallint ORDER BY f.value::smallint), '{}')
         FROM reporting.figures f WHERE f.dimension = 'goal' AND f.activities > 0),
        (SELECT coalesce(jsonb_object_agg(s.side, s.lessons), '{}')
         FROM (SELECT l.side, sum(l.lessons) AS lessons FROM reporting.lesson_figures l
               GROUP BY l.side HAVING sum(l.lessons) > 0) s),
        (SELECT coalesce(jsonb_agg(jsonb_build_object('year', y.value, 'currency', y.currency,
                    'spentCents', y.spent, 'municipalities', y.municipalities) ORDER BY y.value, y.currency), '[]')
         FROM (SELECT f.value, f.currency, sum(f.spent_cents) AS spent, count(DISTINCT f.tenant_id) AS municipalities
               FROM reporting.figures f
               WHERE f.dimension = 'year' AND f.value <> 'undated' AND f.currency <> '' AND f.spent_cents > 0
               GROUP BY f.value, f.currency
               HAVING count(DISTINCT f.tenant_id) >= 3) y)
$$;
REVOKE ALL ON FUNCTION reporting.showcase_counts() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION reporting.showcase_counts() TO stedenband_app;
