-- The batch claim of event deliveries goes (docs/queue.md, "Event cursors"): since 0037 queued subscribers
-- read the event log from their cursors, and no job kind is claimed in batches any more. Its index was
-- written on every job insert and claim for nothing.
DROP FUNCTION messaging.claim_job_batch(text[], integer, text, text[], uuid[], timestamptz);
DROP INDEX messaging.jobs_claim_batch;
