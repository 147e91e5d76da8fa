-- The diagnostics plugin records each probe it receives once; a second delivery of the same event would
-- violate the primary key, which is how the tests see that effects happen once.
CREATE SCHEMA diagnostics;
GRANT USAGE ON SCHEMA diagnostics TO stedenband_app;

CREATE TABLE diagnostics.probe_receipts (
    tenant_id uuid NOT NULL REFERENCES platform.tenants (id),
    probe_id uuid NOT NULL,
    event_id uuid NOT NULL,
    sent_at timestamptz NOT NULL,
    received_at timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, probe_id)
);

ALTER TABLE diagnostics.probe_receipts ENABLE ROW LEVEL SECURITY;
ALTER TABLE diagnostics.probe_receipts FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON diagnostics.probe_receipts
    USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);
GRANT SELECT, INSERT ON diagnostics.probe_receipts TO stedenband_app;
