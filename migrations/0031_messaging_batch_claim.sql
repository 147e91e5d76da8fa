-- Event deliveries are claimed in batches: up to N due jobs of one kind (one subscriber) and one tenant, oldest
-- first, so that one transaction delivers them all (docs/queue.md, "Batch delivery").

-- The batch's second step walks the due jobs of one kind and tenant in claim order.
CREATE INDEX jobs_claim_batch ON messaging.jobs (kind, tenant_id, priority, run_at, id) WHERE state = 'available';

-- Claims up to in_limit due jobs of the kind and tenant of the first due job of in_kinds, skipping the
-- (kind, tenant) pairs the caller is delivering already (in_busy_kinds[i], in_busy_tenants[i]): one batch per
-- subscriber and municipality at a time keeps their deliveries in publication order and off each other's row
-- locks. Rows other workers hold are skipped, as in claim_jobs.
CREATE FUNCTION messaging.claim_job_batch(
    in_kinds text[], in_limit integer, in_worker text, in_busy_kinds text[], in_busy_tenants uuid[],
    in_at timestamptz)
RETURNS TABLE (id bigint, kind text, tenant_id uuid, args text, attempt integer, max_attempts integer,
    run_at timestamptz, priority smallint, claim bigint)
LANGUAGE sql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
SET enable_seqscan = off
SET enable_bitmapscan = off
AS $$
    WITH head AS (
        SELECT j.kind, j.tenant_id FROM messaging.jobs j
        WHERE j.state = 'available' AND j.run_at <= in_at AND j.kind = ANY(in_kinds)
          AND NOT EXISTS (
              SELECT FROM unnest(in_busy_kinds, in_busy_tenants) AS busy(kind, tenant_id)
              WHERE busy.kind = j.kind AND busy.tenant_id IS NOT DISTINCT FROM j.tenant_id)
        ORDER BY j.priority, j.run_at, j.id
        LIMIT 1
        FOR UPDATE SKIP LOCKED
    ),
    due AS (
        SELECT j.id FROM messaging.jobs j JOIN head ON j.kind = head.kind
            AND j.tenant_id IS NOT DISTINCT FROM head.tenant_id
        WHERE j.state = 'available' AND j.run_at <= in_at
        ORDER BY j.priority, j.run_at, j.id
        LIMIT in_limit
        FOR UPDATE OF j SKIP LOCKED
    )
    UPDATE messaging.jobs AS job
    SET state = 'running', attempt = job.attempt + 1, attempted_at = in_at, heartbeat_at = in_at,
        claimed_by = in_worker, claim = job.claim + 1
    FROM due WHERE job.id = due.id
    RETURNING job.id, job.kind, job.tenant_id, job.args::text, job.attempt, job.max_attempts, job.run_at,
              job.priority, job.claim
$$;

REVOKE ALL ON FUNCTION messaging.claim_job_batch(text[], integer, text, text[], uuid[], timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION messaging.claim_job_batch(text[], integer, text, text[], uuid[], timestamptz)
    TO stedenband_app;
