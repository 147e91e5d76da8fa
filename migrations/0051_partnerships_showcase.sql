-- A partnership may be published on the public showcase (issue 18). Nothing was published before, so no backfill.
ALTER TABLE partnerships.partnerships
    ADD COLUMN published boolean NOT NULL DEFAULT false,
    -- When it was last published; NULL while unpublished.
    ADD COLUMN published_at timestamptz,
    -- What the public reads: never the internal `description`, which was written for colleagues.
    ADD COLUMN story text NOT NULL DEFAULT '' CHECK (length(story) <= 5000),
    -- Made from the partner's name at the first publication ("dogbo"; "dogbo-2" if taken), never changed after,
    -- so a published address stays valid; kept when the partnership is unpublished.
    ADD COLUMN slug text CHECK (slug ~ '^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$'),
    ADD CHECK (published = (published_at IS NOT NULL)),
    ADD CHECK (NOT published OR slug IS NOT NULL);

-- A municipality's partnership addresses (`/showcase/{municipality}/{slug}`) are unique within it.
CREATE UNIQUE INDEX partnerships_by_slug ON partnerships.partnerships (tenant_id, slug) WHERE slug IS NOT NULL;
