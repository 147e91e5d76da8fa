-- The Reporting plugin's copy of each partnership's members, kept from `PartnershipState.members`, which every
-- partnership event carries (the same upsert that keeps reporting.partnerships replaces them when its version
-- guard lets the event through), and replayed by `stedenband reporting rebuild`. A partner coordinator's
-- reports count only the partnerships they are a member of: the reports turn the caller's scope into a
-- condition on this table, never on another plugin's schema.
CREATE TABLE reporting.members (
    tenant_id uuid NOT NULL REFERENCES platform.tenants (id),
    partnership_id uuid NOT NULL,
    user_id uuid NOT NULL,
    -- `coordinator` or `partner_coordinator`, as the event says.
    role text NOT NULL,
    PRIMARY KEY (tenant_id, partnership_id, user_id),
    FOREIGN KEY (tenant_id, partnership_id) REFERENCES reporting.partnerships (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX reporting_members_by_user ON reporting.members (tenant_id, user_id);

ALTER TABLE reporting.members ENABLE ROW LEVEL SECURITY;
ALTER TABLE reporting.members FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON reporting.members
    USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);
GRANT SELECT, INSERT, UPDATE, DELETE ON reporting.members TO stedenband_app;

-- The members of the partnerships already in the read model, from the kept event that set each one's version
-- (the newest at or below it). The events and this table are tenant-scoped even for the owner (forced
-- row-level security), so this runs inside each municipality's scope in turn; the owner finds the
-- municipalities through reporting.partnerships' platform_figures policy. Without this, partner coordinators
-- would see empty reports until the next rebuild.
DO $$
DECLARE
    tenant uuid;
BEGIN
    FOR tenant IN SELECT DISTINCT p.tenant_id FROM reporting.partnerships p LOOP
        PERFORM set_config('app.tenant_id', tenant::text, true);
        INSERT INTO reporting.members (tenant_id, partnership_id, user_id, role)
        SELECT p.tenant_id, p.id, (m.member ->> 'userId')::uuid, m.member ->> 'role'
        FROM reporting.partnerships p
        CROSS JOIN LATERAL (
            SELECT e.payload FROM messaging.events e
            WHERE e.tenant_id = p.tenant_id AND e.aggregate_id = p.id AND e.name LIKE 'partnerships.%'
              AND e.aggregate_version <= p.version
            ORDER BY e.aggregate_version DESC, e.position DESC
            LIMIT 1) e
        CROSS JOIN LATERAL jsonb_array_elements(coalesce(e.payload -> 'partnership' -> 'members', '[]')) AS m(member)
        WHERE p.tenant_id = tenant
        ON CONFLICT DO NOTHING;
    END LOOP;
    PERFORM set_config('app.tenant_id', '', true);
END
$$;
