-- Lessons in the read model (issue 18): what each side of a partnership learnt, as the Learning plugin's events
-- describe it, kept by the Reporting plugin's queued subscriber with the version-guarded upserts of its other
-- tables (a duplicate or an older event changes nothing; a deletion leaves a tombstone at its version), and
-- rebuilt from the kept events by `stedenband reporting rebuild`. The reciprocity report counts them per side;
-- the showcase (0053) will read the published ones.
--
-- No backfill: there are no lesson events before this migration, and the rebuild replays those there are. The
-- partnerships' showcase columns (published, story, slug) are not added here: they come with the Partnerships
-- events that carry them, in a migration of their own.
CREATE TABLE reporting.lessons (
    tenant_id uuid NOT NULL REFERENCES platform.tenants (id),
    id uuid NOT NULL,
    partnership_id uuid NOT NULL,
    activity_id uuid NOT NULL,
    title text NOT NULL,
    body text NOT NULL,
    side text NOT NULL,
    themes text[] NOT NULL,
    sdg_targets text[] NOT NULL,
    policy_domain text NOT NULL,
    language text NOT NULL,
    shared boolean NOT NULL,
    published boolean NOT NULL,
    published_at timestamptz,
    version integer NOT NULL,
    deleted boolean NOT NULL DEFAULT false,
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX reporting_lessons_by_partnership ON reporting.lessons (tenant_id, partnership_id) WHERE NOT deleted;
CREATE INDEX reporting_lessons_by_activity ON reporting.lessons (tenant_id, activity_id) WHERE NOT deleted;
CREATE INDEX reporting_lessons_published ON reporting.lessons (tenant_id, published_at DESC)
    WHERE published AND NOT deleted;

-- Lessons per municipality and side, kept with deltas by the applier (as FigureKeeper keeps reporting.figures)
-- and recounted by the rebuild: what the platform counts read, so the owner never needs unpublished lesson rows.
-- A lesson counts while it is not deleted and its activity and partnership are not either.
CREATE TABLE reporting.lesson_figures (
    tenant_id uuid NOT NULL REFERENCES platform.tenants (id),
    side text NOT NULL,
    lessons integer NOT NULL CHECK (lessons >= 0),
    PRIMARY KEY (tenant_id, side)
);

DO $$
DECLARE
    name text;
BEGIN
    FOREACH name IN ARRAY ARRAY['lessons', 'lesson_figures'] LOOP
        EXECUTE format('ALTER TABLE reporting.%I ENABLE ROW LEVEL SECURITY', name);
        EXECUTE format('ALTER TABLE reporting.%I FORCE ROW LEVEL SECURITY', name);
        EXECUTE format($policy$CREATE POLICY tenant_isolation ON reporting.%I
            USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
            WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)$policy$, name);
        EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON reporting.%I TO stedenband_app', name);
    END LOOP;
END
$$;
-- The owner reads published lessons only (the showcase's functions, 0053): a function that forgets the filter
-- still cannot read an unpublished lesson. The counts across municipalities read lesson_figures, numbers only.
CREATE POLICY showcase ON reporting.lessons FOR SELECT TO stedenband_owner USING (published AND NOT deleted);
CREATE POLICY platform_figures ON reporting.lesson_figures FOR SELECT TO stedenband_owner USING (true);

-- Lessons per municipality and side, for the platform's overview: only inside a platform administrator's
-- request (app.platform_admin, set by platform.authenticate), as reporting.platform_result_counts (0043).
CREATE FUNCTION reporting.platform_lesson_counts()
RETURNS TABLE (tenant_id uuid, side text, lessons integer)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF current_setting('app.platform_admin', true) IS DISTINCT FROM 'on' THEN
        RAISE EXCEPTION 'only platform administrators read figures across municipalities'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN QUERY SELECT f.tenant_id, f.side, f.lessons FROM reporting.lesson_figures f WHERE f.lessons > 0;
END
$$;
REVOKE ALL ON FUNCTION reporting.platform_lesson_counts() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION reporting.platform_lesson_counts() TO stedenband_app;
