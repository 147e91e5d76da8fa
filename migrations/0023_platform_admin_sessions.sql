-- Platform administrators sign in to the pages as a municipality's people do: a mailed, single-use link
-- (15 minutes) and then a browser session. They belong to no municipality, so their links and sessions are
-- kept apart from platform.sign_in_links and platform.sessions (which are a municipality's rows) and carry no
-- tenant_id. A platform administrator's session turns app.platform_admin on, as their API token does (0004):
-- they see the registry of municipalities and create municipalities; app.tenant_id stays unset, so every
-- municipality's own data stays out of their sight (row-level security, as for their token).
--
-- The app role has no privilege on these tables: it reaches them only through the owner-run functions below,
-- which find a link or a session by the hash of its secret. Using a link starts the session in the same
-- statement, so the app role cannot make a session for an administrator who did not use a link.

CREATE TABLE platform.platform_admin_sign_in_links (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    link_hash bytea NOT NULL UNIQUE CHECK (length(link_hash) = 32),
    platform_admin_id uuid NOT NULL REFERENCES platform.platform_admins (id) ON DELETE CASCADE,
    next_path text CHECK (length(next_path) <= 2000 AND next_path LIKE '/%' AND next_path NOT LIKE '//%'),
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    used_at timestamptz
);
CREATE INDEX platform_admin_sign_in_links_by_expiry ON platform.platform_admin_sign_in_links (expires_at);

CREATE TABLE platform.platform_admin_sessions (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    session_hash bytea NOT NULL UNIQUE CHECK (length(session_hash) = 32),
    platform_admin_id uuid NOT NULL REFERENCES platform.platform_admins (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL,
    last_seen_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    ended_at timestamptz,
    user_agent text NOT NULL DEFAULT '' CHECK (length(user_agent) <= 200),
    client_address text NOT NULL DEFAULT '' CHECK (length(client_address) <= 64)
);
CREATE INDEX platform_admin_sessions_live ON platform.platform_admin_sessions (platform_admin_id)
    WHERE ended_at IS NULL;

COMMENT ON TABLE platform.platform_admin_sessions IS 'Browser sessions of platform administrators; secrets stored only as SHA-256 hashes.';

ALTER TABLE platform.platform_admin_sign_in_links ENABLE ROW LEVEL SECURITY;
ALTER TABLE platform.platform_admin_sign_in_links FORCE ROW LEVEL SECURITY;
CREATE POLICY owner_functions ON platform.platform_admin_sign_in_links TO stedenband_owner
    USING (true) WITH CHECK (true);
ALTER TABLE platform.platform_admin_sessions ENABLE ROW LEVEL SECURITY;
ALTER TABLE platform.platform_admin_sessions FORCE ROW LEVEL SECURITY;
CREATE POLICY owner_functions ON platform.platform_admin_sessions TO stedenband_owner USING (true) WITH CHECK (true);

-- Makes a link for the active platform administrator with this address (any case), if there is one, and
-- returns their address and name for the mail; no row otherwise. Their links past use are deleted.
CREATE FUNCTION platform.issue_platform_admin_sign_in_link(
    address text, candidate bytea, wanted_next text, at timestamptz, expires timestamptz
)
RETURNS TABLE (email text, name text)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    admin platform.platform_admins;
BEGIN
    SELECT * INTO admin FROM platform.platform_admins a
    WHERE lower(a.email) = lower(address) AND a.disabled_at IS NULL;
    IF NOT FOUND THEN
        RETURN;
    END IF;
    DELETE FROM platform.platform_admin_sign_in_links l WHERE l.platform_admin_id = admin.id AND l.expires_at < at;
    INSERT INTO platform.platform_admin_sign_in_links (link_hash, platform_admin_id, next_path, created_at, expires_at)
    VALUES (candidate, admin.id, wanted_next, at, expires);
    RETURN QUERY SELECT admin.email, admin.name;
END
$$;

REVOKE ALL ON FUNCTION platform.issue_platform_admin_sign_in_link(text, bytea, text, timestamptz, timestamptz)
    FROM PUBLIC;
GRANT EXECUTE ON FUNCTION platform.issue_platform_admin_sign_in_link(text, bytea, text, timestamptz, timestamptz)
    TO stedenband_app;

-- What a link is now, without using it (the confirm page): 'valid', 'used' or 'expired'; no row when unknown.
CREATE FUNCTION platform.platform_admin_sign_in_link_state(candidate bytea, at timestamptz)
RETURNS TABLE (state text)
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT CASE WHEN l.used_at IS NOT NULL THEN 'used' WHEN l.expires_at <= at THEN 'expired' ELSE 'valid' END
    FROM platform.platform_admin_sign_in_links l WHERE l.link_hash = candidate
$$;

REVOKE ALL ON FUNCTION platform.platform_admin_sign_in_link_state(bytea, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION platform.platform_admin_sign_in_link_state(bytea, timestamptz) TO stedenband_app;

-- Uses a link (the row is locked: two uses cannot both pass) and starts the session `new_session` for its
-- administrator. Returns 'valid' with the
-- path to go to, 'used' or 'expired' (also when the administrator was disabled since); no row when unknown.
CREATE FUNCTION platform.redeem_platform_admin_sign_in_link(
    candidate bytea, new_session bytea, at timestamptz, expires timestamptz, agent text, address text
)
RETURNS TABLE (state text, next_path text)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    link platform.platform_admin_sign_in_links;
BEGIN
    SELECT * INTO link FROM platform.platform_admin_sign_in_links l WHERE l.link_hash = candidate FOR UPDATE;
    IF NOT FOUND THEN
        RETURN;
    END IF;
    IF link.used_at IS NOT NULL THEN
        RETURN QUERY SELECT 'used'::text, NULL::text;
        RETURN;
    END IF;
    IF link.expires_at <= at THEN
        RETURN QUERY SELECT 'expired'::text, NULL::text;
        RETURN;
    END IF;
    UPDATE platform.platform_admin_sign_in_links l SET used_at = at WHERE l.id = link.id;
    IF NOT EXISTS (
        SELECT FROM platform.platform_admins a WHERE a.id = link.platform_admin_id AND a.disabled_at IS NULL
    ) THEN
        RETURN QUERY SELECT 'expired'::text, NULL::text;
        RETURN;
    END IF;
    INSERT INTO platform.platform_admin_sessions
        (session_hash, platform_admin_id, created_at, last_seen_at, expires_at, user_agent, client_address)
    VALUES (new_session, link.platform_admin_id, at, at, expires, left(agent, 200), left(address, 64));
    RETURN QUERY SELECT 'valid'::text, link.next_path;
END
$$;

REVOKE ALL ON FUNCTION platform.redeem_platform_admin_sign_in_link(bytea, bytea, timestamptz, timestamptz, text, text)
    FROM PUBLIC;
GRANT EXECUTE ON FUNCTION
    platform.redeem_platform_admin_sign_in_link(bytea, bytea, timestamptz, timestamptz, text, text) TO stedenband_app;

-- Finds a live platform administrator's session by its hash (as platform.authenticate_session does for a
-- municipality's person) and turns app.platform_admin on for the rest of the caller's transaction. A disabled
-- administrator has no session.
CREATE FUNCTION platform.authenticate_platform_admin_session(candidate bytea, at timestamptz, idle interval)
RETURNS TABLE (session_id uuid, platform_admin_id uuid, name text, last_seen_at timestamptz)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    found_session platform.platform_admin_sessions;
BEGIN
    SELECT * INTO found_session FROM platform.platform_admin_sessions s
    WHERE s.session_hash = candidate AND s.ended_at IS NULL AND s.expires_at > at AND s.last_seen_at > at - idle;
    IF NOT FOUND THEN
        RETURN;
    END IF;
    IF NOT EXISTS (
        SELECT FROM platform.platform_admins a WHERE a.id = found_session.platform_admin_id AND a.disabled_at IS NULL
    ) THEN
        RETURN;
    END IF;
    PERFORM set_config('app.platform_admin', 'on', true);
    RETURN QUERY
        SELECT found_session.id, a.id, a.name, found_session.last_seen_at
        FROM platform.platform_admins a WHERE a.id = found_session.platform_admin_id;
END
$$;

REVOKE ALL ON FUNCTION platform.authenticate_platform_admin_session(bytea, timestamptz, interval) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION platform.authenticate_platform_admin_session(bytea, timestamptz, interval)
    TO stedenband_app;

-- Marks a platform administrator's session as used at `at` (only ever forward), as platform.touch_session.
CREATE FUNCTION platform.touch_platform_admin_session(candidate bytea, at timestamptz)
RETURNS void
LANGUAGE sql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
    UPDATE platform.platform_admin_sessions s SET last_seen_at = at
    WHERE s.session_hash = candidate AND s.ended_at IS NULL AND s.last_seen_at < at
$$;

REVOKE ALL ON FUNCTION platform.touch_platform_admin_session(bytea, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION platform.touch_platform_admin_session(bytea, timestamptz) TO stedenband_app;

-- Ends a platform administrator's session (signing out): only in a transaction a platform administrator's
-- session or token opened.
CREATE FUNCTION platform.end_platform_admin_session(ended uuid, at timestamptz)
RETURNS void
LANGUAGE sql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
    UPDATE platform.platform_admin_sessions s SET ended_at = at
    WHERE s.id = ended AND s.ended_at IS NULL AND current_setting('app.platform_admin', true) = 'on'
$$;

REVOKE ALL ON FUNCTION platform.end_platform_admin_session(uuid, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION platform.end_platform_admin_session(uuid, timestamptz) TO stedenband_app;
