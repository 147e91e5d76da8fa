-- Row-level security on the job queue, and the queue's cross-tenant work moved into functions.
--
-- A job belongs to the tenant whose transaction enqueued it (tenant_id), or to nobody (kernel work such as the
-- digest scheduler's periodic run). The app role now sees and inserts only the jobs of the tenant its
-- transaction is scoped to, or with no tenant set, only the jobs of nobody; it can no longer update or delete
-- any job directly. What the workers and operators do across tenants (claim, heartbeat, complete, fail,
-- release, rescue, clean, cancel, retry, count, list) goes through the SECURITY DEFINER functions below: owned
-- by stedenband_owner, search_path pinned, EXECUTE for stedenband_app only. Each is one statement over a batch,
-- as the queue's SQL was before (the claim is still one UPDATE … FOR UPDATE SKIP LOCKED over the claim index);
-- times come from the caller, whose clock the tests control.
--
-- The owner runs them, and forced row-level security binds the owner as well: the policy `queue_functions`
-- lets the owner (and so these functions, and nobody who is not a member of the owner) reach every job.

ALTER TABLE messaging.jobs ENABLE ROW LEVEL SECURITY;
ALTER TABLE messaging.jobs FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON messaging.jobs
    USING (tenant_id IS NOT DISTINCT FROM nullif(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id IS NOT DISTINCT FROM nullif(current_setting('app.tenant_id', true), '')::uuid);
CREATE POLICY queue_functions ON messaging.jobs TO stedenband_owner USING (true) WITH CHECK (true);

-- Enqueueing stays a plain INSERT in the caller's transaction (`RETURNING id` and the unique key's
-- `ON CONFLICT` need SELECT); everything else goes through the functions.
REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON messaging.jobs FROM stedenband_app;

-- Claims up to in_limit due jobs of the given kinds in (priority, run_at, id) order, starting after the
-- cursor, skipping rows other workers hold; each claim increments `claim` (the fence, see 0011). The claim
-- walks the partial index jobs_claim whatever the statistics say: without fresh ones (a burst into a new
-- table) the planner would pick a sequential scan and a sort, thirty times slower.
CREATE FUNCTION messaging.claim_jobs(
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
        WHERE j.state = 'available' AND j.run_at <= in_at AND j.kind = ANY(in_kinds)
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

-- Results are fenced on the claim: every function below that a worker calls matches the (id, claim) pairs it
-- holds, so a worker that lost its job to the rescuer cannot touch a later claim's run. A job an operator
-- cancelled while it ran stays cancelled; its worker still holds the claim until the attempt ends.

-- Marks claimed jobs completed; returns how many it marked (0 for a job whose claim was lost).
CREATE FUNCTION messaging.complete_jobs(in_ids bigint[], in_claims bigint[], in_at timestamptz)
RETURNS integer
LANGUAGE sql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
    WITH done AS (
        UPDATE messaging.jobs AS job SET
            state = CASE WHEN job.state = 'running' THEN 'completed' ELSE job.state END,
            finished_at = CASE WHEN job.state = 'running' THEN in_at ELSE job.finished_at END,
            heartbeat_at = NULL
        FROM unnest(in_ids, in_claims) AS mine(id, claim)
        WHERE job.id = mine.id AND job.claim = mine.claim AND job.state IN ('running', 'cancelled')
        RETURNING 1
    )
    SELECT count(*)::integer FROM done
$$;

-- Records a failed attempt: back to available at in_retry_at, or discarded when it is NULL; a job cancelled
-- meanwhile stays cancelled, with the error kept.
CREATE FUNCTION messaging.fail_job(
    in_id bigint, in_claim bigint, in_error text, in_retry_at timestamptz, in_at timestamptz)
RETURNS integer
LANGUAGE sql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
    WITH failed AS (
        UPDATE messaging.jobs SET
            state = CASE WHEN state = 'cancelled' THEN 'cancelled'
                         WHEN in_retry_at IS NULL THEN 'discarded' ELSE 'available' END,
            run_at = CASE WHEN state = 'cancelled' THEN run_at ELSE coalesce(in_retry_at, run_at) END,
            errors = errors || jsonb_build_array(jsonb_build_object(
                'attempt', attempt, 'at', to_char(in_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
                'error', left(in_error, 2000))),
            finished_at = CASE WHEN state = 'cancelled' THEN finished_at
                               WHEN in_retry_at IS NULL THEN in_at END,
            claimed_by = NULL, heartbeat_at = NULL
        WHERE id = in_id AND claim = in_claim AND state IN ('running', 'cancelled')
        RETURNING 1
    )
    SELECT count(*)::integer FROM failed
$$;

-- Refreshes the heartbeat of the jobs a worker holds; returns how many it still holds.
CREATE FUNCTION messaging.heartbeat_jobs(in_ids bigint[], in_claims bigint[], in_at timestamptz)
RETURNS integer
LANGUAGE sql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
    WITH beaten AS (
        UPDATE messaging.jobs AS job SET heartbeat_at = in_at
        FROM unnest(in_ids, in_claims) AS mine(id, claim)
        WHERE job.id = mine.id AND job.claim = mine.claim AND job.state IN ('running', 'cancelled')
          AND job.heartbeat_at IS NOT NULL
        RETURNING 1
    )
    SELECT count(*)::integer FROM beaten
$$;

-- Returns claimed jobs to the queue (graceful shutdown); in_count_attempt false for jobs never started.
CREATE FUNCTION messaging.release_jobs(
    in_ids bigint[], in_claims bigint[], in_count_attempt boolean, in_at timestamptz)
RETURNS integer
LANGUAGE sql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
    WITH released AS (
        UPDATE messaging.jobs AS job SET
            state = CASE WHEN job.state = 'running' THEN 'available' ELSE job.state END,
            run_at = CASE WHEN job.state = 'running' THEN in_at ELSE job.run_at END,
            claimed_by = NULL, heartbeat_at = NULL,
            attempt = CASE WHEN in_count_attempt OR job.state <> 'running' THEN job.attempt ELSE job.attempt - 1 END
        FROM unnest(in_ids, in_claims) AS mine(id, claim)
        WHERE job.id = mine.id AND job.claim = mine.claim AND job.state IN ('running', 'cancelled')
        RETURNING 1
    )
    SELECT count(*)::integer FROM released
$$;

-- Returns running jobs whose heartbeat is older than in_stale_before to the queue (their worker died);
-- returns how many.
CREATE FUNCTION messaging.rescue_jobs(in_stale_before timestamptz, in_at timestamptz)
RETURNS integer
LANGUAGE sql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
    WITH rescued AS (
        UPDATE messaging.jobs SET
            state = 'available',
            run_at = in_at,
            errors = errors || jsonb_build_array(jsonb_build_object(
                'attempt', attempt, 'at', to_char(in_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
                'error', 'rescued: the worker ' || coalesce(claimed_by, '?') || ' stopped sending heartbeats')),
            claimed_by = NULL, heartbeat_at = NULL
        WHERE state = 'running' AND heartbeat_at < in_stale_before
        RETURNING 1
    )
    SELECT count(*)::integer FROM rescued
$$;

-- Deletes up to in_limit jobs that finished before in_finished_before; returns how many.
CREATE FUNCTION messaging.clean_jobs(in_finished_before timestamptz, in_limit integer)
RETURNS integer
LANGUAGE sql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
    WITH deleted AS (
        DELETE FROM messaging.jobs WHERE id IN (
            SELECT id FROM messaging.jobs
            WHERE state IN ('completed', 'discarded', 'cancelled') AND finished_at < in_finished_before
            LIMIT in_limit
        )
        RETURNING 1
    )
    SELECT count(*)::integer FROM deleted
$$;

-- Cancels an available or running job; false when no such job is waiting or running.
CREATE FUNCTION messaging.cancel_job(in_id bigint, in_at timestamptz)
RETURNS boolean
LANGUAGE sql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
    WITH cancelled AS (
        UPDATE messaging.jobs SET state = 'cancelled', finished_at = in_at
        WHERE id = in_id AND state IN ('available', 'running')
        RETURNING 1
    )
    SELECT count(*) = 1 FROM cancelled
$$;

-- Makes a discarded or cancelled job available now with a fresh set of attempts, and a waiting one run now;
-- returns 1 when it did, 0 when it refused (messaging.retry_refusal says why). A job cancelled while it ran
-- is refused until its attempt ended or its heartbeat is older than in_stale_before, and so is a job whose
-- unique_key another waiting or running job holds.
CREATE FUNCTION messaging.retry_job(in_id bigint, in_stale_before timestamptz, in_at timestamptz)
RETURNS integer
LANGUAGE sql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
    WITH retried AS (
        UPDATE messaging.jobs AS job SET state = 'available', run_at = in_at, finished_at = NULL,
            attempt = CASE WHEN job.state = 'available' THEN job.attempt ELSE 0 END,
            claimed_by = CASE WHEN job.state = 'available' THEN job.claimed_by END, heartbeat_at = NULL
        WHERE job.id = in_id
          AND (job.state IN ('discarded', 'available')
               OR (job.state = 'cancelled' AND (job.heartbeat_at IS NULL OR job.heartbeat_at < in_stale_before)))
          AND (job.unique_key IS NULL OR job.state = 'available' OR NOT EXISTS (
               SELECT FROM messaging.jobs AS other
               WHERE other.unique_key = job.unique_key AND other.id <> job.id
                 AND other.state IN ('available', 'running')))
        RETURNING 1
    )
    SELECT count(*)::integer FROM retried
$$;

-- Why retry_job refused: the job's state, whether a cancelled attempt still sends heartbeats, and the id of
-- a waiting or running job that holds its unique_key. No row: no such job.
CREATE FUNCTION messaging.retry_refusal(in_id bigint, in_stale_before timestamptz)
RETURNS TABLE (state text, still_running boolean, duplicate bigint)
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT job.state, job.heartbeat_at IS NOT NULL AND job.heartbeat_at >= in_stale_before,
           (SELECT other.id FROM messaging.jobs AS other
            WHERE other.unique_key = job.unique_key AND other.id <> job.id
              AND other.state IN ('available', 'running') LIMIT 1)
    FROM messaging.jobs AS job WHERE job.id = in_id
$$;

-- Counts by kind and state, for `stedenband jobs stats` and /metrics: counts only, no tenant, no arguments.
CREATE FUNCTION messaging.job_counts()
RETURNS TABLE (kind text, state text, jobs bigint)
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT j.kind, j.state, count(*) FROM messaging.jobs j GROUP BY j.kind, j.state ORDER BY j.kind, j.state
$$;

-- When the job that has waited longest since it became due was due; NULL when none is due.
CREATE FUNCTION messaging.oldest_due_job(in_at timestamptz)
RETURNS timestamptz
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT min(j.run_at) FROM messaging.jobs j WHERE j.state = 'available' AND j.run_at <= in_at
$$;

-- Jobs newest first, optionally of one state and kind, for `stedenband jobs list`.
CREATE FUNCTION messaging.list_jobs(in_state text, in_kind text, in_limit integer)
RETURNS TABLE (id bigint, kind text, tenant_id uuid, state text, priority smallint, run_at timestamptz,
    attempt integer, max_attempts integer, errors jsonb, unique_key text, claimed_by text,
    created_at timestamptz, finished_at timestamptz)
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT j.id, j.kind, j.tenant_id, j.state, j.priority, j.run_at, j.attempt, j.max_attempts, j.errors,
           j.unique_key, j.claimed_by, j.created_at, j.finished_at
    FROM messaging.jobs j
    WHERE (in_state IS NULL OR j.state = in_state) AND (in_kind IS NULL OR j.kind = in_kind)
    ORDER BY j.id DESC
    LIMIT in_limit
$$;

DO $$
DECLARE
    signature text;
BEGIN
    FOREACH signature IN ARRAY ARRAY[
        'messaging.claim_jobs(text[], integer, text, smallint, timestamptz, bigint, timestamptz)',
        'messaging.complete_jobs(bigint[], bigint[], timestamptz)',
        'messaging.fail_job(bigint, bigint, text, timestamptz, timestamptz)',
        'messaging.heartbeat_jobs(bigint[], bigint[], timestamptz)',
        'messaging.release_jobs(bigint[], bigint[], boolean, timestamptz)',
        'messaging.rescue_jobs(timestamptz, timestamptz)',
        'messaging.clean_jobs(timestamptz, integer)',
        'messaging.cancel_job(bigint, timestamptz)',
        'messaging.retry_job(bigint, timestamptz, timestamptz)',
        'messaging.retry_refusal(bigint, timestamptz)',
        'messaging.job_counts()',
        'messaging.oldest_due_job(timestamptz)',
        'messaging.list_jobs(text, text, integer)'
    ] LOOP
        EXECUTE format('REVOKE ALL ON FUNCTION %s FROM PUBLIC', signature);
        EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO stedenband_app', signature);
    END LOOP;
END
$$;
