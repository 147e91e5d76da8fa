-- Invitations: an administrator (or a coordinator, for a partner coordinator or a viewer) invites a person by
-- e-mail. The user row is made at invitation (active, with no session yet), so a partnership membership can be
-- added at once; the mailed link, single use and valid INVITATION_TTL (7 days), signs them in when they accept.
-- Only the SHA-256 hash of the link's secret is stored, as for sign-in links (0018).
--
-- Row-level security as on platform.sign_in_links: the app role writes an invitation inside its municipality's
-- transaction; the owner-run functions find one by its hash before any municipality is known.

CREATE TABLE platform.invitations (
    tenant_id uuid NOT NULL REFERENCES platform.tenants (id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    link_hash bytea NOT NULL UNIQUE CHECK (length(link_hash) = 32),
    user_id uuid NOT NULL,
    invited_by uuid,
    -- Where the person goes once they accepted: their partnership's page, or / (a path on this site only).
    next_path text CHECK (length(next_path) <= 2000 AND next_path LIKE '/%' AND next_path NOT LIKE '//%'),
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    accepted_at timestamptz,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, user_id) REFERENCES platform.users (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX invitations_by_user ON platform.invitations (tenant_id, user_id);
CREATE INDEX invitations_by_expiry ON platform.invitations (expires_at);

COMMENT ON TABLE platform.invitations IS 'Mailed invitations; the link''s secret is stored only as its SHA-256 hash.';

ALTER TABLE platform.invitations ENABLE ROW LEVEL SECURITY;
ALTER TABLE platform.invitations FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON platform.invitations
    USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);
CREATE POLICY owner_functions ON platform.invitations TO stedenband_owner USING (true) WITH CHECK (true);
GRANT INSERT (tenant_id, id, link_hash, user_id, invited_by, next_path, created_at, expires_at)
    ON platform.invitations TO stedenband_app;
GRANT SELECT (tenant_id, id, user_id, invited_by, created_at, expires_at, accepted_at)
    ON platform.invitations TO stedenband_app;
GRANT DELETE ON platform.invitations TO stedenband_app;

-- What an invitation is now, without using it (the accept page): 'valid', 'used' or 'expired'; no row when
-- unknown.
CREATE FUNCTION platform.invitation_state(candidate bytea, at timestamptz)
RETURNS TABLE (state text)
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT CASE WHEN i.accepted_at IS NOT NULL THEN 'used' WHEN i.expires_at <= at THEN 'expired' ELSE 'valid' END
    FROM platform.invitations i WHERE i.link_hash = candidate
$$;

REVOKE ALL ON FUNCTION platform.invitation_state(bytea, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION platform.invitation_state(bytea, timestamptz) TO stedenband_app;

-- Accepts an invitation, as platform.redeem_sign_in_link uses a link: once valid it is marked accepted (the row
-- is locked, so two uses cannot both pass), the caller's transaction is scoped to its municipality, and the
-- person and the path to go to are returned with state 'valid'. A used or expired invitation, or one whose
-- person or municipality was disabled since, returns its state only; an unknown one returns no row.
CREATE FUNCTION platform.accept_invitation(candidate bytea, at timestamptz)
RETURNS TABLE (state text, tenant_id uuid, user_id uuid, next_path text)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    invitation platform.invitations;
BEGIN
    SELECT * INTO invitation FROM platform.invitations i WHERE i.link_hash = candidate FOR UPDATE;
    IF NOT FOUND THEN
        RETURN;
    END IF;
    IF invitation.accepted_at IS NOT NULL THEN
        RETURN QUERY SELECT 'used'::text, NULL::uuid, NULL::uuid, NULL::text;
        RETURN;
    END IF;
    IF invitation.expires_at <= at THEN
        RETURN QUERY SELECT 'expired'::text, NULL::uuid, NULL::uuid, NULL::text;
        RETURN;
    END IF;
    UPDATE platform.invitations i SET accepted_at = at
    WHERE i.tenant_id = invitation.tenant_id AND i.id = invitation.id;
    PERFORM set_config('app.tenant_id', invitation.tenant_id::text, true);
    IF NOT EXISTS (
        SELECT FROM platform.users u JOIN platform.tenants tenant ON tenant.id = u.tenant_id
        WHERE u.tenant_id = invitation.tenant_id AND u.id = invitation.user_id
          AND u.disabled_at IS NULL AND tenant.disabled_at IS NULL
    ) THEN
        RETURN QUERY SELECT 'expired'::text, NULL::uuid, NULL::uuid, NULL::text;
        RETURN;
    END IF;
    RETURN QUERY SELECT 'valid'::text, invitation.tenant_id, invitation.user_id, invitation.next_path;
END
$$;

REVOKE ALL ON FUNCTION platform.accept_invitation(bytea, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION platform.accept_invitation(bytea, timestamptz) TO stedenband_app;
