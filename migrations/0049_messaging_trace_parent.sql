-- One trace from a request to the mail it caused (issue 17; docs/logs-and-traces.md): the W3C `traceparent`
-- of the request (or job, or event delivery) that published an event or enqueued a job is kept with it, so the
-- work it causes logs the same trace id, and `stedenband diagnostics trace` / `jobs list --trace` find the
-- chain. An inbox row keeps its event's, so the digest that carries it can name the traces it carries.
-- NULL for what was published or enqueued outside any trace (and for everything before this migration).
ALTER TABLE messaging.events ADD COLUMN trace_parent text
    CHECK (trace_parent ~ '^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$');
ALTER TABLE messaging.jobs ADD COLUMN trace_parent text
    CHECK (trace_parent ~ '^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$');
ALTER TABLE notifications.inbox ADD COLUMN trace_parent text
    CHECK (trace_parent ~ '^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$');

-- Looked up by trace id (the header's characters 4 to 35) by the operators' commands only.
CREATE INDEX events_by_trace ON messaging.events (substr(trace_parent, 4, 32)) WHERE trace_parent IS NOT NULL;
CREATE INDEX jobs_by_trace ON messaging.jobs (substr(trace_parent, 4, 32)) WHERE trace_parent IS NOT NULL;

-- The deliveries and the workers read the trace with the event or job they take: the two functions return it
-- as their last column. A function's result type cannot change in place, so each is made again, as 0037 and
-- 0035 made it, with its settings and grants.
DROP FUNCTION messaging.take_events(text, text[], integer, uuid[], uuid, timestamptz);

CREATE FUNCTION messaging.take_events(
    in_subscriber text, in_names text[], in_limit integer, in_busy uuid[], in_only uuid, in_at timestamptz)
RETURNS TABLE (tenant_id uuid, attempt integer, from_xid text, from_position bigint, xid text,
    event_position bigint, id uuid, name text, payload text, occurred_at timestamptz, actor text,
    trace_parent text)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    snapshot pg_snapshot := pg_current_snapshot();
    horizon xid8;
    origin messaging.cursor_origin;
    candidate record;
    taken messaging.event_cursors;
BEGIN
    -- Only this database's transactions write its events: one running in another database of the cluster
    -- (another application, a test) holds nothing back. The snapshot comes first, so a transaction that had
    -- its id before it and still runs shows in the activity read after it.
    PERFORM pg_stat_clear_snapshot();
    SELECT coalesce(min(x), pg_snapshot_xmax(snapshot)) INTO horizon
    FROM pg_snapshot_xip(snapshot) x
    WHERE x::text::bigint % 4294967296 IN (
        SELECT a.backend_xid::text::bigint FROM pg_stat_get_activity(NULL) a
        WHERE a.datid = (SELECT d.oid FROM pg_database d WHERE d.datname = current_database())
          AND a.backend_xid IS NOT NULL);
    SELECT * INTO STRICT origin FROM messaging.cursor_origin;
    FOR candidate IN
        WITH RECURSIVE tenants AS (
            (SELECT e.tenant_id FROM messaging.events e WHERE in_only IS NULL ORDER BY e.tenant_id LIMIT 1)
            UNION ALL
            SELECT (SELECT e.tenant_id FROM messaging.events e WHERE e.tenant_id > t.tenant_id
                    ORDER BY e.tenant_id LIMIT 1)
            FROM tenants t WHERE t.tenant_id IS NOT NULL
        ), candidates AS (
            SELECT t.tenant_id FROM tenants t WHERE t.tenant_id IS NOT NULL
            UNION ALL
            SELECT in_only WHERE in_only IS NOT NULL
        )
        SELECT c.tenant_id, cur.subscriber IS NOT NULL AS has_cursor
        FROM candidates c
        LEFT JOIN messaging.event_cursors cur ON cur.subscriber = in_subscriber AND cur.tenant_id = c.tenant_id
        CROSS JOIN LATERAL (
            SELECT e.position FROM messaging.events e
            WHERE e.tenant_id = c.tenant_id
              AND (e.xid, e.position) > (coalesce(cur.xid, origin.xid), coalesce(cur.position, origin.position))
              AND e.xid < horizon
            ORDER BY e.xid, e.position LIMIT 1
        ) first
        WHERE c.tenant_id <> ALL (in_busy) AND (cur.retry_at IS NULL OR cur.retry_at <= in_at)
        ORDER BY first.position
    LOOP
        IF NOT candidate.has_cursor THEN
            -- Another delivery may be making this cursor in its own transaction, not yet committed: an insert
            -- would wait for that whole delivery. Whoever holds the key makes it; the others pass.
            CONTINUE WHEN NOT pg_try_advisory_xact_lock(
                hashtext('messaging.event_cursors'), hashtext(in_subscriber || '/' || candidate.tenant_id::text));
            INSERT INTO messaging.event_cursors (subscriber, tenant_id, xid, position)
            VALUES (in_subscriber, candidate.tenant_id, origin.xid, origin.position)
            ON CONFLICT DO NOTHING;
        END IF;
        SELECT * INTO taken FROM messaging.event_cursors c
        WHERE c.subscriber = in_subscriber AND c.tenant_id = candidate.tenant_id
          AND (c.retry_at IS NULL OR c.retry_at <= in_at)
        FOR UPDATE SKIP LOCKED;
        CONTINUE WHEN NOT FOUND;
        RETURN QUERY
            SELECT e.tenant_id, taken.attempt, taken.xid::text, taken.position, e.xid::text, e.position, e.id, e.name,
                   CASE WHEN e.name = ANY (in_names)
                        AND NOT (e.xid = origin.xid AND e.position <= origin.position AND EXISTS (
                            SELECT FROM messaging.handled_events h
                            WHERE h.tenant_id = e.tenant_id AND h.subscriber = in_subscriber AND h.event_id = e.id))
                   THEN e.payload::text END,
                   e.occurred_at, e.actor, e.trace_parent
            FROM messaging.events e
            WHERE e.tenant_id = candidate.tenant_id AND (e.xid, e.position) > (taken.xid, taken.position)
              AND e.xid < horizon
            ORDER BY e.xid, e.position
            LIMIT CASE WHEN taken.attempt > 0 THEN 1 ELSE in_limit END;
        IF FOUND THEN
            RETURN;
        END IF;
    END LOOP;
END
$$;

ALTER FUNCTION messaging.take_events(text, text[], integer, uuid[], uuid, timestamptz) SET enable_bitmapscan = off;

DROP FUNCTION messaging.claim_jobs(text[], integer, text, smallint, timestamptz, bigint, timestamptz);

CREATE FUNCTION messaging.claim_jobs(
    in_kinds text[], in_limit integer, in_worker text,
    in_after_priority smallint, in_after_run_at timestamptz, in_after_id bigint, in_at timestamptz)
RETURNS TABLE (id bigint, kind text, tenant_id uuid, args text, attempt integer, max_attempts integer,
    run_at timestamptz, priority smallint, claim bigint, trace_parent text)
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
              job.priority, job.claim, job.trace_parent
$$;

-- What an operator follows a trace by (`stedenband diagnostics trace`, `jobs list --trace`): the events and
-- the jobs of every municipality with the trace id, oldest first. Read through the owner, as the queue's other
-- operator functions (0016, 0037).
CREATE FUNCTION messaging.trace_events(in_trace_id text, in_limit integer)
RETURNS TABLE (tenant_id uuid, id uuid, name text, occurred_at timestamptz, actor text, trace_parent text)
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT e.tenant_id, e.id, e.name, e.occurred_at, e.actor, e.trace_parent
    FROM messaging.events e
    WHERE substr(e.trace_parent, 4, 32) = lower(in_trace_id) AND e.trace_parent IS NOT NULL
    ORDER BY e.position
    LIMIT in_limit
$$;

CREATE FUNCTION messaging.trace_jobs(in_trace_id text, in_limit integer)
RETURNS TABLE (id bigint, kind text, tenant_id uuid, state text, priority smallint, run_at timestamptz,
    attempt integer, max_attempts integer, errors jsonb, unique_key text, claimed_by text,
    created_at timestamptz, finished_at timestamptz, trace_parent text)
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT j.id, j.kind, j.tenant_id, j.state, j.priority, j.run_at, j.attempt, j.max_attempts, j.errors,
           j.unique_key, j.claimed_by, j.created_at, j.finished_at, j.trace_parent
    FROM messaging.jobs j
    WHERE substr(j.trace_parent, 4, 32) = lower(in_trace_id) AND j.trace_parent IS NOT NULL
    ORDER BY j.id
    LIMIT in_limit
$$;

DO $$
DECLARE
    signature text;
BEGIN
    FOREACH signature IN ARRAY ARRAY[
        'messaging.take_events(text, text[], integer, uuid[], uuid, timestamptz)',
        'messaging.claim_jobs(text[], integer, text, smallint, timestamptz, bigint, timestamptz)',
        'messaging.trace_events(text, integer)',
        'messaging.trace_jobs(text, integer)'
    ] LOOP
        EXECUTE format('REVOKE ALL ON FUNCTION %s FROM PUBLIC', signature);
        EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO stedenband_app', signature);
    END LOOP;
END
$$;
