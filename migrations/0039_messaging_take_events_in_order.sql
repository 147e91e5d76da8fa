-- A subscriber's batch is read in the order of `events_by_transaction` and stops at its limit. With the
-- cursor's row comparison and the horizon, the planner guessed that few events wait and chose a bitmap scan
-- that read every waiting event of the municipality, with its payload, and sorted them to keep the first 500:
-- a delivery cost more the further its cursor lagged (docs/performance.md, "Event delivery from cursors").
-- Without bitmap scans inside the function it walks the index in order.
ALTER FUNCTION messaging.take_events(text, text[], integer, uuid[], uuid, timestamptz) SET enable_bitmapscan = off;
