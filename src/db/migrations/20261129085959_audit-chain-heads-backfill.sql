-- Every existing audit chain gets its head: the newest event of each org (and of the no-tenant chain, '-').
INSERT INTO "audit_chain_heads" ("chain", "seq", "prev_hash", "hash")
SELECT DISTINCT ON (coalesce("org_id", '-')) coalesce("org_id", '-'), "seq", "prev_hash", "hash"
FROM "audit_events"
ORDER BY coalesce("org_id", '-'), "seq" DESC;
