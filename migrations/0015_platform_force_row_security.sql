-- Row-level security forced on the last tenant tables whose owner was exempt: API tokens, unsubscribe tokens
-- and digest settings (webhook secrets among them).
--
-- The app role was already bound by their tenant policies; "enabled, not forced" exempted the owner, so that
-- the owner-run functions platform.authenticate(), notifications.find_unsubscribe_token() and
-- notifications.due_tenants() could look across tenants. Forced, a function the owner runs is bound too,
-- and reads across tenants only through the policies below, which name the owner and nobody else. The app
-- role is not a member of the owner (the server's login is a member of stedenband_app only), so for it
-- nothing changes: its tenant's rows, and for tokens never a hash (column grants, unchanged).
--
-- Tokens get a policy for every command: a function that looks a token up by its hash, before any tenant is
-- known, may also have to mark it (when it was last used) or revoke it, platform administrators' tokens
-- (which have no tenant) included. Unsubscribe tokens and settings are only read across tenants.

ALTER TABLE platform.tokens FORCE ROW LEVEL SECURITY;
CREATE POLICY owner_functions ON platform.tokens TO stedenband_owner USING (true) WITH CHECK (true);

ALTER TABLE notifications.unsubscribe_tokens FORCE ROW LEVEL SECURITY;
CREATE POLICY owner_functions ON notifications.unsubscribe_tokens FOR SELECT TO stedenband_owner USING (true);

ALTER TABLE notifications.settings FORCE ROW LEVEL SECURITY;
CREATE POLICY owner_functions ON notifications.settings FOR SELECT TO stedenband_owner USING (true);
