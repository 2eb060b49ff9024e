-- Row-level security, the second line of tenancy (docs/ARCHITECTURE.md, "Tenancy").
-- The application switches to `gatehouse_app` after migrating (src/db/app-role.ts): not a superuser, not the
-- owner of any table, no BYPASSRLS, so the policies below apply to every query it runs.
-- A role is cluster-wide (several databases share it): create it only when missing.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'gatehouse_app') THEN
    CREATE ROLE gatehouse_app NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS NOINHERIT;
  END IF;
  -- A login user that is not a superuser (a managed database's owner) may only SET ROLE to a role it is a member of.
  IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user)
     AND NOT pg_has_role(current_user, 'gatehouse_app', 'MEMBER') THEN
    EXECUTE format('GRANT gatehouse_app TO %I', current_user);
  END IF;
END
$$;
--> statement-breakpoint
GRANT USAGE ON SCHEMA public TO gatehouse_app;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO gatehouse_app;
--> statement-breakpoint
GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO gatehouse_app;
--> statement-breakpoint
-- Tables and sequences of later migrations (created by the same migrating user) get the same grants.
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO gatehouse_app;
--> statement-breakpoint
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO gatehouse_app;
--> statement-breakpoint
-- The migration report reads which migrations ran.
GRANT USAGE ON SCHEMA drizzle TO gatehouse_app;
--> statement-breakpoint
GRANT SELECT ON ALL TABLES IN SCHEMA drizzle TO gatehouse_app;
--> statement-breakpoint
-- Enables and forces RLS with the tenant policy on every public table that has an `org_id` column. Idempotent, so a
-- later migration that adds such a table ends with `SELECT gatehouse_enable_tenant_rls();` (a test fails otherwise).
-- A row is visible and writable when its org is the transaction's tenant (`app.org_id`), or when the app runs as
-- system (`app.bypass_rls = 'on'`: boot, workers, sign-in by email, the CLI). Nothing set: no row (deny).
CREATE OR REPLACE FUNCTION gatehouse_enable_tenant_rls() RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  t text;
BEGIN
  FOR t IN
    SELECT c.table_name FROM information_schema.columns c
    JOIN information_schema.tables tb ON tb.table_schema = c.table_schema AND tb.table_name = c.table_name
    WHERE c.table_schema = 'public' AND c.column_name = 'org_id' AND tb.table_type = 'BASE TABLE'
  LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('DROP POLICY IF EXISTS tenant_isolation ON %I', t);
    EXECUTE format(
      'CREATE POLICY tenant_isolation ON %I AS PERMISSIVE FOR ALL TO PUBLIC '
      'USING (current_setting(''app.bypass_rls'', true) = ''on'' OR org_id = current_setting(''app.org_id'', true)) '
      'WITH CHECK (current_setting(''app.bypass_rls'', true) = ''on'' OR org_id = current_setting(''app.org_id'', true))',
      t
    );
  END LOOP;
END
$$;
--> statement-breakpoint
SELECT gatehouse_enable_tenant_rls();
