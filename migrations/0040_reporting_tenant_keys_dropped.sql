-- The read model's partnerships and activities no longer reference platform.tenants. Their rows are made only
-- by Reporting's queued subscriber from events of the municipality it is delivering to (messaging.events
-- references the municipality, which is never deleted), and row-level security already keeps each row in the
-- municipality set for the transaction. The key's check ran once per upserted row, a query and a row lock on
-- the municipality's row: about a third of the cost of writing a batch of 500 activities
-- (docs/performance.md, "Event delivery from cursors").
ALTER TABLE reporting.partnerships DROP CONSTRAINT partnerships_tenant_id_fkey;
ALTER TABLE reporting.activities DROP CONSTRAINT activities_tenant_id_fkey;
