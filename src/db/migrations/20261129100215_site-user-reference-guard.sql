-- The write protocol for references to site users (docs/ARCHITECTURE.md, "Write protocol"): no row may be
-- committed pointing at a retired site user. Every column with a foreign key to site_users gets this BEFORE
-- INSERT/UPDATE trigger (src/db/site-user-guard.db.test.ts fails when one is missing). It reads the referenced
-- site user FOR SHARE, which conflicts with the FOR UPDATE a migration takes on the old site user before
-- re-pointing, and follows `replaced_by` to the account's site user once a migration has started.
CREATE OR REPLACE FUNCTION site_user_reference_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  col text;
  ref text;
  target record;
  hops integer;
  new_row jsonb;
  old_row jsonb;
  redirects jsonb := '{}'::jsonb;
BEGIN
  -- The migration's own re-pointing (it holds the old site user FOR UPDATE and writes the new one) skips the check.
  IF current_setting('gatehouse.repointing', true) = 'on' THEN
    RETURN NEW;
  END IF;
  new_row := to_jsonb(NEW);
  IF TG_OP = 'UPDATE' THEN
    old_row := to_jsonb(OLD);
  END IF;
  FOREACH col IN ARRAY TG_ARGV LOOP
    ref := new_row ->> col;
    -- An unchanged reference was already checked when it was written (a migration re-points it under its lock).
    CONTINUE WHEN ref IS NULL OR (old_row IS NOT NULL AND ref IS NOT DISTINCT FROM old_row ->> col);
    hops := 0;
    LOOP
      -- A locking read: it waits for a migration holding the row FOR UPDATE and then reads the latest version.
      SELECT u.status, u.replaced_by INTO target FROM site_users u WHERE u.id = ref FOR SHARE;
      -- Unknown ids are left to the foreign key's own error.
      EXIT WHEN NOT FOUND OR (target.replaced_by IS NULL AND target.status = 'active');
      IF target.replaced_by IS NULL OR hops >= 8 THEN
        RAISE EXCEPTION 'Site user % was migrated to an account; use the account instead.', ref
          USING ERRCODE = 'GU409', DETAIL = ref;
      END IF;
      ref := target.replaced_by;
      hops := hops + 1;
    END LOOP;
    IF hops > 0 THEN
      redirects := redirects || jsonb_build_object(col, ref);
    END IF;
  END LOOP;
  IF redirects <> '{}'::jsonb THEN
    NEW := jsonb_populate_record(NEW, redirects);
  END IF;
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER requests__site_user_guard BEFORE INSERT OR UPDATE OF reporter_id, raised_by_id, assignee_id
  ON requests FOR EACH ROW EXECUTE FUNCTION site_user_reference_guard('reporter_id', 'raised_by_id', 'assignee_id');
--> statement-breakpoint
CREATE TRIGGER request_comments__site_user_guard BEFORE INSERT OR UPDATE OF author_id
  ON request_comments FOR EACH ROW EXECUTE FUNCTION site_user_reference_guard('author_id');
--> statement-breakpoint
CREATE TRIGGER request_participants__site_user_guard BEFORE INSERT OR UPDATE OF site_user_id
  ON request_participants FOR EACH ROW EXECUTE FUNCTION site_user_reference_guard('site_user_id');
--> statement-breakpoint
CREATE TRIGGER request_approvers__site_user_guard BEFORE INSERT OR UPDATE OF site_user_id
  ON request_approvers FOR EACH ROW EXECUTE FUNCTION site_user_reference_guard('site_user_id');
--> statement-breakpoint
CREATE TRIGGER customer_organization_members__site_user_guard BEFORE INSERT OR UPDATE OF site_user_id
  ON customer_organization_members FOR EACH ROW EXECUTE FUNCTION site_user_reference_guard('site_user_id');
--> statement-breakpoint
CREATE TRIGGER service_desk_customers__site_user_guard BEFORE INSERT OR UPDATE OF site_user_id
  ON service_desk_customers FOR EACH ROW EXECUTE FUNCTION site_user_reference_guard('site_user_id');
--> statement-breakpoint
CREATE TRIGGER service_desk_agents__site_user_guard BEFORE INSERT OR UPDATE OF site_user_id
  ON service_desk_agents FOR EACH ROW EXECUTE FUNCTION site_user_reference_guard('site_user_id');
--> statement-breakpoint
-- Site users retired before this protocol existed: link them to the site user their mapping row names.
UPDATE site_users o SET replaced_by = n.id
  FROM customer_migrations m JOIN site_users n ON n.site_id = m.site_id AND n.user_key = m.new_user_key
  WHERE o.customer_id = m.customer_id AND o.status = 'retired' AND o.replaced_by IS NULL;
