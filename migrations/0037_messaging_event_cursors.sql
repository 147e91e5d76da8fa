-- Subscribers read the event log from a cursor of their own, one per subscriber and municipality, instead of
-- getting a job row per event (docs/queue.md, "Event cursors"; issue 15 item 5). With batches, the job rows
-- themselves were the limit: a row written at publish, claimed, completed and recorded in handled_events cost
-- PostgreSQL about 0.25 ms per event, 2.5 processor-seconds a second at 10,000 events a second. A cursor
-- costs one row update per batch.
--
-- Safe reading: positions come from a sequence when an event is inserted, so a transaction that commits
-- late can hold a lower position than events already visible. Each event therefore records the transaction
-- that wrote it, and a reader takes only events of transactions older than the oldest one of this database
-- still running: every such transaction has ended, so no event can appear below what was read. Events
-- are read in (xid, position) order, which is publication order within a transaction and within an
-- aggregate whose writers lock it (the second writer's transaction takes its xid before or after the first
-- one's; version guards in the subscribers keep the rare interleaving of two writers correct).
--
-- Every event written before this migration got its jobs, and those delivered it: cursors start after the last
-- of them (messaging.cursor_origin), except where event jobs still waited (a process stopped with a backlog):
-- there the subscriber's cursor starts before the first waiting one, the jobs are cancelled, and the events of
-- before the migration that the subscriber had handled already (messaging.handled_events) are passed over.
-- The ADD COLUMN rewrites messaging.events once.

ALTER TABLE messaging.events ADD COLUMN xid xid8 NOT NULL DEFAULT pg_current_xact_id();
CREATE INDEX events_by_transaction ON messaging.events (tenant_id, xid, position);

-- The functions below, run as the owner, read every municipality's events to find the ones waiting; so does
-- the origin's query (migrations run as the owner, whom row-level security binds too).
CREATE POLICY cursor_functions ON messaging.events FOR SELECT TO stedenband_owner USING (true);

CREATE TABLE messaging.cursor_origin (
    only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
    xid xid8 NOT NULL,
    position bigint NOT NULL
);
INSERT INTO messaging.cursor_origin (xid, position)
SELECT pg_current_xact_id(), coalesce(max(position), 0) FROM messaging.events;

-- A subscriber's place in one municipality's events: every event at or below (xid, position) was delivered.
-- attempt, retry_at and errors belong to the event after it, while it fails.
CREATE TABLE messaging.event_cursors (
    subscriber text NOT NULL CHECK (length(subscriber) BETWEEN 1 AND 200),
    tenant_id uuid NOT NULL REFERENCES platform.tenants (id),
    xid xid8 NOT NULL,
    position bigint NOT NULL,
    attempt integer NOT NULL DEFAULT 0 CHECK (attempt >= 0),
    retry_at timestamptz,
    errors jsonb NOT NULL DEFAULT '[]',
    moved_at timestamptz,
    PRIMARY KEY (subscriber, tenant_id)
);

-- The dead letter: an event that failed its subscriber's last attempt, with every attempt's error. The cursor
-- moved past it.
CREATE TABLE messaging.dead_events (
    subscriber text NOT NULL,
    tenant_id uuid NOT NULL REFERENCES platform.tenants (id),
    event_id uuid NOT NULL,
    position bigint NOT NULL,
    errors jsonb NOT NULL,
    died_at timestamptz NOT NULL,
    PRIMARY KEY (subscriber, tenant_id, event_id)
);

-- Only the functions below (run as the owner) reach the cursors and the dead letter.
ALTER TABLE messaging.event_cursors ENABLE ROW LEVEL SECURITY;
ALTER TABLE messaging.event_cursors FORCE ROW LEVEL SECURITY;
CREATE POLICY cursor_functions ON messaging.event_cursors TO stedenband_owner USING (true) WITH CHECK (true);
ALTER TABLE messaging.dead_events ENABLE ROW LEVEL SECURITY;
ALTER TABLE messaging.dead_events FORCE ROW LEVEL SECURITY;
CREATE POLICY cursor_functions ON messaging.dead_events TO stedenband_owner USING (true) WITH CHECK (true);
ALTER TABLE messaging.cursor_origin ENABLE ROW LEVEL SECURITY;
ALTER TABLE messaging.cursor_origin FORCE ROW LEVEL SECURITY;
CREATE POLICY cursor_functions ON messaging.cursor_origin TO stedenband_owner USING (true);
CREATE POLICY cursor_functions ON messaging.handled_events FOR SELECT TO stedenband_owner USING (true);

-- The backlog of event jobs (`event.<subscriber>`, arguments {"eventID": …}). Every event of before the
-- migration has the migration's xid, so one place before the first waiting event is (xid, its position - 1).
INSERT INTO messaging.event_cursors (subscriber, tenant_id, xid, position)
SELECT substr(j.kind, 7), e.tenant_id, e.xid, min(e.position) - 1
FROM messaging.jobs j
JOIN messaging.events e ON e.tenant_id = j.tenant_id AND e.id = (j.args ->> 'eventID')::uuid
WHERE j.kind LIKE 'event.%' AND j.state IN ('available', 'running')
GROUP BY 1, 2, 3;
UPDATE messaging.jobs SET state = 'cancelled', finished_at = now()
WHERE kind LIKE 'event.%' AND state IN ('available', 'running');

-- Takes the next batch of `in_subscriber`: among the municipalities not in `in_busy` (or only `in_only`) whose
-- cursor is not waiting for a retry, the one whose first waiting event is oldest; locks its cursor (SKIP
-- LOCKED: one delivery per subscriber and municipality at a time, across processes, for as long as the
-- caller's transaction lasts; a process that dies lets go with its connection) and returns up to `in_limit`
-- events after it, or one while the next event fails, each with where the cursor stands. Events named in
-- `in_names` come with their payload; the others (and those handled through a job before the migration) come
-- without, so the cursor can move past them. A cursor is
-- made at the origin the first time. The horizon is taken before this transaction writes anything.
CREATE FUNCTION messaging.take_events(
    in_subscriber text, in_names text[], in_limit integer, in_busy uuid[], in_only uuid, in_at timestamptz)
RETURNS TABLE (tenant_id uuid, attempt integer, from_xid text, from_position bigint, xid text,
    event_position bigint, id uuid, name text, payload text, occurred_at timestamptz, actor text)
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
                   e.occurred_at, e.actor
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

-- Moves a cursor taken in this transaction forward to the last event delivered, and forgets the failures of
-- the event it passed.
CREATE FUNCTION messaging.advance_cursor(
    in_subscriber text, in_tenant uuid, in_xid text, in_position bigint, in_at timestamptz)
RETURNS void
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    UPDATE messaging.event_cursors
    SET xid = in_xid::xid8, position = in_position, attempt = 0, retry_at = NULL, errors = '[]', moved_at = in_at
    WHERE subscriber = in_subscriber AND tenant_id = in_tenant
      AND (xid, position) < (in_xid::xid8, in_position);
    IF NOT FOUND THEN
        RAISE EXCEPTION 'the cursor of % for % is not behind (%, %)', in_subscriber, in_tenant, in_xid, in_position
            USING ERRCODE = 'P0002';
    END IF;
END
$$;

-- Records a failed attempt at the event after a cursor that still stands at (in_from_xid, in_from_position),
-- in a transaction of its own after the delivery rolled back; a cursor that moved or is being delivered from
-- is left alone. Before the last attempt the cursor waits until `in_retry_at`; after it, the event goes to
-- the dead letter and the cursor moves past it. Answers whether it went to the dead letter (NULL: left alone).
CREATE FUNCTION messaging.fail_cursor(
    in_subscriber text, in_tenant uuid, in_from_xid text, in_from_position bigint,
    in_event_xid text, in_event_position bigint, in_event_id uuid,
    in_error text, in_max_attempts integer, in_retry_at timestamptz, in_at timestamptz)
RETURNS boolean
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    failed messaging.event_cursors;
BEGIN
    -- A cursor made by the failed delivery itself rolled back with it (made as take_events makes one).
    IF NOT pg_try_advisory_xact_lock(
        hashtext('messaging.event_cursors'), hashtext(in_subscriber || '/' || in_tenant::text)) THEN
        RETURN NULL;
    END IF;
    INSERT INTO messaging.event_cursors (subscriber, tenant_id, xid, position)
    SELECT in_subscriber, in_tenant, o.xid, o.position FROM messaging.cursor_origin o
    ON CONFLICT DO NOTHING;
    PERFORM FROM messaging.event_cursors c
    WHERE c.subscriber = in_subscriber AND c.tenant_id = in_tenant
      AND c.xid = in_from_xid::xid8 AND c.position = in_from_position
    FOR UPDATE SKIP LOCKED;
    IF NOT FOUND THEN
        RETURN NULL;
    END IF;
    UPDATE messaging.event_cursors c
    SET attempt = c.attempt + 1,
        errors = c.errors || jsonb_build_object(
            'attempt', c.attempt + 1, 'at', in_at, 'event_id', in_event_id, 'error', in_error),
        retry_at = in_retry_at
    WHERE c.subscriber = in_subscriber AND c.tenant_id = in_tenant
    RETURNING * INTO failed;
    IF failed.attempt < in_max_attempts THEN
        RETURN false;
    END IF;
    INSERT INTO messaging.dead_events (subscriber, tenant_id, event_id, position, errors, died_at)
    VALUES (in_subscriber, in_tenant, in_event_id, in_event_position, failed.errors, in_at)
    ON CONFLICT (subscriber, tenant_id, event_id)
        DO UPDATE SET errors = excluded.errors, died_at = excluded.died_at;
    UPDATE messaging.event_cursors
    SET xid = in_event_xid::xid8, position = in_event_position, attempt = 0, retry_at = NULL, errors = '[]',
        moved_at = in_at
    WHERE subscriber = in_subscriber AND tenant_id = in_tenant;
    RETURN true;
END
$$;

DO $$
DECLARE
    signature text;
BEGIN
    FOREACH signature IN ARRAY ARRAY[
        'messaging.take_events(text, text[], integer, uuid[], uuid, timestamptz)',
        'messaging.advance_cursor(text, uuid, text, bigint, timestamptz)',
        'messaging.fail_cursor(text, uuid, text, bigint, text, bigint, uuid, text, integer, timestamptz, timestamptz)'
    ] LOOP
        EXECUTE format('REVOKE ALL ON FUNCTION %s FROM PUBLIC', signature);
        EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO stedenband_app', signature);
    END LOOP;
END
$$;
