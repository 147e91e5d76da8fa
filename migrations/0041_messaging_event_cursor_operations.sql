-- What an operator needs of the event cursors (docs/queue.md, "Event cursors", "For operators"): how far each
-- subscriber lags, which cursors wait for a retry, the dead letter, and delivering a dead event again.
--
-- 0037 lets only its functions, run as the owner, reach the cursors and the dead letter, and the owner reads
-- every municipality's events only through its own policy. These functions follow 0016's operator functions
-- (`job_counts`, `list_jobs`, …): SECURITY DEFINER, owned by stedenband_owner, EXECUTE for stedenband_app
-- only, so `stedenband events …` works with a login that is a member of stedenband_app and nothing else, and
-- a redelivered event's handler runs as the app role in a transaction scoped to the event's municipality,
-- as the cursor workers run it.

-- Per subscriber (those named, and any with a cursor or a dead event), the events its cursors have yet to
-- pass over every municipality with events (one without a cursor counts from the origin, where its cursor
-- will be made), when the first of them occurred, the cursors waiting for a retry with the soonest retry,
-- and the dead events. Each (subscriber, municipality) is one range of events_by_transaction (tenant_id, xid,
-- position): counting costs the lag itself, an index-only scan, never the whole log; the municipalities
-- are found by skipping through an index that leads with tenant_id, one descent each. Measured with 300,000
-- events waiting in 30 municipalities for three subscribers (2026-12-05, EXPLAIN ANALYZE through auto_explain):
-- 96 index-only range scans, about 0.3 s, nearly all of it counting; 0.23 s a call with JIT off. The planner's estimate of the
-- subscribers × municipalities join is far off (billions), which made JIT compile the query for 1.2 s of a
-- 1.5 s run: JIT is off for it.
CREATE FUNCTION messaging.event_cursor_stats(in_subscribers text[])
RETURNS TABLE (subscriber text, waiting bigint, oldest_waiting timestamptz, retrying bigint,
    next_retry timestamptz, dead bigint)
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
SET jit = off
AS $$
    WITH RECURSIVE tenants AS (
        (SELECT e.tenant_id FROM messaging.events e ORDER BY e.tenant_id LIMIT 1)
        UNION ALL
        SELECT (SELECT e.tenant_id FROM messaging.events e WHERE e.tenant_id > t.tenant_id
                ORDER BY e.tenant_id LIMIT 1)
        FROM tenants t WHERE t.tenant_id IS NOT NULL
    ), subscribers AS (
        SELECT s FROM unnest(in_subscribers) s
        UNION SELECT c.subscriber FROM messaging.event_cursors c
        UNION SELECT d.subscriber FROM messaging.dead_events d
    ), places AS (
        SELECT s.s AS subscriber, t.tenant_id, coalesce(c.xid, o.xid) AS xid,
               coalesce(c.position, o.position) AS position, c.retry_at
        FROM subscribers s
        CROSS JOIN tenants t
        CROSS JOIN messaging.cursor_origin o
        LEFT JOIN messaging.event_cursors c ON c.subscriber = s.s AND c.tenant_id = t.tenant_id
        WHERE t.tenant_id IS NOT NULL
    ), lags AS (
        SELECT p.subscriber, p.retry_at,
               (SELECT count(*) FROM messaging.events e
                WHERE e.tenant_id = p.tenant_id AND (e.xid, e.position) > (p.xid, p.position)) AS waiting,
               (SELECT e.occurred_at FROM messaging.events e
                WHERE e.tenant_id = p.tenant_id AND (e.xid, e.position) > (p.xid, p.position)
                ORDER BY e.xid, e.position LIMIT 1) AS first_waiting
        FROM places p
    )
    SELECT s.s, coalesce(sum(l.waiting), 0)::bigint, min(l.first_waiting), count(l.retry_at), min(l.retry_at),
           (SELECT count(*) FROM messaging.dead_events d WHERE d.subscriber = s.s)
    FROM subscribers s
    LEFT JOIN lags l ON l.subscriber = s.s
    GROUP BY s.s
    ORDER BY s.s
$$;

