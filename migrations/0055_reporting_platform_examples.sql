-- The annex of examples (issue 18): what the association may show a council or a ministry, per municipality,
-- produced from the data — `GET /api/v1/platform/reports/examples?theme=covid-19&year=2020` and `/platform/examples`.
--
-- One row per published lesson of a matching activity, or per matching activity without one, of every
-- published partnership (not deleted) of an active municipality; with no filter, also one row (activity columns
-- NULL) for a published partnership without any activity. Only inside a platform administrator's request
-- (app.platform_admin, set by platform.authenticate), as reporting.platform_activities (0008).
--
-- An activity matches as platform_activities filters: not deleted, `in_theme` among its themes, its dates
-- overlapping `in_year` (an activity without an end runs on its start day only); either filter may be NULL. A
-- cancelled activity is left out, as the showcase leaves it out (0054): it is no example. With a filter given, a
-- partnership without a matching activity is left out — the annex lists examples of the theme and the year.
--
-- Published only: the partnership's `published`, the lesson's `published` (and the owner's policy on
-- reporting.lessons, 0052, answers nothing else anyway). What the public showcase shows, and no more: never the
-- internal description, members, budgets, updates or people; a lesson's author is not named.
CREATE FUNCTION reporting.platform_examples(in_year integer, in_theme text)
RETURNS TABLE (tenant_id uuid, municipality_slug text, municipality_name text, partnership_id uuid,
    partnership_title text, partner_name text, partner_country text, partnership_slug text, story text,
    activity_id uuid, activity_title text, kind text, starts_on text, ends_on text, sdg_goals integer[],
    direction text, participants integer, lesson_id uuid, lesson_title text, side text, language text,
    policy_domain text, body text)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF current_setting('app.platform_admin', true) IS DISTINCT FROM 'on' THEN
        RAISE EXCEPTION 'only platform administrators read examples across municipalities'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN QUERY
        SELECT p.tenant_id, t.slug, t.name, p.id, p.title, p.partner_name, p.partner_country, p.slug, p.story,
            a.id, a.title, a.kind, to_char(a.starts_on, 'YYYY-MM-DD'), to_char(a.ends_on, 'YYYY-MM-DD'),
            a.sdg_goals::integer[], a.direction, a.participants,
            l.id, l.title, l.side, l.language, l.policy_domain, l.body
        FROM reporting.partnerships p
        JOIN platform.tenants t ON t.id = p.tenant_id
        LEFT JOIN reporting.activities a
            ON a.tenant_id = p.tenant_id AND a.partnership_id = p.id AND NOT a.deleted AND a.status <> 'cancelled'
           AND (in_year IS NULL OR (a.starts_on <= make_date(in_year, 12, 31)
                AND coalesce(a.ends_on, a.starts_on) >= make_date(in_year, 1, 1)))
           AND (in_theme IS NULL OR in_theme = ANY(a.themes))
        LEFT JOIN reporting.lessons l
            ON l.tenant_id = a.tenant_id AND l.activity_id = a.id AND l.published AND NOT l.deleted
        WHERE p.published AND NOT p.deleted AND t.disabled_at IS NULL
          AND (a.id IS NOT NULL OR (in_year IS NULL AND in_theme IS NULL))
        ORDER BY t.name, t.slug, p.published_at, p.slug, a.starts_on NULLS LAST, a.title, a.id,
            l.side, l.published_at, l.id;
END
$$;
REVOKE ALL ON FUNCTION reporting.platform_examples(integer, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION reporting.platform_examples(integer, text) TO stedenband_app;
