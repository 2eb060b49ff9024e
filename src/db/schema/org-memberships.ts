import { pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { accounts } from './accounts.ts';
import { createdAt, updatedAt } from './columns.ts';
import { organizations } from './organizations.ts';

/** An account reaches an organization only through a membership; suspended keeps groups and roles. */
export const orgMemberships = pgTable(
  'org_memberships',
  {
    orgId: text('org_id')
      .notNull()
      .references(() => organizations.id),
    accountId: text('account_id')
      .notNull()
      .references(() => accounts.id),
    status: text('status', { enum: ['active', 'suspended'] })
      .notNull()
      .default('active'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ name: 'org_memberships__pk', columns: [t.orgId, t.accountId] })],
);