-- The dead events, newest first, of one subscriber or all (and one event, or all), with the municipality
-- and the event's name. The errors' times come as 0016's job errors have them (RFC 3339 UTC, whole seconds);
-- fail_cursor wrote them as jsonb renders a timestamptz.
CREATE FUNCTION messaging.list_dead_events(in_subscriber text, in_event uuid, in_limit integer)
RETURNS TABLE (subscriber text, tenant_id uuid, tenant_slug text, tenant_name text, event_id uuid,
    event_name text, event_position bigint, errors jsonb, died_at timestamptz)
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT d.subscriber, d.tenant_id, t.slug, t.name, d.event_id, e.name, d.position,
           (SELECT coalesce(jsonb_agg(a.x || jsonb_build_object('at', to_char(
                       (a.x ->> 'at')::timestamptz AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')) ORDER BY a.n),
                   '[]')
            FROM jsonb_array_elements(d.errors) WITH ORDINALITY a(x, n)),
           d.died_at
    FROM messaging.dead_events d
    JOIN platform.tenants t ON t.id = d.tenant_id
    LEFT JOIN messaging.events e ON e.tenant_id = d.tenant_id AND e.id = d.event_id
    WHERE (in_subscriber IS NULL OR d.subscriber = in_subscriber) AND (in_event IS NULL OR d.event_id = in_event)
    ORDER BY d.died_at DESC, d.position DESC
    LIMIT in_limit
$$;

-- The ids of a subscriber's dead events in the order they were published, per municipality, for
-- redelivering all of them.
CREATE FUNCTION messaging.dead_event_ids(in_subscriber text)
RETURNS TABLE (tenant_id uuid, event_id uuid)
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT d.tenant_id, d.event_id
    FROM messaging.dead_events d
    LEFT JOIN messaging.events e ON e.tenant_id = d.tenant_id AND e.id = d.event_id
    WHERE d.subscriber = in_subscriber
    ORDER BY d.tenant_id, e.xid, d.position
$$;

-- Takes a dead event for redelivery in the caller's transaction: locks its row (NOWAIT: a second operator
-- redelivering the same event is told at once, SQLSTATE 55P03) and returns the event. No row: no such dead
-- event.
CREATE FUNCTION messaging.take_dead_event(in_subscriber text, in_event uuid)
RETURNS TABLE (tenant_id uuid, id uuid, name text, payload text, occurred_at timestamptz, actor text)
LANGUAGE sql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT e.tenant_id, e.id, e.name, e.payload::text, e.occurred_at, e.actor
    FROM messaging.dead_events d
    JOIN messaging.events e ON e.tenant_id = d.tenant_id AND e.id = d.event_id
    WHERE d.subscriber = in_subscriber AND d.event_id = in_event
    FOR UPDATE OF d NOWAIT
$$;

-- Removes a dead event that was delivered, in the transaction that delivered it.
CREATE FUNCTION messaging.forget_dead_event(in_subscriber text, in_tenant uuid, in_event uuid)
RETURNS boolean
LANGUAGE sql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
    WITH gone AS (
        DELETE FROM messaging.dead_events d
        WHERE d.subscriber = in_subscriber AND d.tenant_id = in_tenant AND d.event_id = in_event
        RETURNING 1
    )
    SELECT EXISTS (SELECT FROM gone)
$$;

-- Adds a failed redelivery to a dead event's errors (after its transaction rolled back); the event stays dead.
CREATE FUNCTION messaging.record_redelivery_failure(
    in_subscriber text, in_tenant uuid, in_event uuid, in_error text, in_at timestamptz)
RETURNS boolean
LANGUAGE sql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
    WITH failed AS (
        UPDATE messaging.dead_events d
        SET errors = d.errors || jsonb_build_object(
            'attempt', jsonb_array_length(d.errors) + 1, 'at', in_at, 'event_id', in_event, 'error', in_error,
            'redelivery', true)
        WHERE d.subscriber = in_subscriber AND d.tenant_id = in_tenant AND d.event_id = in_event
        RETURNING 1
    )
    SELECT EXISTS (SELECT FROM failed)
$$;

DO $$
DECLARE
    signature text;
BEGIN
    FOREACH signature IN ARRAY ARRAY[
        'messaging.event_cursor_stats(text[])',
        'messaging.list_dead_events(text, uuid, integer)',
        'messaging.dead_event_ids(text)',
        'messaging.take_dead_event(text, uuid)',
        'messaging.forget_dead_event(text, uuid, uuid)',
        'messaging.record_redelivery_failure(text, uuid, uuid, text, timestamptz)'
    ] LOOP
        EXECUTE format('REVOKE ALL ON FUNCTION %s FROM PUBLIC', signature);
        EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO stedenband_app', signature);
    END LOOP;
END
$$;
