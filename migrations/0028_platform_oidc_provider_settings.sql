-- /admin/municipality sets, changes and removes its municipality's OpenID provider in the request's own
-- transaction, as the app role, through the statements `stedenband tenant set` runs (OIDCRepository). The
-- tenant_isolation policy of 0019 keeps each municipality to its own row, for writing as for reading.
--
-- The secret stays write-only: the app role may now write client_secret but still not read it (no SELECT on
-- that column), so the page can set or replace it and never show it; an empty secret field keeps the stored one
-- by an UPDATE that does not name the column.
GRANT INSERT (tenant_id, issuer, client_id, client_secret) ON platform.oidc_providers TO stedenband_app;
GRANT UPDATE (issuer, client_id, client_secret, updated_at) ON platform.oidc_providers TO stedenband_app;
GRANT DELETE ON platform.oidc_providers TO stedenband_app;
