-- The foundation every module builds on: the roles, the kernel's schemas and the tenants.
--
-- Roles belong to the whole cluster, not to this database, so they are created only when absent: several
-- databases (a test run's clones, a staging copy) can share one cluster.
--   stedenband_owner  owns the schema; migrations after this one run as it. It cannot log in.
--   stedenband_app    is what the server's queries run as: it owns nothing and cannot bypass row-level
--                     security, so a query that forgets its tenant filter still sees one tenant only.
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'stedenband_owner') THEN
        CREATE ROLE stedenband_owner NOLOGIN;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'stedenband_app') THEN
        CREATE ROLE stedenband_app NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
    END IF;
    -- The login role that migrates (and serves, switching with SET ROLE) must be a member of both.
    IF NOT pg_has_role(current_user, 'stedenband_owner', 'MEMBER') THEN
        EXECUTE format('GRANT stedenband_owner TO %I', current_user);
    END IF;
    IF NOT pg_has_role(current_user, 'stedenband_app', 'MEMBER') THEN
        EXECUTE format('GRANT stedenband_app TO %I', current_user);
    END IF;
    EXECUTE format('GRANT CONNECT, CREATE ON DATABASE %I TO stedenband_owner', current_database());
    EXECUTE format('GRANT CONNECT ON DATABASE %I TO stedenband_app', current_database());
END
$$;

-- The runner created the platform schema and its history table before this file ran.
ALTER SCHEMA platform OWNER TO stedenband_owner;
ALTER TABLE platform.schema_migrations OWNER TO stedenband_owner;

SET LOCAL ROLE stedenband_owner;

CREATE SCHEMA IF NOT EXISTS messaging;

REVOKE ALL ON SCHEMA platform, messaging FROM PUBLIC;
GRANT USAGE ON SCHEMA platform, messaging TO stedenband_app;
-- /readyz reads the history as the app role to tell whether a migration is pending.
GRANT SELECT ON platform.schema_migrations TO stedenband_app;

-- The municipalities sharing this instance.
CREATE TABLE platform.tenants (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    slug text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$'),
    name text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 200),
    default_locale text NOT NULL DEFAULT 'nl' CHECK (default_locale IN ('nl', 'en', 'fr', 'es')),
    time_zone text NOT NULL DEFAULT 'Europe/Brussels' CHECK (length(time_zone) BETWEEN 1 AND 64),
    country text NOT NULL DEFAULT 'BE' CHECK (country ~ '^[A-Z]{2}$'),
    iati_organisation_ref text CHECK (length(iati_organisation_ref) <= 200),
    iati_organisation_type text CHECK (iati_organisation_type ~ '^[0-9]{1,3}$'),
    sender_email text CHECK (length(sender_email) <= 320),
    created_at timestamptz NOT NULL DEFAULT now(),
    disabled_at timestamptz
);

COMMENT ON TABLE platform.tenants IS 'The municipalities that share this instance; every tenant-owned row points here.';

-- A tenant sees its own row only: the app role reads it inside a transaction that set app.tenant_id.
ALTER TABLE platform.tenants ENABLE ROW LEVEL SECURITY;
ALTER TABLE platform.tenants FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON platform.tenants
    USING (id = nullif(current_setting('app.tenant_id', true), '')::uuid);
GRANT SELECT ON platform.tenants TO stedenband_app;
