-- Each municipality's digest defaults, and a count of consecutive failed webhook digests.
--
-- A user who has never changed their settings gets the tenant's frequency, hour and weekday (the locale
-- and time zone stay the user's own, which come from the tenant when the user is made). A tenant without
-- a row here gets the plugin's built-in defaults: daily at 07:00, weekly on Mondays.
CREATE TABLE notifications.tenant_defaults (
    tenant_id uuid PRIMARY KEY REFERENCES platform.tenants (id) ON DELETE CASCADE,
    frequency text NOT NULL CHECK (frequency IN ('off', 'immediate', 'daily', 'weekly')),
    hour smallint NOT NULL CHECK (hour BETWEEN 0 AND 23),
    -- ISO 8601: 1 is Monday, 7 Sunday.
    weekday smallint NOT NULL CHECK (weekday BETWEEN 1 AND 7),
    version integer NOT NULL DEFAULT 1
);
ALTER TABLE notifications.tenant_defaults ENABLE ROW LEVEL SECURITY;
ALTER TABLE notifications.tenant_defaults FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON notifications.tenant_defaults
    USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);
GRANT SELECT, INSERT, UPDATE, DELETE ON notifications.tenant_defaults TO stedenband_app;

-- Digests in a row whose webhook delivery failed for good (a 4xx, or every retry of a 5xx or timeout); a
-- delivered one sets it back to 0. The webhook is disabled when it reaches the plugin's limit, so one bad
-- afternoon at the receiver does not switch it off, but a receiver that is gone does not get posted forever.
ALTER TABLE notifications.settings
    ADD COLUMN webhook_failures smallint NOT NULL DEFAULT 0 CHECK (webhook_failures >= 0);
