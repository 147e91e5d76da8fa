-- Tokens people can manage: an expiry by default, a limit of live tokens per user, and when each was last used.

-- How many days a new token of the municipality lives when its request names no expiry (`expiresIn` or
-- `expiresAt`); NULL: such tokens do not expire. Every municipality, existing ones included, starts at 365
-- days: a forgotten script's token then dies within a year. Tokens issued before this migration keep their
-- expiry (none). Set with `stedenband tenant set SLUG --token-expiry-days N|never`.
ALTER TABLE platform.tenants
    ADD COLUMN token_expiry_days integer DEFAULT 365 CHECK (token_expiry_days BETWEEN 1 AND 3650);

-- The instant a token last authenticated a request, to within a minute: the server keeps it in memory and
-- writes it in batches through platform.touch_tokens, so a read-only request writes nothing.
ALTER TABLE platform.tokens ADD COLUMN last_used_at timestamptz;
GRANT SELECT (last_used_at) ON platform.tokens TO stedenband_app;

-- Listing a user's live tokens and counting them for the limit.
CREATE INDEX tokens_live_by_user ON platform.tokens (tenant_id, user_id, created_at) WHERE revoked_at IS NULL;

-- At most 20 live (unrevoked, unexpired) tokens per user. The check locks the user's row first (FOR NO KEY
-- UPDATE: it queues token inserts for the same user, and still lets foreign keys to the user be checked),
-- then counts in a statement of its own, which at READ COMMITTED sees the tokens that a concurrent insert for
-- the same user committed while this one waited: two concurrent 20th tokens cannot both pass. It runs as the
-- inserter (the app role sees its tenant's tokens, which are the user's; the CLI's login role sees all), so
-- row-level security on platform.tokens, forced or not, leaves the count intact.
CREATE FUNCTION platform.limit_live_tokens()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    live integer;
BEGIN
    IF NEW.user_id IS NULL THEN
        RETURN NEW;
    END IF;
    PERFORM 1 FROM platform.users u WHERE u.tenant_id = NEW.tenant_id AND u.id = NEW.user_id FOR NO KEY UPDATE;
    SELECT count(*) INTO live FROM platform.tokens t
    WHERE t.tenant_id = NEW.tenant_id AND t.user_id = NEW.user_id
      AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > now());
    IF live >= 20 THEN
        RAISE EXCEPTION 'a user has at most 20 live tokens'
            USING ERRCODE = 'check_violation', CONSTRAINT = 'tokens_live_limit',
                  HINT = 'revoke one of the user''s tokens first';
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER tokens_live_limit BEFORE INSERT ON platform.tokens
    FOR EACH ROW EXECUTE FUNCTION platform.limit_live_tokens();

-- Writes the last-used instants the server gathered (`seen[i]` for `ids[i]`), for tokens of any municipality
-- (a batch names tokens of several), so it runs as the owner. It only ever moves an instant forward, so two
-- server processes flushing the same token in either order agree. Revoked tokens are left alone. The app
-- role may call it: at worst it marks a token as used, which grants nothing.
CREATE FUNCTION platform.touch_tokens(ids uuid[], seen timestamptz[])
RETURNS integer
LANGUAGE sql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
    WITH batch AS (
        SELECT b.id, max(b.at) AS at FROM unnest(ids, seen) AS b(id, at) GROUP BY b.id
    ), touched AS (
        UPDATE platform.tokens t SET last_used_at = batch.at
        FROM batch
        WHERE t.id = batch.id AND t.revoked_at IS NULL AND (t.last_used_at IS NULL OR t.last_used_at < batch.at)
        RETURNING 1
    )
    SELECT count(*)::integer FROM touched
$$;

REVOKE ALL ON FUNCTION platform.touch_tokens(uuid[], timestamptz[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION platform.touch_tokens(uuid[], timestamptz[]) TO stedenband_app;
