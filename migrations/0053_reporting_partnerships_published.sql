-- The Reporting read model learns which partnerships are published on the showcase, with their public story
-- and address (issue 18; the Partnerships plugin's 0051). Filled by the partnership events, which carry the
-- fields since 0051; events before carry none, and nothing was published before, so there is no backfill. A
-- `stedenband reporting rebuild` replays them.
ALTER TABLE reporting.partnerships
    ADD COLUMN published boolean NOT NULL DEFAULT false,
    ADD COLUMN published_at timestamptz,
    ADD COLUMN story text NOT NULL DEFAULT '',
    ADD COLUMN slug text;
-- The showcase finds a municipality's published partnership by its address.
CREATE INDEX reporting_partnerships_published ON reporting.partnerships (tenant_id, slug)
    WHERE published AND NOT deleted;
