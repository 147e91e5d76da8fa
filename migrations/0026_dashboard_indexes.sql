-- The dashboard (`/`) asks, for the signed-in person: when they last used stedenband before this session (the
-- last use of their other sessions), and what changed in their partnerships since then (activities recorded
-- or changed, updates posted, partnerships changed, members added), newest first. Each source reads the
-- newest rows after a moment, so each gets an index in that order; the latest update of a partnership walks
-- the updates of its activities through updates_by_activity (0006).
CREATE INDEX sessions_by_user ON platform.sessions (tenant_id, user_id, last_seen_at);
CREATE INDEX activities_by_updated ON activities.activities (tenant_id, updated_at);
CREATE INDEX updates_by_posted ON activities.updates (tenant_id, posted_at);
CREATE INDEX partnerships_by_updated ON partnerships.partnerships (tenant_id, updated_at);
CREATE INDEX members_by_added ON partnerships.members (tenant_id, added_at);
