-- The dashboard (`/`) shows the newest update of each listed partnership. Until now that walked the updates of
-- every activity of the partnership (one probe of updates_by_activity per activity: 1,003 probes for 10
-- partnerships of 100 activities, 3.3 ms of the page's ~9 ms). An update now carries its activity's partnership,
-- so the newest update of a partnership is one probe of updates_by_partnership.
--
-- The database fills the column from the activity on insert, so a server of the previous version, which does
-- not name it, keeps working beside this one during an upgrade (migrations first, then servers). An activity
-- never moves to another partnership, so the copy cannot go stale. The column stays nullable in the schema: the
-- trigger always fills it, and an update of a missing activity still fails on the foreign key as before.
ALTER TABLE activities.updates ADD COLUMN partnership_id uuid;

UPDATE activities.updates u SET partnership_id = a.partnership_id
FROM activities.activities a
WHERE a.tenant_id = u.tenant_id AND a.id = u.activity_id;

CREATE FUNCTION activities.fill_update_partnership() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    SELECT a.partnership_id INTO NEW.partnership_id
    FROM activities.activities a
    WHERE a.tenant_id = NEW.tenant_id AND a.id = NEW.activity_id;
    RETURN NEW;
END;
$$;

CREATE TRIGGER updates_fill_partnership BEFORE INSERT OR UPDATE OF activity_id ON activities.updates
FOR EACH ROW EXECUTE FUNCTION activities.fill_update_partnership();

CREATE INDEX updates_by_partnership ON activities.updates (tenant_id, partnership_id, posted_at DESC);
