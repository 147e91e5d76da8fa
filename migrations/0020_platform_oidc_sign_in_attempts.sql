-- A sign-in through a provider in progress: from the redirect to the provider until the person comes back.
--
-- Kept here rather than in a signed cookie: any server process behind the load balancer can finish what
-- another started, and an attempt is used once (the callback deletes its row in the transaction that reads
-- it), so a replayed callback finds nothing, which a cookie alone cannot promise. The row is keyed by the
-- SHA-256 of `state` (the value itself is only in the browser's cookie and the provider's redirect), and
-- holds the PKCE code verifier and the nonce, which never leave the server. Rows lapse after
-- OIDC_SIGN_IN_TIMEOUT_SECONDS; each new attempt removes its municipality's lapsed ones.
CREATE TABLE platform.oidc_sign_in_attempts (
    tenant_id uuid NOT NULL REFERENCES platform.tenants (id) ON DELETE CASCADE,
    state_hash bytea NOT NULL CHECK (length(state_hash) = 32),
    nonce text NOT NULL CHECK (length(nonce) BETWEEN 16 AND 200),
    code_verifier text NOT NULL CHECK (length(code_verifier) BETWEEN 43 AND 128),
    next_path text CHECK (length(next_path) <= 2000),
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, state_hash)
);

CREATE INDEX oidc_sign_in_attempts_by_expiry ON platform.oidc_sign_in_attempts (tenant_id, expires_at);

ALTER TABLE platform.oidc_sign_in_attempts ENABLE ROW LEVEL SECURITY;
ALTER TABLE platform.oidc_sign_in_attempts FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON platform.oidc_sign_in_attempts
    USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);
GRANT SELECT, INSERT, DELETE ON platform.oidc_sign_in_attempts TO stedenband_app;
