import { bigint, index, integer, jsonb, pgTable, text, unique } from 'drizzle-orm/pg-core';
import { createdAt } from './columns.ts';

/**
 * The audit log, hash-chained per organization: `hash = sha256(prev_hash + canonical event)`.
 * `seq` is gap-free per org so a deleted row is detectable too. `org_id` is null for events of no tenant
 * (a failed login for an unknown email).
 */
export const auditEvents = pgTable(
  'audit_events',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
    orgId: text('org_id'),
    seq: integer('seq').notNull(),
    action: text('action').notNull(),
    actorType: text('actor_type', {
      enum: ['account', 'customer', 'api_key', 'system', 'anonymous'],
    }).notNull(),
    actorId: text('actor_id'),
    targetType: text('target_type'),
    targetId: text('target_id'),
    siteId: text('site_id'),
    ip: text('ip'),
    data: jsonb('data').$type<Record<string, unknown>>().notNull().default({}),
    createdAt: createdAt(),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
  },
  (t) => [
    unique('audit_events__org_id_seq').on(t.orgId, t.seq).nullsNotDistinct(),
    index('audit_events__org_id_created_at').on(t.orgId, t.createdAt),
    index('audit_events__target_id').on(t.targetId),
  ],
);
