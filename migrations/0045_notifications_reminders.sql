-- Reminders (issue 16): a partnership where nothing was posted or reported for N days reminds its coordinators
-- and partner coordinators; a reporting period that ends within 14 days without a value reminds the partner
-- coordinators. Once per window and person: the unique key of notifications.reminders.

-- The copy of the partnerships learns their status, and when the last news came: its creation, an activity
-- recorded, a progress update posted or a value reported.
ALTER TABLE notifications.partnerships
    ADD COLUMN status text NOT NULL DEFAULT 'active',
    ADD COLUMN last_news_at timestamptz NOT NULL DEFAULT now();

-- Each person can turn either reminder off; a municipality sets after how many quiet days (NULL: never).
ALTER TABLE notifications.settings
    ADD COLUMN remind_quiet boolean NOT NULL DEFAULT true,
    ADD COLUMN remind_period_ending boolean NOT NULL DEFAULT true;
ALTER TABLE notifications.tenant_defaults
    ADD COLUMN quiet_after_days smallint DEFAULT 90 CHECK (quiet_after_days BETWEEN 14 AND 365);

-- A copy of the reporting periods, kept from the Results plugin's period events (the inbox never reads the
-- results schema). A deleted indicator, result or activity deletes its periods here by id.
CREATE TABLE notifications.indicator_periods (
    tenant_id uuid NOT NULL REFERENCES platform.tenants (id),
    id uuid NOT NULL,
    indicator_id uuid NOT NULL,
    result_id uuid NOT NULL,
    partnership_id uuid NOT NULL,
    activity_id uuid,
    indicator_title text NOT NULL,
    starts_on date NOT NULL,
    ends_on date NOT NULL,
    status text NOT NULL,
    version integer NOT NULL,
    deleted boolean NOT NULL DEFAULT false,
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX indicator_periods_open ON notifications.indicator_periods (tenant_id, ends_on)
    WHERE NOT deleted AND status IN ('draft', 'returned');
CREATE INDEX indicator_periods_by_indicator ON notifications.indicator_periods (tenant_id, indicator_id);
CREATE INDEX indicator_periods_by_result ON notifications.indicator_periods (tenant_id, result_id);

-- Every reminder made: one per (person, kind, subject, window start), so every process and every retry of the
-- scan agrees and a reminder exists once. `channel` says how it reaches the person: an inbox row their next
-- digest carries, or a mail of its own when their digests are off.
CREATE TABLE notifications.reminders (
    tenant_id uuid NOT NULL,
    id uuid NOT NULL,
    user_id uuid NOT NULL,
    kind text NOT NULL CHECK (kind IN ('quiet_partnership', 'period_ending')),
    -- The partnership, or the period.
    subject_id uuid NOT NULL,
    window_start timestamptz NOT NULL,
    -- The person's first send hour at or after the window's start, on their clock.
    due_at timestamptz NOT NULL,
    channel text NOT NULL CHECK (channel IN ('digest', 'mail')),
    -- pending: its own mail waits to go; sent: in the inbox for the next digest, or mailed; dropped: no longer
    -- due when its mail was to go (news came, the period got a value, the person left or turned it off);
    -- failed: refused for good, or given up after the last attempt.
    status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'dropped', 'failed')),
    created_at timestamptz NOT NULL,
    sent_at timestamptz,
    error text,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, user_id, kind, subject_id, window_start),
    FOREIGN KEY (tenant_id, user_id) REFERENCES platform.users (tenant_id, id) ON DELETE CASCADE
);

DO $$
DECLARE
    name text;
BEGIN
    FOREACH name IN ARRAY ARRAY['indicator_periods', 'reminders'] LOOP
        EXECUTE format('ALTER TABLE notifications.%I ENABLE ROW LEVEL SECURITY', name);
        EXECUTE format('ALTER TABLE notifications.%I FORCE ROW LEVEL SECURITY', name);
        EXECUTE format($policy$CREATE POLICY tenant_isolation ON notifications.%I
            USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
            WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)$policy$, name);
        EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON notifications.%I TO stedenband_app', name);
    END LOOP;
END
$$;

