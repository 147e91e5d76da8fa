-- 0029 gave activities.updates a partnership_id and meant to fill it for the updates that already existed,
-- but its UPDATE ran as the owner with no municipality in scope: the activities' and updates' row-level
-- security is forced even for the owner, so it saw no rows and filled nothing. On a database that had updates
-- before 0029, the dashboard then never showed those updates as a partnership's latest. This fills them, one
-- municipality at a time inside its own scope, as 0013 does; new updates get it from 0029's trigger.
DO $$
DECLARE
    tenant uuid;
BEGIN
    FOR tenant IN SELECT id FROM platform.tenants LOOP
        PERFORM set_config('app.tenant_id', tenant::text, true);
        UPDATE activities.updates u SET partnership_id = a.partnership_id
        FROM activities.activities a
        WHERE u.tenant_id = tenant AND u.partnership_id IS NULL
          AND a.tenant_id = u.tenant_id AND a.id = u.activity_id;
    END LOOP;
    PERFORM set_config('app.tenant_id', '', true);
END
$$;
