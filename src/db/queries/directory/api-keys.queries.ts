import { and, eq, isNull, sql } from 'drizzle-orm';
import { builtOnce } from '../../built-once.ts';
import type { Executor } from '../../client.ts';
import { apiKeys } from '../../schema/index.ts';

export type ApiKeyRow = typeof apiKeys.$inferSelect;

export async function insertApiKey(db: Executor, row: typeof apiKeys.$inferInsert): Promise<ApiKeyRow> {
  const [created] = await db.insert(apiKeys).values(row).returning();
  return created!;
}

const liveApiKeyByHash = builtOnce((db) =>
  db
    .select()
    .from(apiKeys)
    .where(and(eq(apiKeys.tokenHash, sql.placeholder('tokenHash')), isNull(apiKeys.revokedAt)))
    .prepare('live_api_key_by_hash'),
);

/** A live (not revoked) key by the hash of its secret. */
export async function findLiveApiKeyByHash(db: Executor, tokenHash: string): Promise<ApiKeyRow | undefined> {
  const [row] = await liveApiKeyByHash(db).execute({ tokenHash });
  return row;
}

export async function listApiKeys(db: Executor, orgId: string): Promise<ApiKeyRow[]> {
  return db.select().from(apiKeys).where(eq(apiKeys.orgId, orgId));
}

export async function touchApiKey(db: Executor, id: string, at: Date): Promise<void> {
  await db.update(apiKeys).set({ lastUsedAt: at }).where(eq(apiKeys.id, id));
}

export async function revokeApiKey(db: Executor, orgId: string, id: string, at: Date): Promise<boolean> {
  const rows = await db
    .update(apiKeys)
    .set({ revokedAt: at })
    .where(and(eq(apiKeys.orgId, orgId), eq(apiKeys.id, id), isNull(apiKeys.revokedAt)))
    .returning({ id: apiKeys.id });
  return rows.length > 0;
}
