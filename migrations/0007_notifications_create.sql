-- The Notifications plugin: each user's digest settings, an inbox of the events that concern them, the
-- digests sent, and its own copy of the partnerships and their members (kept from the Partnerships
-- plugin's events in the publishing transaction, so an inbox row is written for whoever is a member then).
CREATE SCHEMA notifications;
GRANT USAGE ON SCHEMA notifications TO stedenband_app;

CREATE TABLE notifications.partnerships (
    tenant_id uuid NOT NULL REFERENCES platform.tenants (id),
    id uuid NOT NULL,
    title text NOT NULL,
    version integer NOT NULL,
    -- A deleted partnership stays, with its members, so its deletion still reaches their next digest.
    deleted_at timestamptz,
    PRIMARY KEY (tenant_id, id)
);

CREATE TABLE notifications.members (
    tenant_id uuid NOT NULL,
    partnership_id uuid NOT NULL,
    user_id uuid NOT NULL,
    role text NOT NULL,
    PRIMARY KEY (tenant_id, partnership_id, user_id),
    FOREIGN KEY (tenant_id, partnership_id) REFERENCES notifications.partnerships (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX members_by_user ON notifications.members (tenant_id, user_id);

-- One row per user who has settings or has been sent something; defaults come from the user and tenant.
CREATE TABLE notifications.settings (
    tenant_id uuid NOT NULL,
    user_id uuid NOT NULL,
    frequency text NOT NULL CHECK (frequency IN ('off', 'immediate', 'daily', 'weekly')),
    hour smallint NOT NULL CHECK (hour BETWEEN 0 AND 23),
    -- ISO 8601: 1 is Monday, 7 Sunday.
    weekday smallint NOT NULL CHECK (weekday BETWEEN 1 AND 7),
    time_zone text NOT NULL CHECK (length(time_zone) BETWEEN 1 AND 64),
    locale text NOT NULL CHECK (locale IN ('nl', 'en', 'fr', 'es')),
    email boolean NOT NULL DEFAULT true,
    webhook_url text CHECK (length(webhook_url) <= 2000),
    webhook_secret text,
    webhook_disabled_at timestamptz,
    webhook_note text,
    muted_partnerships uuid[] NOT NULL DEFAULT '{}',
    -- The end of the last window a digest covered: the next digest covers [window_start, its send time).
    window_start timestamptz NOT NULL,
    -- When the next digest is due, kept with the settings so the scheduler reads one index.
    next_due_at timestamptz,
    version integer NOT NULL DEFAULT 1,
    PRIMARY KEY (tenant_id, user_id),
    FOREIGN KEY (tenant_id, user_id) REFERENCES platform.users (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX settings_due ON notifications.settings (next_due_at, tenant_id) WHERE next_due_at IS NOT NULL;

-- What happened in a member's partnerships, one row per (user, event). A digest claims the rows that
-- happened before its window closed and are not yet claimed, so an event whose row arrives late (its
-- queued delivery ran after the window closed) goes in the next digest: every event in exactly one.
CREATE TABLE notifications.inbox (
    tenant_id uuid NOT NULL,
    user_id uuid NOT NULL,
    event_id uuid NOT NULL,
    event_name text NOT NULL,
    partnership_id uuid NOT NULL,
    activity_id uuid,
    occurred_at timestamptz NOT NULL,
    -- What the digest shows of the event: titles, changed fields, statuses, amounts, the update's text.
    item jsonb NOT NULL,
    digest_id uuid,
    PRIMARY KEY (tenant_id, user_id, event_id)
);
CREATE INDEX inbox_unclaimed ON notifications.inbox (tenant_id, user_id, occurred_at) WHERE digest_id IS NULL;
CREATE INDEX inbox_by_digest ON notifications.inbox (tenant_id, digest_id) WHERE digest_id IS NOT NULL;

-- Every digest claimed: one per (user, window start), so retries and other processes never send twice.
CREATE TABLE notifications.digests (
    tenant_id uuid NOT NULL,
    id uuid NOT NULL,
    user_id uuid NOT NULL,
    window_start timestamptz NOT NULL,
    window_end timestamptz NOT NULL CHECK (window_end > window_start),
    frequency text NOT NULL,
    locale text NOT NULL,
    item_count integer NOT NULL CHECK (item_count >= 0),
    subject text NOT NULL,
    -- pending: claimed, not yet handed over; sent; empty: nothing left once members and mutes were checked
    -- again at send time; failed: refused for good, or given up after the last attempt.
    status text NOT NULL CHECK (status IN ('pending', 'sent', 'empty', 'failed')),
    channels text[] NOT NULL,
    created_at timestamptz NOT NULL,
    sent_at timestamptz,
    error text,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, user_id, window_start),
    FOREIGN KEY (tenant_id, user_id) REFERENCES platform.users (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX digests_by_user ON notifications.digests (tenant_id, user_id, window_start DESC);

-- One-click unsubscribe (RFC 8058): a random token in each digest, for its user and list, stored as its
-- SHA-256 hash. Any digest's link keeps working.
CREATE TABLE notifications.unsubscribe_tokens (
    token_hash bytea PRIMARY KEY,
    tenant_id uuid NOT NULL,
    user_id uuid NOT NULL,
    list text NOT NULL,
    created_at timestamptz NOT NULL,
    used_at timestamptz,
    FOREIGN KEY (tenant_id, user_id) REFERENCES platform.users (tenant_id, id) ON DELETE CASCADE
);

DO $$
DECLARE
    name text;
BEGIN
    FOREACH name IN ARRAY ARRAY['partnerships', 'members', 'settings', 'inbox', 'digests', 'unsubscribe_tokens'] LOOP
        EXECUTE format('ALTER TABLE notifications.%I ENABLE ROW LEVEL SECURITY', name);
        EXECUTE format($policy$CREATE POLICY tenant_isolation ON notifications.%I
            USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
            WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)$policy$, name);
        EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON notifications.%I TO stedenband_app', name);
    END LOOP;
    -- The owner reads across tenants only through the two functions below.
    FOREACH name IN ARRAY ARRAY['partnerships', 'members', 'inbox', 'digests'] LOOP
        EXECUTE format('ALTER TABLE notifications.%I FORCE ROW LEVEL SECURITY', name);
    END LOOP;
END
$$;

-- The municipalities with a digest due at `at`: the scheduler, which has no tenant, then works inside each
-- one's scope. Returns ids only.
CREATE FUNCTION notifications.due_tenants(at timestamptz)
RETURNS SETOF uuid
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT DISTINCT s.tenant_id FROM notifications.settings s
    WHERE s.next_due_at <= at AND s.frequency <> 'off'
$$;
REVOKE ALL ON FUNCTION notifications.due_tenants(timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION notifications.due_tenants(timestamptz) TO stedenband_app;

-- An unsubscribe link carries no tenant: finds the token's user and list and sets app.tenant_id for the
-- rest of the caller's transaction, as platform.authenticate does for API tokens.
CREATE FUNCTION notifications.find_unsubscribe_token(candidate bytea)
RETURNS TABLE (tenant_id uuid, user_id uuid, list text)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    found_row notifications.unsubscribe_tokens;
BEGIN
    SELECT * INTO found_row FROM notifications.unsubscribe_tokens t WHERE t.token_hash = candidate;
    IF NOT FOUND THEN
        RETURN;
    END IF;
    PERFORM set_config('app.tenant_id', found_row.tenant_id::text, true);
    RETURN QUERY SELECT found_row.tenant_id, found_row.user_id, found_row.list;
END
$$;
REVOKE ALL ON FUNCTION notifications.find_unsubscribe_token(bytea) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION notifications.find_unsubscribe_token(bytea) TO stedenband_app;
