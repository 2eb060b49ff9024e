import { integer, pgTable, text } from 'drizzle-orm/pg-core';

/**
 * The newest link of each audit chain (`chain` = the org id, `-` for events of no tenant). Appending an event
 * updates its chain's head in the same statement that inserts the event, so writers of one chain serialize on
 * this row's lock for the rest of one statement and its commit only (no lock, read and insert round trips), and
 * the chain verify can tell a deleted last row from an intact chain.
 */
export const auditChainHeads = pgTable('audit_chain_heads', {
  chain: text('chain').primaryKey(),
  seq: integer('seq').notNull(),
  prevHash: text('prev_hash').notNull(),
  hash: text('hash').notNull(),
});
