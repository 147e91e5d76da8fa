-- Each claim of a job gets a number of its own, so that a worker's results count only for the claim it holds.
--
-- `attempt` cannot fence: a retry gives a job a fresh set of attempts (attempt back to 0), and a release on
-- shutdown takes an attempt back, so the same attempt number can come round again while a worker that lost
-- its claim (rescued after its heartbeats stalled) still runs. `claim` only ever grows.
ALTER TABLE messaging.jobs ADD COLUMN claim bigint NOT NULL DEFAULT 0;
