-- `Idempotency-Key` on POST: the first request with a key is carried out and its answer kept here, in the
-- request's own transaction, so the answer and the work it reports commit together (a crash loses both, and
-- the retry does the work). A retry with the same key gets the kept answer; a second request with the key
-- waits on the first one's row until that one commits or rolls back.
--
-- Scoped to the user who sent it: another user's key is another key. Kept for 24 hours; each request with a
-- key removes its user's expired ones. An answer that carried a secret shown once (an API token, a webhook
-- signing secret) keeps no body: its retry is told that the request was carried out.
CREATE TABLE platform.idempotency_keys (
    tenant_id uuid NOT NULL REFERENCES platform.tenants (id),
    user_id uuid NOT NULL,
    key text NOT NULL CHECK (length(key) BETWEEN 1 AND 255),
    fingerprint text NOT NULL,
    -- The kept answer; NULL while the first request runs (its row is not visible before it commits).
    status smallint,
    headers jsonb,
    body bytea,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, user_id, key),
    FOREIGN KEY (tenant_id, user_id) REFERENCES platform.users (tenant_id, id) ON DELETE CASCADE
);

CREATE INDEX idempotency_keys_by_age ON platform.idempotency_keys (tenant_id, user_id, created_at);

ALTER TABLE platform.idempotency_keys ENABLE ROW LEVEL SECURITY;
ALTER TABLE platform.idempotency_keys FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON platform.idempotency_keys
    USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);
GRANT SELECT, INSERT, UPDATE, DELETE ON platform.idempotency_keys TO stedenband_app;
