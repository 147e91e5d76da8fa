-- The read model's spending ledger: per activity and UTC calendar year, the spent amount as the latest event of
-- that year stated it (each activity event carries the whole state, its budget included). The IATI export
-- turns it into one Expenditure transaction per year: the year's statement minus the previous year's, so the
-- transactions add up to the amount spent now (docs/iati.md). Kept by the Reporting plugin's subscriber beside
-- reporting.activities, with the same version guard (only a newer version of the activity changes a year's
-- row), and rebuilt from the kept events by `stedenband reporting rebuild`. An event without a budget, or a
-- deletion, states no spending and leaves the ledger alone.
--
-- UTC years, as the IATI module's "today": a change at 00:30 on 1 January in Brussels counts in the old year.
-- Rows carry no key to platform.tenants (0040 says why).
CREATE TABLE reporting.activity_spending (
    tenant_id uuid NOT NULL,
    activity_id uuid NOT NULL,
    year smallint NOT NULL,
    -- The activity's version that stated it: the latest of the year wins.
    version integer NOT NULL,
    spent numeric(14, 2) NOT NULL,
    currency text NOT NULL,
    -- The UTC day of that event: the transaction's date.
    recorded_on date NOT NULL,
    PRIMARY KEY (tenant_id, activity_id, year)
);

ALTER TABLE reporting.activity_spending ENABLE ROW LEVEL SECURITY;
ALTER TABLE reporting.activity_spending FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON reporting.activity_spending
    USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);
GRANT SELECT, INSERT, UPDATE, DELETE ON reporting.activity_spending TO stedenband_app;

-- The ledger of the activities already in the read model, from their kept events: per activity and UTC year,
-- the event with the highest version (the last position among equals) that states a budget. The events and
-- this table are tenant-scoped even for the owner (forced row-level security), so this runs inside each
-- municipality's scope in turn, as 0013 does; the owner finds the municipalities through
-- reporting.activities' platform_figures policy.
DO $$
DECLARE
    tenant uuid;
BEGIN
    FOR tenant IN SELECT DISTINCT a.tenant_id FROM reporting.activities a LOOP
        PERFORM set_config('app.tenant_id', tenant::text, true);
        INSERT INTO reporting.activity_spending (tenant_id, activity_id, year, version, spent, currency, recorded_on)
        SELECT DISTINCT ON (e.aggregate_id, extract(year FROM e.occurred_at AT TIME ZONE 'UTC'))
            e.tenant_id, e.aggregate_id, extract(year FROM e.occurred_at AT TIME ZONE 'UTC')::smallint,
            (e.payload -> 'activity' ->> 'version')::integer,
            (e.payload -> 'activity' -> 'budget' ->> 'spent')::numeric(14, 2),
            e.payload -> 'activity' -> 'budget' ->> 'currency',
            (e.occurred_at AT TIME ZONE 'UTC')::date
        FROM messaging.events e
        WHERE e.tenant_id = tenant AND e.name LIKE 'activities.%' AND e.name NOT LIKE 'activities.activity_deleted.%'
          AND jsonb_typeof(e.payload -> 'activity' -> 'budget') = 'object'
        ORDER BY e.aggregate_id, extract(year FROM e.occurred_at AT TIME ZONE 'UTC'),
            (e.payload -> 'activity' ->> 'version')::integer DESC, e.position DESC;
    END LOOP;
    PERFORM set_config('app.tenant_id', '', true);
END
$$;