-- The scan has no tenant: it asks which municipalities have a partnership or a period that could remind, then
-- works inside each one's scope. The owner reads across tenants only here, ids only.
CREATE POLICY reminder_scan ON notifications.partnerships FOR SELECT TO stedenband_owner USING (true);
CREATE POLICY reminder_scan ON notifications.indicator_periods FOR SELECT TO stedenband_owner USING (true);
CREATE FUNCTION notifications.reminder_tenants()
RETURNS SETOF uuid
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT p.tenant_id FROM notifications.partnerships p
    WHERE p.deleted_at IS NULL AND p.status IN ('exploring', 'active')
    UNION
    SELECT i.tenant_id FROM notifications.indicator_periods i
    WHERE NOT i.deleted AND i.status IN ('draft', 'returned')
$$;
REVOKE ALL ON FUNCTION notifications.reminder_tenants() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION notifications.reminder_tenants() TO stedenband_app;

-- Status, last news and periods from the kept events, inside each municipality's scope in turn (as 0013, 0032
-- and 0036 do): otherwise every partnership would count as quiet from today and its status as active.
DO $$
DECLARE
    tenant uuid;
BEGIN
    FOR tenant IN SELECT id FROM platform.tenants LOOP
        PERFORM set_config('app.tenant_id', tenant::text, true);

        UPDATE notifications.partnerships p SET status = coalesce(l.status, p.status)
        FROM (
            SELECT DISTINCT ON (e.aggregate_id) e.aggregate_id AS id, e.payload -> 'partnership' ->> 'status' AS status
            FROM messaging.events e
            WHERE e.tenant_id = tenant AND e.name LIKE 'partnerships.%'
            ORDER BY e.aggregate_id, e.aggregate_version DESC, e.position DESC) l
        WHERE p.tenant_id = tenant AND p.id = l.id;

        UPDATE notifications.partnerships p SET last_news_at = n.at
        FROM (
            SELECT coalesce(e.payload -> 'activity' ->> 'partnershipId', e.payload -> 'period' ->> 'partnershipId',
                    e.aggregate_id::text)::uuid AS id, max(e.occurred_at) AS at
            FROM messaging.events e
            WHERE e.tenant_id = tenant AND (e.name LIKE 'partnerships.partnership_created.%'
                OR e.name LIKE 'activities.activity_recorded.%' OR e.name LIKE 'activities.activity_update_posted.%'
                OR e.name LIKE 'results.value_reported.%')
            GROUP BY 1) n
        WHERE p.tenant_id = tenant AND p.id = n.id;

        INSERT INTO notifications.indicator_periods (tenant_id, id, indicator_id, result_id, partnership_id,
            activity_id, indicator_title, starts_on, ends_on, status, version, deleted)
        SELECT tenant, l.id, (l.period ->> 'indicatorId')::uuid, (l.period ->> 'resultId')::uuid,
            (l.period ->> 'partnershipId')::uuid, (l.period ->> 'activityId')::uuid,
            coalesce(l.indicator ->> 'title', ''), (l.period ->> 'start')::date, (l.period ->> 'end')::date,
            coalesce(l.period ->> 'status', 'draft'), l.version, l.name LIKE 'results.period_deleted.%'
        FROM (
            SELECT DISTINCT ON (e.aggregate_id) e.aggregate_id AS id, e.aggregate_version AS version, e.name,
                e.payload -> 'period' AS period, e.payload -> 'indicator' AS indicator
            FROM messaging.events e
            WHERE e.tenant_id = tenant AND (e.name LIKE 'results.period_%' OR e.name LIKE 'results.value_%')
            ORDER BY e.aggregate_id, e.aggregate_version DESC, e.position DESC) l
        WHERE l.period ->> 'indicatorId' IS NOT NULL AND l.period ->> 'start' IS NOT NULL
          AND l.period ->> 'end' IS NOT NULL;

        -- Periods of indicators, results or activities deleted since.
        UPDATE notifications.indicator_periods i SET deleted = true
        WHERE i.tenant_id = tenant AND EXISTS (
            SELECT FROM messaging.events e
            WHERE e.tenant_id = tenant AND (
                (e.aggregate_id IN (i.indicator_id, i.result_id)
                    AND (e.name LIKE 'results.indicator_deleted.%' OR e.name LIKE 'results.result_deleted.%'))
                OR (e.aggregate_id = i.activity_id AND e.name LIKE 'activities.activity_deleted.%')));
    END LOOP;
    PERFORM set_config('app.tenant_id', '', true);
END
$$;
