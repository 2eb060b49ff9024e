import { pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { at, createdAt } from './columns.ts';
import { organizations } from './organizations.ts';

/** Org API keys for the admin API (Bearer). Only the SHA-256 of the key is stored. */
export const apiKeys = pgTable(
  'api_keys',
  {
    id: text('id').primaryKey(),
    orgId: text('org_id')
      .notNull()
      .references(() => organizations.id),
    name: text('name').notNull(),
    tokenHash: text('token_hash').notNull(),
    /** Account that created the key; null when created offline by the CLI. */
    createdBy: text('created_by'),
    createdAt: createdAt(),
    lastUsedAt: at('last_used_at'),
    expiresAt: at('expires_at'),
    revokedAt: at('revoked_at'),
  },
  (t) => [uniqueIndex('api_keys__token_hash').on(t.tokenHash)],
);
