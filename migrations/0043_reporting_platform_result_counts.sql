-- Platform administrators see how the municipalities use the results framework, never what they wrote: only
-- this function reads results, indicators and periods across municipalities (its owner may, through the
-- policies below, as 0008's platform_activities), it answers counts and codes (result type, measure, SDG
-- target), and only inside a platform administrator's request (app.platform_admin, set by
-- platform.authenticate). The filters are the municipal results report's: year keeps the indicators with a
-- period that overlaps it (and counts an approved value only in such a period); status and theme are the
-- activity's, so they leave a partnership's long-term results out.
CREATE POLICY platform_figures ON reporting.results FOR SELECT TO stedenband_owner USING (true);
CREATE POLICY platform_figures ON reporting.indicators FOR SELECT TO stedenband_owner USING (true);
CREATE POLICY platform_figures ON reporting.indicator_periods FOR SELECT TO stedenband_owner USING (true);

CREATE FUNCTION reporting.platform_result_counts(
    in_year integer, in_partnership uuid, in_country text, in_status text, in_theme text)
RETURNS TABLE (tenant_id uuid, result_type text, measure text, sdg_target text, indicators bigint,
    with_approved_actual bigint)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF current_setting('app.platform_admin', true) IS DISTINCT FROM 'on' THEN
        RAISE EXCEPTION 'only platform administrators read figures across municipalities'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN QUERY
        SELECT i.tenant_id, r.type, i.measure, i.sdg_target, count(*),
            count(*) FILTER (WHERE EXISTS (
                SELECT FROM reporting.indicator_periods d
                WHERE d.tenant_id = i.tenant_id AND d.indicator_id = i.id AND NOT d.deleted AND d.status = 'approved'
                  AND (in_year IS NULL OR (d.starts_on <= make_date(in_year, 12, 31)
                       AND d.ends_on >= make_date(in_year, 1, 1)))))
        FROM reporting.indicators i
        JOIN reporting.results r ON r.tenant_id = i.tenant_id AND r.id = i.result_id
        JOIN reporting.partnerships p ON p.tenant_id = i.tenant_id AND p.id = i.partnership_id
        LEFT JOIN reporting.activities a ON a.tenant_id = i.tenant_id AND a.id = i.activity_id
        WHERE NOT i.deleted AND NOT r.deleted AND NOT p.deleted
          AND (i.activity_id IS NULL OR (a.id IS NOT NULL AND NOT a.deleted))
          AND (in_year IS NULL OR EXISTS (
                SELECT FROM reporting.indicator_periods d
                WHERE d.tenant_id = i.tenant_id AND d.indicator_id = i.id AND NOT d.deleted
                  AND d.starts_on <= make_date(in_year, 12, 31) AND d.ends_on >= make_date(in_year, 1, 1)))
          AND (in_partnership IS NULL OR i.partnership_id = in_partnership)
          AND (in_country IS NULL OR p.partner_country = in_country)
          AND (in_status IS NULL OR a.status = in_status)
          AND (in_theme IS NULL OR in_theme = ANY(a.themes))
        GROUP BY 1, 2, 3, 4;
END
$$;
REVOKE ALL ON FUNCTION reporting.platform_result_counts(integer, uuid, text, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION reporting.platform_result_counts(integer, uuid, text, text, text) TO stedenband_app;
