-- The gateway keeps the identities behind API tokens in memory for a few seconds (IDENTITY_CACHE_TTL_SECONDS),
-- so that a read needs no lookup of its own. Every change that can end or alter what a token may do notifies
-- the channel stedenband_identity; every server process listens there and empties its cache at once. A NOTIFY
-- in a trigger is sent when the transaction commits, and only then. These changes are rare (a token made or
-- revoked, a user's role or status, a municipality or platform administrator disabled), so one channel and
-- "forget everything" are enough. A token's last use (last_used_at), written every minute, notifies nothing.

CREATE FUNCTION platform.notify_identity_change()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    -- The same payload twice in one transaction is delivered once.
    PERFORM pg_notify('stedenband_identity', TG_TABLE_NAME);
    RETURN NULL;
END
$$;

REVOKE ALL ON FUNCTION platform.notify_identity_change() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION platform.notify_identity_change() TO stedenband_app;

-- Tokens: made, deleted (also by a user's removal, ON DELETE CASCADE), revoked, or their expiry changed.
CREATE TRIGGER tokens_identity_insert_delete AFTER INSERT OR DELETE ON platform.tokens
    FOR EACH STATEMENT EXECUTE FUNCTION platform.notify_identity_change();
CREATE TRIGGER tokens_identity_update AFTER UPDATE ON platform.tokens
    FOR EACH ROW
    WHEN (OLD.revoked_at IS DISTINCT FROM NEW.revoked_at OR OLD.expires_at IS DISTINCT FROM NEW.expires_at
        OR OLD.token_hash IS DISTINCT FROM NEW.token_hash OR OLD.tenant_id IS DISTINCT FROM NEW.tenant_id
        OR OLD.user_id IS DISTINCT FROM NEW.user_id OR OLD.platform_admin_id IS DISTINCT FROM NEW.platform_admin_id)
    EXECUTE FUNCTION platform.notify_identity_change();

-- Users: removed, disabled or enabled, or given another role.
CREATE TRIGGER users_identity_delete AFTER DELETE ON platform.users
    FOR EACH STATEMENT EXECUTE FUNCTION platform.notify_identity_change();
CREATE TRIGGER users_identity_update AFTER UPDATE ON platform.users
    FOR EACH ROW
    WHEN (OLD.role IS DISTINCT FROM NEW.role OR OLD.disabled_at IS DISTINCT FROM NEW.disabled_at
        OR OLD.tenant_id IS DISTINCT FROM NEW.tenant_id OR OLD.id IS DISTINCT FROM NEW.id)
    EXECUTE FUNCTION platform.notify_identity_change();

-- Municipalities: removed, disabled or enabled.
CREATE TRIGGER tenants_identity_delete AFTER DELETE ON platform.tenants
    FOR EACH STATEMENT EXECUTE FUNCTION platform.notify_identity_change();
CREATE TRIGGER tenants_identity_update AFTER UPDATE ON platform.tenants
    FOR EACH ROW
    WHEN (OLD.disabled_at IS DISTINCT FROM NEW.disabled_at)
    EXECUTE FUNCTION platform.notify_identity_change();

-- Platform administrators: any change (they are few, and changed from the command line only).
CREATE TRIGGER platform_admins_identity AFTER UPDATE OR DELETE ON platform.platform_admins
    FOR EACH STATEMENT EXECUTE FUNCTION platform.notify_identity_change();

-- platform.authenticate, plus the token's expiry, so that the cache never serves a token past it. Run by the
-- owner: the app role cannot read a platform administrator's token row. It runs in an implicit transaction
-- of its own, so the settings platform.authenticate makes end with it.
CREATE FUNCTION platform.identify(candidate bytea, at timestamptz)
RETURNS TABLE (
    token_id uuid, token_hash bytea, tenant_id uuid, user_id uuid, platform_admin_id uuid, role text,
    expires_at timestamptz
)
LANGUAGE sql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT a.token_id, a.token_hash, a.tenant_id, a.user_id, a.platform_admin_id, a.role, t.expires_at
    FROM platform.authenticate(candidate, at) AS a
    JOIN platform.tokens AS t ON t.id = a.token_id
$$;

REVOKE ALL ON FUNCTION platform.identify(bytea, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION platform.identify(bytea, timestamptz) TO stedenband_app;
