-- The people of each municipality, the platform's administrators, and their API tokens.

CREATE TABLE platform.users (
    tenant_id uuid NOT NULL REFERENCES platform.tenants (id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    email text NOT NULL CHECK (length(email) BETWEEN 3 AND 320 AND email LIKE '%_@_%'),
    name text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 200),
    role text NOT NULL CHECK (role IN ('admin', 'coordinator', 'partner_coordinator', 'viewer')),
    locale text NOT NULL CHECK (locale IN ('nl', 'en', 'fr', 'es')),
    time_zone text NOT NULL CHECK (length(time_zone) BETWEEN 1 AND 64),
    version integer NOT NULL DEFAULT 1,
    created_at timestamptz NOT NULL DEFAULT now(),
    disabled_at timestamptz,
    PRIMARY KEY (tenant_id, id)
);

-- An e-mail address belongs to one user per municipality, whatever its case.
CREATE UNIQUE INDEX users_email ON platform.users (tenant_id, lower(email));

ALTER TABLE platform.users ENABLE ROW LEVEL SECURITY;
ALTER TABLE platform.users FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON platform.users
    USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);
GRANT SELECT, INSERT, UPDATE, DELETE ON platform.users TO stedenband_app;

-- Platform administrators belong to no municipality: they manage tenants and see cross-tenant figures.
CREATE TABLE platform.platform_admins (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    email text NOT NULL CHECK (length(email) BETWEEN 3 AND 320 AND email LIKE '%_@_%'),
    name text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 200),
    created_at timestamptz NOT NULL DEFAULT now(),
    disabled_at timestamptz
);
CREATE UNIQUE INDEX platform_admins_email ON platform.platform_admins (lower(email));
-- Read by /api/v1/me for an administrator's own row; written only by the CLI.
GRANT SELECT ON platform.platform_admins TO stedenband_app;

-- Tokens are stored only as SHA-256 hashes. The app role authenticates through platform.authenticate, which
-- finds a token by its hash and scopes the transaction to the token's tenant; otherwise it sees its tenant's
-- tokens only (row-level security, not forced: the owner-run function looks them up across tenants), and
-- never reads a hash.
CREATE TABLE platform.tokens (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    token_hash bytea NOT NULL UNIQUE CHECK (length(token_hash) = 32),
    tenant_id uuid,
    user_id uuid,
    platform_admin_id uuid REFERENCES platform.platform_admins (id),
    name text CHECK (length(name) <= 200),
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz,
    revoked_at timestamptz,
    FOREIGN KEY (tenant_id, user_id) REFERENCES platform.users (tenant_id, id) ON DELETE CASCADE,
    CHECK ((tenant_id IS NOT NULL AND user_id IS NOT NULL AND platform_admin_id IS NULL)
        OR (tenant_id IS NULL AND user_id IS NULL AND platform_admin_id IS NOT NULL))
);
CREATE INDEX tokens_by_user ON platform.tokens (tenant_id, user_id);

ALTER TABLE platform.tokens ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON platform.tokens
    USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);
GRANT SELECT (id, tenant_id, user_id, name, created_at, expires_at, revoked_at) ON platform.tokens TO stedenband_app;
GRANT INSERT (token_hash, tenant_id, user_id, name, expires_at) ON platform.tokens TO stedenband_app;
GRANT UPDATE (revoked_at) ON platform.tokens TO stedenband_app;

-- Finds a live token by its hash. For a municipality's token it sets app.tenant_id for the rest of the
-- caller's transaction, so authentication and tenant scoping cost one round trip, and it returns the user's
-- current role (a role change or a disabled user or tenant takes effect at the next request).
CREATE FUNCTION platform.authenticate(candidate bytea, at timestamptz)
RETURNS TABLE (token_id uuid, token_hash bytea, tenant_id uuid, user_id uuid, platform_admin_id uuid, role text)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    token_row platform.tokens;
BEGIN
    SELECT * INTO token_row FROM platform.tokens t
    WHERE t.token_hash = candidate AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > at);
    IF NOT FOUND THEN
        RETURN;
    END IF;
    IF token_row.platform_admin_id IS NOT NULL THEN
        PERFORM set_config('app.platform_admin', 'on', true);
        RETURN QUERY
            SELECT token_row.id, token_row.token_hash, NULL::uuid, NULL::uuid, a.id, 'platform_admin'::text
            FROM platform.platform_admins a
            WHERE a.id = token_row.platform_admin_id AND a.disabled_at IS NULL;
        RETURN;
    END IF;
    PERFORM set_config('app.tenant_id', token_row.tenant_id::text, true);
    RETURN QUERY
        SELECT token_row.id, token_row.token_hash, u.tenant_id, u.id, NULL::uuid, u.role
        FROM platform.users u JOIN platform.tenants tenant ON tenant.id = u.tenant_id
        WHERE u.tenant_id = token_row.tenant_id AND u.id = token_row.user_id
          AND u.disabled_at IS NULL AND tenant.disabled_at IS NULL;
END
$$;

REVOKE ALL ON FUNCTION platform.authenticate(bytea, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION platform.authenticate(bytea, timestamptz) TO stedenband_app;

-- Platform administrators see every tenant (the registry, not the tenants' data) and create tenants; the
-- authenticate function turns app.platform_admin on for their requests only.
CREATE POLICY platform_admin_read ON platform.tenants FOR SELECT
    USING (current_setting('app.platform_admin', true) = 'on');
CREATE POLICY platform_admin_create ON platform.tenants FOR INSERT
    WITH CHECK (current_setting('app.platform_admin', true) = 'on');
GRANT INSERT ON platform.tenants TO stedenband_app;
