-- Sign-in by e-mail link: a single-use link, valid for a short time (15 minutes), mailed to a person. Only the
-- SHA-256 hash of the link's secret is stored. An address may belong to users of several municipalities: each
-- gets a link of their own.
--
-- Row-level security as on platform.sessions (0017): the app role writes a link inside its municipality's
-- transaction; the owner-run functions find a link by its hash, and the users of an address, before any
-- municipality is known.

CREATE TABLE platform.sign_in_links (
    tenant_id uuid NOT NULL REFERENCES platform.tenants (id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    link_hash bytea NOT NULL UNIQUE CHECK (length(link_hash) = 32),
    user_id uuid NOT NULL,
    -- Where the person goes once signed in: a path on this site only (the server checks it before storing).
    next_path text CHECK (length(next_path) <= 2000 AND next_path LIKE '/%' AND next_path NOT LIKE '//%'),
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    used_at timestamptz,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, user_id) REFERENCES platform.users (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX sign_in_links_by_expiry ON platform.sign_in_links (expires_at);

ALTER TABLE platform.sign_in_links ENABLE ROW LEVEL SECURITY;
ALTER TABLE platform.sign_in_links FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON platform.sign_in_links
    USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);
CREATE POLICY owner_functions ON platform.sign_in_links TO stedenband_owner USING (true) WITH CHECK (true);
GRANT INSERT (tenant_id, id, link_hash, user_id, next_path, created_at, expires_at)
    ON platform.sign_in_links TO stedenband_app;
GRANT SELECT (tenant_id, id, user_id, created_at, expires_at, used_at) ON platform.sign_in_links TO stedenband_app;
GRANT DELETE ON platform.sign_in_links TO stedenband_app;

-- The owner reads users and municipalities across tenants only inside platform.sign_in_candidates, which turns
-- app.sign_in_lookup on for itself and off again: the owner's other work (and the CLI's logins that are members
-- of the owner) stays bound by the tenant policies.
CREATE POLICY sign_in_lookup ON platform.users FOR SELECT TO stedenband_owner
    USING (current_setting('app.sign_in_lookup', true) = 'on');
CREATE POLICY sign_in_lookup ON platform.tenants FOR SELECT TO stedenband_owner
    USING (current_setting('app.sign_in_lookup', true) = 'on');

-- The active users with this address (any case) in active municipalities, with what their mail needs.
CREATE FUNCTION platform.sign_in_candidates(address text)
RETURNS TABLE (
    tenant_id uuid, user_id uuid, email text, name text, locale text, tenant_name text, sender_email text
)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    PERFORM set_config('app.sign_in_lookup', 'on', true);
    RETURN QUERY
        SELECT u.tenant_id, u.id, u.email, u.name, u.locale, tenant.name, tenant.sender_email
        FROM platform.users u JOIN platform.tenants tenant ON tenant.id = u.tenant_id
        WHERE lower(u.email) = lower(address) AND u.disabled_at IS NULL AND tenant.disabled_at IS NULL
        ORDER BY tenant.name, u.id;
    PERFORM set_config('app.sign_in_lookup', 'off', true);
END
$$;

REVOKE ALL ON FUNCTION platform.sign_in_candidates(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION platform.sign_in_candidates(text) TO stedenband_app;

-- What a link is now, without using it (the confirm page): 'valid', 'used' or 'expired'; no row when unknown.
CREATE FUNCTION platform.sign_in_link_state(candidate bytea, at timestamptz)
RETURNS TABLE (state text)
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT CASE WHEN l.used_at IS NOT NULL THEN 'used' WHEN l.expires_at <= at THEN 'expired' ELSE 'valid' END
    FROM platform.sign_in_links l WHERE l.link_hash = candidate
$$;

REVOKE ALL ON FUNCTION platform.sign_in_link_state(bytea, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION platform.sign_in_link_state(bytea, timestamptz) TO stedenband_app;

-- Uses a link: once valid, it is marked used (the row is locked, so two concurrent uses cannot both pass), the
-- caller's transaction is scoped to the link's municipality, and the person and the path to go to are returned
-- with state 'valid'. A used or expired link, or one whose person or municipality was disabled since, returns
-- its state ('used', 'expired') and nothing else; an unknown one returns no row.
CREATE FUNCTION platform.redeem_sign_in_link(candidate bytea, at timestamptz)
RETURNS TABLE (state text, tenant_id uuid, user_id uuid, next_path text)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    link platform.sign_in_links;
BEGIN
    SELECT * INTO link FROM platform.sign_in_links l WHERE l.link_hash = candidate FOR UPDATE;
    IF NOT FOUND THEN
        RETURN;
    END IF;
    IF link.used_at IS NOT NULL THEN
        RETURN QUERY SELECT 'used'::text, NULL::uuid, NULL::uuid, NULL::text;
        RETURN;
    END IF;
    IF link.expires_at <= at THEN
        RETURN QUERY SELECT 'expired'::text, NULL::uuid, NULL::uuid, NULL::text;
        RETURN;
    END IF;
    UPDATE platform.sign_in_links l SET used_at = at WHERE l.tenant_id = link.tenant_id AND l.id = link.id;
    PERFORM set_config('app.tenant_id', link.tenant_id::text, true);
    IF NOT EXISTS (
        SELECT FROM platform.users u JOIN platform.tenants tenant ON tenant.id = u.tenant_id
        WHERE u.tenant_id = link.tenant_id AND u.id = link.user_id
          AND u.disabled_at IS NULL AND tenant.disabled_at IS NULL
    ) THEN
        RETURN QUERY SELECT 'expired'::text, NULL::uuid, NULL::uuid, NULL::text;
        RETURN;
    END IF;
    RETURN QUERY SELECT 'valid'::text, link.tenant_id, link.user_id, link.next_path;
END
$$;

REVOKE ALL ON FUNCTION platform.redeem_sign_in_link(bytea, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION platform.redeem_sign_in_link(bytea, timestamptz) TO stedenband_app;
