-- Sign-in with a municipality's own OpenID Connect provider: its issuer, and this server's client id and
-- secret there, one provider per municipality. Set by `stedenband tenant set SLUG --oidc-issuer URL
-- --oidc-client-id ID --oidc-client-secret-file FILE`, removed with `--remove-oidc`.
--
-- The secret is the provider's password for this server. The app role may read the issuer and client id of
-- its own municipality (an admin page can show them), never the secret column: the secret leaves the table
-- only through platform.oidc_sign_in_tenant() below, for the code exchange. It is kept as the operator gave
-- it (the provider needs it back as it is), so a copy of the database holds it: see docs/security.md.
CREATE TABLE platform.oidc_providers (
    tenant_id uuid PRIMARY KEY REFERENCES platform.tenants (id) ON DELETE CASCADE,
    issuer text NOT NULL CHECK (issuer ~ '^https?://[^/?#@]+' AND length(issuer) <= 2000),
    client_id text NOT NULL CHECK (length(client_id) BETWEEN 1 AND 500),
    client_secret text NOT NULL CHECK (length(client_secret) BETWEEN 1 AND 4000),
    updated_at timestamptz NOT NULL DEFAULT now()
);

COMMENT ON TABLE platform.oidc_providers IS 'Each municipality''s OpenID provider; the secret is read only by platform.oidc_sign_in_tenant().';

ALTER TABLE platform.oidc_providers ENABLE ROW LEVEL SECURITY;
ALTER TABLE platform.oidc_providers FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON platform.oidc_providers
    USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);
GRANT SELECT (tenant_id, issuer, client_id, updated_at) ON platform.oidc_providers TO stedenband_app;

-- A sign-in through a provider starts from a municipality's slug in the URL, before any tenant is known, as
-- an API token or an unsubscribe link does. The owner-run functions below find the municipality across
-- tenants through these policies, which name the owner and nobody else (as 0015 does for tokens).
CREATE POLICY owner_functions ON platform.tenants FOR SELECT TO stedenband_owner USING (true);
CREATE POLICY owner_functions ON platform.oidc_providers FOR SELECT TO stedenband_owner USING (true);

-- The active municipality with `wanted_slug`, and its provider when one is configured (NULLs otherwise). It
-- sets app.tenant_id for the rest of the caller's transaction, so what follows (the sign-in attempt, the
-- person's row) is that municipality's only. A disabled municipality is not found.
CREATE FUNCTION platform.oidc_sign_in_tenant(wanted_slug text)
RETURNS TABLE (tenant_id uuid, tenant_name text, default_locale text, issuer text, client_id text, client_secret text)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    found_id uuid;
BEGIN
    SELECT t.id INTO found_id FROM platform.tenants t WHERE t.slug = wanted_slug AND t.disabled_at IS NULL;
    IF NOT FOUND THEN
        RETURN;
    END IF;
    PERFORM set_config('app.tenant_id', found_id::text, true);
    RETURN QUERY
        SELECT t.id, t.name, t.default_locale, p.issuer, p.client_id, p.client_secret
        FROM platform.tenants t LEFT JOIN platform.oidc_providers p ON p.tenant_id = t.id
        WHERE t.id = found_id;
END
$$;
REVOKE ALL ON FUNCTION platform.oidc_sign_in_tenant(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION platform.oidc_sign_in_tenant(text) TO stedenband_app;

-- The active municipalities with a provider, for the sign-in page's "Sign in with <municipality>" links:
-- slugs and names only.
CREATE FUNCTION platform.oidc_sign_in_choices()
RETURNS TABLE (slug text, name text)
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT t.slug, t.name FROM platform.tenants t JOIN platform.oidc_providers p ON p.tenant_id = t.id
    WHERE t.disabled_at IS NULL ORDER BY t.name, t.slug
$$;
REVOKE ALL ON FUNCTION platform.oidc_sign_in_choices() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION platform.oidc_sign_in_choices() TO stedenband_app;
