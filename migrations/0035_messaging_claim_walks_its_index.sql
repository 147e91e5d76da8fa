-- The claim walks its index in claim order again, whatever the statistics say (docs/queue.md, "Life of a
-- job", Claim).
--
-- 0016's claim_jobs walks the partial index jobs_claim (priority, run_at, id) in claim order and stops after
-- in_limit rows. 0031 added jobs_claim_batch (kind, tenant_id, priority, run_at, id) for the batch claim, and
-- on a queue without fresh statistics (a burst of jobs that autovacuum has not yet analysed) the planner took
-- that index for `kind = ANY (in_kinds)`, estimated one matching row, and sorted every due job of the kinds
-- instead, on disk: with 100,000 jobs waiting, 0.1 s a claim, and the queue drained 1,800 jobs a second
-- where it had drained 27,000. The kinds are now compared as an expression that no index is built on
-- (`kind || ''`), so jobs_claim is the one index that gives the claim its order; the kinds filter the walk,
-- as they did before 0031. The batch claim (0034) finds its pairs through jobs_claim_batch on purpose and is
-- unchanged.
CREATE OR REPLACE FUNCTION messaging.claim_jobs(
    in_kinds text[], in_limit integer, in_worker text,
    in_after_priority smallint, in_after_run_at timestamptz, in_after_id bigint, in_at timestamptz)
RETURNS TABLE (id bigint, kind text, tenant_id uuid, args text, attempt integer, max_attempts integer,
    run_at timestamptz, priority smallint, claim bigint)
LANGUAGE sql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
SET enable_seqscan = off
SET enable_bitmapscan = off
AS $$
    WITH due AS (
        SELECT j.id FROM messaging.jobs j
        WHERE j.state = 'available' AND j.run_at <= in_at AND (j.kind || '') = ANY (in_kinds)
          AND (j.priority, j.run_at, j.id) > (in_after_priority, in_after_run_at, in_after_id)
        ORDER BY j.priority, j.run_at, j.id
        LIMIT in_limit
        FOR UPDATE SKIP LOCKED
    )
    UPDATE messaging.jobs AS job
    SET state = 'running', attempt = job.attempt + 1, attempted_at = in_at, heartbeat_at = in_at,
        claimed_by = in_worker, claim = job.claim + 1
    FROM due WHERE job.id = due.id
    RETURNING job.id, job.kind, job.tenant_id, job.args::text, job.attempt, job.max_attempts, job.run_at,
              job.priority, job.claim
$$;
