-- A municipality's administrator changes its name, default language and IATI organisation on
-- /admin/municipality, through the app role in a transaction scoped to the municipality. The table's
-- tenant_isolation policy (0001, for every command) already keeps an update to the municipality's own row;
-- only these columns may change: the slug, time zone, country, sender address, token expiry and disabling
-- stay the operator's (stedenband tenant set / disable).
GRANT UPDATE (name, default_locale, iati_organisation_ref, iati_organisation_type)
    ON platform.tenants TO stedenband_app;
