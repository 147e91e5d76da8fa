-- The kernel's event log, its durable job queue, and the periodic schedule.
--
-- messaging.events is tenant data (the audit trail Reporting rebuilds from): row-level security applies.
-- messaging.jobs is the kernel's own work list, claimed across tenants by the workers; it holds ids and
-- arguments, never a tenant's texts, and the API never exposes it, so it has no row-level security.

CREATE TABLE messaging.events (
    tenant_id uuid NOT NULL REFERENCES platform.tenants (id),
    id uuid NOT NULL,
    position bigint GENERATED ALWAYS AS IDENTITY,
    name text NOT NULL CHECK (name ~ '^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+\.v[0-9]+$'),
    aggregate_id uuid,
    aggregate_version bigint,
    payload jsonb NOT NULL,
    occurred_at timestamptz NOT NULL,
    actor text CHECK (length(actor) <= 200),
    PRIMARY KEY (tenant_id, id)
);

CREATE UNIQUE INDEX events_position ON messaging.events (position);
CREATE INDEX events_by_aggregate ON messaging.events (tenant_id, aggregate_id, aggregate_version);

ALTER TABLE messaging.events ENABLE ROW LEVEL SECURITY;
ALTER TABLE messaging.events FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON messaging.events
    USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);
GRANT SELECT, INSERT ON messaging.events TO stedenband_app;

-- Which queued subscriber handled which event, written in the handler's own transaction: a redelivered
-- event finds its row and is skipped, so effects happen once.
CREATE TABLE messaging.handled_events (
    tenant_id uuid NOT NULL,
    subscriber text NOT NULL,
    event_id uuid NOT NULL,
    handled_at timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, subscriber, event_id)
);

ALTER TABLE messaging.handled_events ENABLE ROW LEVEL SECURITY;
ALTER TABLE messaging.handled_events FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON messaging.handled_events
    USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);
GRANT SELECT, INSERT ON messaging.handled_events TO stedenband_app;

-- States: available (waiting for run_at), running (claimed; heartbeat_at shows it is alive), completed,
-- discarded (failed its last attempt: the dead letter, kept with its errors), cancelled.
CREATE TABLE messaging.jobs (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind text NOT NULL CHECK (length(kind) BETWEEN 1 AND 200),
    tenant_id uuid,
    args jsonb NOT NULL DEFAULT '{}',
    state text NOT NULL DEFAULT 'available'
        CHECK (state IN ('available', 'running', 'completed', 'discarded', 'cancelled')),
    priority smallint NOT NULL DEFAULT 1 CHECK (priority BETWEEN 0 AND 4),
    run_at timestamptz NOT NULL,
    attempt integer NOT NULL DEFAULT 0,
    -- NULL: the job kind's setting (20 unless the kind says otherwise).
    max_attempts integer CHECK (max_attempts >= 1),
    errors jsonb NOT NULL DEFAULT '[]',
    unique_key text,
    claimed_by text,
    attempted_at timestamptz,
    heartbeat_at timestamptz,
    created_at timestamptz NOT NULL,
    finished_at timestamptz
);

-- The claim walks this index in (priority, run_at, id) order and stops after its batch.
CREATE INDEX jobs_claim ON messaging.jobs (priority, run_at, id) WHERE state = 'available';
-- The rescuer looks for running jobs whose heartbeat went stale.
CREATE INDEX jobs_running ON messaging.jobs (heartbeat_at) WHERE state = 'running';
-- The cleaner prunes finished jobs after the retention.
CREATE INDEX jobs_finished ON messaging.jobs (finished_at) WHERE state IN ('completed', 'discarded', 'cancelled');
-- A unique job exists at most once among the jobs that are not finished.
CREATE UNIQUE INDEX jobs_unique ON messaging.jobs (unique_key)
    WHERE unique_key IS NOT NULL AND state IN ('available', 'running');

-- Finished jobs are pruned often: keep the table compact without waiting for autovacuum's defaults.
ALTER TABLE messaging.jobs SET (autovacuum_vacuum_scale_factor = 0.01, autovacuum_analyze_scale_factor = 0.02);

GRANT SELECT, INSERT, UPDATE, DELETE ON messaging.jobs TO stedenband_app;

-- Periodic jobs: one row per schedule; the process that moves next_run_at forward enqueues the run, so
-- several processes enqueue each period once.
CREATE TABLE messaging.periodic_jobs (
    name text PRIMARY KEY CHECK (length(name) BETWEEN 1 AND 200),
    next_run_at timestamptz NOT NULL,
    last_enqueued_at timestamptz
);

GRANT SELECT, INSERT, UPDATE ON messaging.periodic_jobs TO stedenband_app;
