-- Housekeeping of what sign-in leaves behind, the platform administrators' own settings, and user counts on
-- /platform.
--
-- 1. The hourly pruning (0024) also deletes platform administrators' links and sessions (0023) and
--    invitations (0021), with the same retention rules. platform.prune_sign_ins keeps its name and arguments
--    and returns three more counts (a function's result type cannot be replaced, hence DROP and CREATE in this
--    one transaction); a caller that names the first three columns reads them as before.
--
-- 2. A platform administrator has a language of their own (NULL until they choose one: the page then follows
--    the browser, as before) and sees and ends their own sessions on /settings. The app role still has no
--    privilege on platform.platform_admin_sessions and may not write platform.platform_admins: the owner-run
--    functions below do it, only in a transaction that a platform administrator's session or token opened
--    (app.platform_admin, as platform.end_platform_admin_session of 0023).
--
-- 3. /platform counts each municipality's users. The registry policy (0004) lets a platform administrator read
--    platform.tenants, and nothing reaches platform.users for them (its tenant policy needs app.tenant_id). A
--    SECURITY DEFINER function, not a policy for the app role: a policy would hand a platform administrator's
--    transaction every person's name and address, where the page needs only numbers. The function answers
--    counts per municipality, role and status, never a row; it reads across municipalities through a policy
--    that names the owner and holds only while the function turns app.user_counts on (as
--    platform.sign_in_candidates does with app.sign_in_lookup in 0018), so the owner's other work stays bound.

-- 1. Pruning.

DROP FUNCTION platform.prune_sign_ins(timestamptz, interval, interval, interval);

-- Deletes, as of `at`, what 0024's function deleted (sessions, sign-in links, OpenID sign-in attempts) and:
--   platform administrators' sessions that ended, reached their absolute expiry or were idle longer than
--   `idle`, more than `session_retention` ago;
--   platform administrators' sign-in links used, or lapsed unused, more than `link_retention` ago;
--   invitations accepted more than `link_retention` ago, and those that lapsed unaccepted more than
--   `link_retention` ago once their person signed in (a session) or accepted another invitation. An invitation
--   not yet lapsed (pending) always stays; so does the lapsed one of a person who never came, since it is what
--   marks them "invited" on /admin/users and the members page (re-inviting them replaces it, deleting the
--   person deletes it).
-- Returns how many rows of each went.
CREATE FUNCTION platform.prune_sign_ins(
    at timestamptz, idle interval, session_retention interval, link_retention interval
)
RETURNS TABLE (
    sessions bigint, links bigint, attempts bigint, platform_sessions bigint, platform_links bigint,
    invitations bigint
)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    gone_sessions bigint;
    gone_links bigint;
    gone_attempts bigint;
    gone_platform_sessions bigint;
    gone_platform_links bigint;
    gone_invitations bigint;
BEGIN
    -- Invitations first: whether a lapsed one still marks its person as invited depends on their sessions.
    DELETE FROM platform.invitations i
    WHERE i.accepted_at < at - link_retention
       OR (i.accepted_at IS NULL AND i.expires_at < at - link_retention
           AND (EXISTS (SELECT FROM platform.sessions s WHERE s.tenant_id = i.tenant_id AND s.user_id = i.user_id)
                OR EXISTS (
                    SELECT FROM platform.invitations other
                    WHERE other.tenant_id = i.tenant_id AND other.user_id = i.user_id AND other.accepted_at IS NOT NULL)));
    GET DIAGNOSTICS gone_invitations = ROW_COUNT;
    DELETE FROM platform.sessions s
    WHERE least(s.ended_at, s.expires_at, s.last_seen_at + idle) < at - session_retention;
    GET DIAGNOSTICS gone_sessions = ROW_COUNT;
    DELETE FROM platform.sign_in_links l
    WHERE coalesce(l.used_at, l.expires_at) < at - link_retention;
    GET DIAGNOSTICS gone_links = ROW_COUNT;
    DELETE FROM platform.oidc_sign_in_attempts a WHERE a.expires_at < at - link_retention;
    GET DIAGNOSTICS gone_attempts = ROW_COUNT;
    DELETE FROM platform.platform_admin_sessions s
    WHERE least(s.ended_at, s.expires_at, s.last_seen_at + idle) < at - session_retention;
    GET DIAGNOSTICS gone_platform_sessions = ROW_COUNT;
    DELETE FROM platform.platform_admin_sign_in_links l
    WHERE coalesce(l.used_at, l.expires_at) < at - link_retention;
    GET DIAGNOSTICS gone_platform_links = ROW_COUNT;
    RETURN QUERY SELECT gone_sessions, gone_links, gone_attempts, gone_platform_sessions, gone_platform_links,
        gone_invitations;
