-- Activities' descriptions for the IATI export, from `activities.activity_described.v1` events, which are
-- published beside the shipped activity events at the same version. Kept apart from reporting.activities:
-- a description event applies nothing else, so it may arrive before or after the activity's other events,
-- and only a newer description replaces one. Activities recorded before this event existed have none, and
-- the export uses their title, as it did until now.
CREATE TABLE reporting.activity_descriptions (
    tenant_id uuid NOT NULL REFERENCES platform.tenants (id),
    activity_id uuid NOT NULL,
    description text NOT NULL,
    version integer NOT NULL,
    PRIMARY KEY (tenant_id, activity_id)
);

ALTER TABLE reporting.activity_descriptions ENABLE ROW LEVEL SECURITY;
ALTER TABLE reporting.activity_descriptions FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON reporting.activity_descriptions
    USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);
GRANT SELECT, INSERT, UPDATE, DELETE ON reporting.activity_descriptions TO stedenband_app;
