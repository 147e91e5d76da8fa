-- Old sign-in rows go: sessions some time after they ended, mailed links and OpenID sign-in attempts soon
-- after they were used or lapsed. Nothing reads such rows but the settings page's history (ended sessions are
-- not shown, but a recent one tells an operator what happened) and an investigation of a recent sign-in, so
-- the tables stay small and a copy of the database holds little about who signed in when.
--
-- The server's periodic job `platform.prune_sign_ins` calls the function below every hour with its
-- retention settings (SESSION_RETENTION, SIGN_IN_RETENTION); it runs as the owner, across municipalities,
-- through the owner_functions policies of 0017 and 0018 and the one added here for the attempts of 0020.

-- (A DELETE with a WHERE clause must also pass a SELECT policy, hence one policy for all commands, as in
-- 0017 and 0018.)
CREATE POLICY owner_functions ON platform.oidc_sign_in_attempts TO stedenband_owner USING (true) WITH CHECK (true);

-- Deletes, as of `at`:
--   sessions that ended (signed out, ended everywhere), reached their absolute expiry, or were idle longer
--   than `idle`, more than `session_retention` ago;
--   sign-in links used, or lapsed unused, more than `link_retention` ago;
--   OpenID sign-in attempts lapsed more than `link_retention` ago (a finished attempt is deleted at once).
-- Returns how many rows of each went.
CREATE FUNCTION platform.prune_sign_ins(
    at timestamptz, idle interval, session_retention interval, link_retention interval
)
RETURNS TABLE (sessions bigint, links bigint, attempts bigint)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    gone_sessions bigint;
    gone_links bigint;
    gone_attempts bigint;
BEGIN
    DELETE FROM platform.sessions s
    WHERE least(s.ended_at, s.expires_at, s.last_seen_at + idle) < at - session_retention;
    GET DIAGNOSTICS gone_sessions = ROW_COUNT;
    DELETE FROM platform.sign_in_links l
    WHERE coalesce(l.used_at, l.expires_at) < at - link_retention;
    GET DIAGNOSTICS gone_links = ROW_COUNT;
    DELETE FROM platform.oidc_sign_in_attempts a WHERE a.expires_at < at - link_retention;
    GET DIAGNOSTICS gone_attempts = ROW_COUNT;
    RETURN QUERY SELECT gone_sessions, gone_links, gone_attempts;
END
$$;
REVOKE ALL ON FUNCTION platform.prune_sign_ins(timestamptz, interval, interval, interval) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION platform.prune_sign_ins(timestamptz, interval, interval, interval) TO stedenband_app;
