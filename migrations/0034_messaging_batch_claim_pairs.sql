-- The batch claim finds its (kind, tenant) pair without sorting the queue, and a heartbeat never waits for a
-- row lock (docs/queue.md, "Batch delivery", and docs/performance.md, 2026-12-04, evening).
--
-- 0031's claim_job_batch sorted every due delivery job to find the first one (the planner took the
-- (kind, tenant_id, …) index for `kind = ANY (…)` and sorted 55,000 rows on disk), then walked every due job
-- of the kind past the other tenants' (`IS NOT DISTINCT FROM` is no index condition): 0.4 s a claim, one
-- claim at a time, which held batched delivery to about 700 events a second whatever the batches did.

-- Claims up to in_limit due jobs of one kind (one subscriber) and one tenant, as 0031's did: the pair whose
-- first due job comes first in claim order (priority, run_at, id), skipping the pairs the caller is delivering
-- already (in_busy_kinds[i], in_busy_tenants[i]) and rows other workers hold. The pairs that have waiting jobs
-- are found by skipping through the jobs_claim_batch index (kind, tenant_id, priority, run_at, id), one descent
-- per pair (for each kind, the next tenant after the last), and each pair's first due job by one more: the cost
-- grows with the number of pairs, not of jobs.
CREATE OR REPLACE FUNCTION messaging.claim_job_batch(
    in_kinds text[], in_limit integer, in_worker text, in_busy_kinds text[], in_busy_tenants uuid[],
    in_at timestamptz)
RETURNS TABLE (id bigint, kind text, tenant_id uuid, args text, attempt integer, max_attempts integer,
    run_at timestamptz, priority smallint, claim bigint)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
SET enable_seqscan = off
SET enable_bitmapscan = off
AS $$
#variable_conflict use_column
DECLARE
    pair record;
    ids bigint[];
BEGIN
    FOR pair IN
        WITH RECURSIVE pairs (kind, tenant_id) AS (
            SELECT k.kind, (
                SELECT j.tenant_id FROM messaging.jobs j
                WHERE j.state = 'available' AND j.kind = k.kind AND j.tenant_id IS NOT NULL
                ORDER BY j.tenant_id
                LIMIT 1)
            FROM unnest(in_kinds) AS k (kind)
            UNION ALL
            SELECT p.kind, (
                SELECT j.tenant_id FROM messaging.jobs j
                WHERE j.state = 'available' AND j.kind = p.kind AND j.tenant_id > p.tenant_id
                ORDER BY j.tenant_id
                LIMIT 1)
            FROM pairs p
            WHERE p.tenant_id IS NOT NULL
        ),
        candidates AS (
            SELECT p.kind, p.tenant_id, first.priority, first.run_at, first.id
            FROM pairs p CROSS JOIN LATERAL (
                SELECT j.priority, j.run_at, j.id FROM messaging.jobs j
                WHERE p.tenant_id IS NOT NULL AND j.state = 'available' AND j.kind = p.kind
                  AND j.tenant_id = p.tenant_id
                  AND j.run_at <= in_at
                ORDER BY j.priority, j.run_at, j.id
                LIMIT 1) first
            UNION ALL
            SELECT k.kind, NULL::uuid, first.priority, first.run_at, first.id
            FROM unnest(in_kinds) AS k (kind) CROSS JOIN LATERAL (
                SELECT j.priority, j.run_at, j.id FROM messaging.jobs j
                WHERE j.state = 'available' AND j.kind = k.kind AND j.tenant_id IS NULL AND j.run_at <= in_at
                ORDER BY j.priority, j.run_at, j.id
                LIMIT 1) first
        )
        SELECT c.kind, c.tenant_id FROM candidates c
        WHERE NOT EXISTS (
            SELECT FROM unnest(in_busy_kinds, in_busy_tenants) AS busy (kind, tenant_id)
            WHERE busy.kind = c.kind AND busy.tenant_id IS NOT DISTINCT FROM c.tenant_id)
        ORDER BY c.priority, c.run_at, c.id
    LOOP
        -- Two statements rather than one with `IS NOT DISTINCT FROM`, so that the tenant is an index condition.
        IF pair.tenant_id IS NULL THEN
            SELECT array_agg(due.id) INTO ids FROM (
                SELECT j.id FROM messaging.jobs j
                WHERE j.state = 'available' AND j.kind = pair.kind AND j.tenant_id IS NULL AND j.run_at <= in_at
                ORDER BY j.priority, j.run_at, j.id
                LIMIT in_limit
                FOR UPDATE SKIP LOCKED) due;
        ELSE
            SELECT array_agg(due.id) INTO ids FROM (
                SELECT j.id FROM messaging.jobs j
                WHERE j.state = 'available' AND j.kind = pair.kind AND j.tenant_id = pair.tenant_id
                  AND j.run_at <= in_at
                ORDER BY j.priority, j.run_at, j.id
                LIMIT in_limit
                FOR UPDATE SKIP LOCKED) due;
        END IF;
        -- Every due job of this pair is held by another worker's claim: try the next pair.
        CONTINUE WHEN ids IS NULL;
        RETURN QUERY
        UPDATE messaging.jobs AS job
        SET state = 'running', attempt = job.attempt + 1, attempted_at = in_at, heartbeat_at = in_at,
            claimed_by = in_worker, claim = job.claim + 1
        WHERE job.id = ANY (ids)
        RETURNING job.id, job.kind, job.tenant_id, job.args::text, job.attempt, job.max_attempts, job.run_at,
                  job.priority, job.claim;
        RETURN;
    END LOOP;
END
$$;

-- Refreshes the heartbeats of the caller's running jobs, as 0016's did, but skips a row another transaction
-- holds instead of waiting for it: a delivery completes its jobs inside its own transaction and holds their
-- rows until it commits, and a heartbeat that locked some of them first and waited for the others deadlocked
-- with it (the deadlock could pick the delivery, rolling a batch of 500 back to be delivered one by one). A
-- held row is being completed, failed, released or rescued; it still counts as held when its committed
-- version is the caller's claim, so that only a rescue makes the count fall short.
CREATE OR REPLACE FUNCTION messaging.heartbeat_jobs(in_ids bigint[], in_claims bigint[], in_at timestamptz)
RETURNS integer
LANGUAGE sql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
    WITH held AS (
        SELECT job.id, mine.claim FROM messaging.jobs job
        JOIN unnest(in_ids, in_claims) AS mine (id, claim) ON job.id = mine.id AND job.claim = mine.claim
        WHERE job.state IN ('running', 'cancelled') AND job.heartbeat_at IS NOT NULL
    ),
    free AS (
        SELECT job.id, held.claim FROM messaging.jobs job JOIN held ON job.id = held.id
        ORDER BY job.id
        FOR UPDATE OF job SKIP LOCKED
    ),
    beaten AS (
        UPDATE messaging.jobs AS job SET heartbeat_at = in_at
        FROM free
        WHERE job.id = free.id AND job.claim = free.claim AND job.state IN ('running', 'cancelled')
          AND job.heartbeat_at IS NOT NULL
        RETURNING 1
    )
    SELECT count(*)::integer FROM held
$$;
