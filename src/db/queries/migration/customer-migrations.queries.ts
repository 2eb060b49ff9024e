import { and, asc, eq, sql } from 'drizzle-orm';
import type { Executor } from '../../client.ts';
import { customerMigrations } from '../../schema/index.ts';

export type CustomerMigrationRow = typeof customerMigrations.$inferSelect;

export async function findCustomerMigration(db: Executor, siteId: string, customerId: string) {
  const [row] = await db
    .select()
    .from(customerMigrations)
    .where(and(eq(customerMigrations.siteId, siteId), eq(customerMigrations.customerId, customerId)));
  return row;
}

export async function findCustomerMigrationsByEmail(db: Executor, siteId: string, email: string) {
  return db
    .select()
    .from(customerMigrations)
    .where(
      and(eq(customerMigrations.siteId, siteId), sql`lower(${customerMigrations.email}) = lower(${email})`),
    )
    .orderBy(asc(customerMigrations.migratedAt));
}