END
$$;
REVOKE ALL ON FUNCTION platform.prune_sign_ins(timestamptz, interval, interval, interval) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION platform.prune_sign_ins(timestamptz, interval, interval, interval) TO stedenband_app;

-- 2. The platform administrators' settings.

ALTER TABLE platform.platform_admins ADD COLUMN locale text CHECK (locale IN ('nl', 'en', 'fr', 'es'));

-- Saves a platform administrator's language; only in a platform administrator's transaction.
CREATE FUNCTION platform.set_platform_admin_locale(admin uuid, wanted text)
RETURNS void
LANGUAGE sql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
    UPDATE platform.platform_admins a SET locale = wanted
    WHERE a.id = admin AND a.locale IS DISTINCT FROM wanted
      AND current_setting('app.platform_admin', true) = 'on'
$$;

REVOKE ALL ON FUNCTION platform.set_platform_admin_locale(uuid, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION platform.set_platform_admin_locale(uuid, text) TO stedenband_app;

-- A platform administrator's live sessions (not ended, not past their expiry, used within `idle`), newest
-- first, as the settings page lists a municipality person's: never a hash. Only in a platform administrator's
-- transaction.
CREATE FUNCTION platform.platform_admin_live_sessions(admin uuid, at timestamptz, idle interval)
RETURNS TABLE (id uuid, created_at timestamptz, last_seen_at timestamptz, user_agent text, client_address text)
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT s.id, s.created_at, s.last_seen_at, s.user_agent, s.client_address
    FROM platform.platform_admin_sessions s
    WHERE s.platform_admin_id = admin AND s.ended_at IS NULL AND s.expires_at > at AND s.last_seen_at > at - idle
      AND current_setting('app.platform_admin', true) = 'on'
    ORDER BY s.created_at DESC
    LIMIT 100
$$;

REVOKE ALL ON FUNCTION platform.platform_admin_live_sessions(uuid, timestamptz, interval) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION platform.platform_admin_live_sessions(uuid, timestamptz, interval) TO stedenband_app;

-- Ends every session of a platform administrator ("sign out everywhere"); returns how many were live. Only in a
-- platform administrator's transaction.
CREATE FUNCTION platform.end_platform_admin_sessions(admin uuid, at timestamptz)
RETURNS bigint
LANGUAGE sql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
    WITH ended AS (
        UPDATE platform.platform_admin_sessions s SET ended_at = at
        WHERE s.platform_admin_id = admin AND s.ended_at IS NULL
          AND current_setting('app.platform_admin', true) = 'on'
        RETURNING 1
    )
    SELECT count(*) FROM ended
$$;

REVOKE ALL ON FUNCTION platform.end_platform_admin_sessions(uuid, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION platform.end_platform_admin_sessions(uuid, timestamptz) TO stedenband_app;

-- 3. User counts for /platform.

CREATE POLICY user_counts ON platform.users FOR SELECT TO stedenband_owner
    USING (current_setting('app.user_counts', true) = 'on');

-- How many users each municipality has, per role, active and disabled apart (an invited person who has not
-- yet signed in is active). Only numbers, and only in a platform administrator's transaction; anyone else is
-- refused (insufficient_privilege), as reporting.platform_activities refuses them (0008).
CREATE FUNCTION platform.tenant_user_counts()
RETURNS TABLE (tenant_id uuid, role text, active bigint, disabled bigint)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF current_setting('app.platform_admin', true) IS DISTINCT FROM 'on' THEN
        RAISE EXCEPTION 'only platform administrators count users across municipalities'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    PERFORM set_config('app.user_counts', 'on', true);
    RETURN QUERY
        SELECT u.tenant_id, u.role, count(*) FILTER (WHERE u.disabled_at IS NULL),
            count(*) FILTER (WHERE u.disabled_at IS NOT NULL)
        FROM platform.users u
        GROUP BY u.tenant_id, u.role;
    PERFORM set_config('app.user_counts', 'off', true);
END
$$;

REVOKE ALL ON FUNCTION platform.tenant_user_counts() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION platform.tenant_user_counts() TO stedenband_app;
