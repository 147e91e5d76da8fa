-- Browser sessions: a person signed in to the pages. The cookie carries a random secret; only its SHA-256
-- hash is stored. A session ends when its person signs out (ended_at), when it has not been used for the
-- idle timeout (last_seen_at), or at its absolute expiry (expires_at), whichever comes first; the timeouts are
-- the server's settings (SESSION_IDLE_TIMEOUT, SESSION_MAX_AGE), so expires_at is written at sign-in and the
-- idle limit is passed to platform.authenticate_session.
--
-- Row-level security as on platform.tokens (0004, 0015): the app role sees its municipality's sessions and
-- never a hash (column grants); the owner-run functions below find a session by its hash before any
-- municipality is known, through the owner_functions policy that names the owner and nobody else.

CREATE TABLE platform.sessions (
    tenant_id uuid NOT NULL REFERENCES platform.tenants (id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    session_hash bytea NOT NULL UNIQUE CHECK (length(session_hash) = 32),
    user_id uuid NOT NULL,
    created_at timestamptz NOT NULL,
    last_seen_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    ended_at timestamptz,
    -- What the settings page shows to tell sessions apart: a shortened User-Agent and the client's address.
    user_agent text NOT NULL DEFAULT '' CHECK (length(user_agent) <= 200),
    client_address text NOT NULL DEFAULT '' CHECK (length(client_address) <= 64),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, user_id) REFERENCES platform.users (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX sessions_live_by_user ON platform.sessions (tenant_id, user_id, created_at) WHERE ended_at IS NULL;

COMMENT ON TABLE platform.sessions IS 'Browser sessions of the pages; the cookie''s secret is stored only as its SHA-256 hash.';

ALTER TABLE platform.sessions ENABLE ROW LEVEL SECURITY;
ALTER TABLE platform.sessions FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON platform.sessions
    USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);
CREATE POLICY owner_functions ON platform.sessions TO stedenband_owner USING (true) WITH CHECK (true);
GRANT SELECT (tenant_id, id, user_id, created_at, last_seen_at, expires_at, ended_at, user_agent, client_address)
    ON platform.sessions TO stedenband_app;
GRANT INSERT (tenant_id, id, session_hash, user_id, created_at, last_seen_at, expires_at, user_agent, client_address)
    ON platform.sessions TO stedenband_app;
GRANT UPDATE (ended_at) ON platform.sessions TO stedenband_app;

-- Finds a live session by its hash (not ended, not past its expiry, used within `idle`), sets app.tenant_id for
-- the rest of the caller's transaction, and returns the person as they are now: a disabled person or
-- municipality has no session, a role or language change applies at the next request.
CREATE FUNCTION platform.authenticate_session(candidate bytea, at timestamptz, idle interval)
RETURNS TABLE (
    session_id uuid, tenant_id uuid, user_id uuid, role text, locale text, name text, tenant_name text,
    last_seen_at timestamptz
)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    found_session platform.sessions;
BEGIN
    SELECT * INTO found_session FROM platform.sessions s
    WHERE s.session_hash = candidate AND s.ended_at IS NULL AND s.expires_at > at AND s.last_seen_at > at - idle;
    IF NOT FOUND THEN
        RETURN;
    END IF;
    PERFORM set_config('app.tenant_id', found_session.tenant_id::text, true);
    RETURN QUERY
        SELECT found_session.id, u.tenant_id, u.id, u.role, u.locale, u.name, tenant.name, found_session.last_seen_at
        FROM platform.users u JOIN platform.tenants tenant ON tenant.id = u.tenant_id
        WHERE u.tenant_id = found_session.tenant_id AND u.id = found_session.user_id
          AND u.disabled_at IS NULL AND tenant.disabled_at IS NULL;
END
$$;

REVOKE ALL ON FUNCTION platform.authenticate_session(bytea, timestamptz, interval) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION platform.authenticate_session(bytea, timestamptz, interval) TO stedenband_app;

-- Marks a session as used at `at` (only ever forward), so that its idle timeout starts again. The server calls it
-- at most about once a minute per session, outside the request's transaction (which is read-only for a GET).
CREATE FUNCTION platform.touch_session(candidate bytea, at timestamptz)
RETURNS void
LANGUAGE sql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
    UPDATE platform.sessions s SET last_seen_at = at
    WHERE s.session_hash = candidate AND s.ended_at IS NULL AND s.last_seen_at < at
$$;

REVOKE ALL ON FUNCTION platform.touch_session(bytea, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION platform.touch_session(bytea, timestamptz) TO stedenband_app;
