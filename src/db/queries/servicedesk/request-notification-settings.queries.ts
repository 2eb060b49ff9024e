import { and, eq } from 'drizzle-orm';
import type { Executor } from '../../client.ts';
import { requestNotificationSettings } from '../../schema/index.ts';

/** The person's explicit choice for the request, or undefined when they never made one. */
export async function findNotificationSetting(
  db: Executor,
  requestId: number,
  siteUserId: string,
): Promise<boolean | undefined> {
  const [row] = await db
    .select({ subscribed: requestNotificationSettings.subscribed })
    .from(requestNotificationSettings)
    .where(
      and(
        eq(requestNotificationSettings.requestId, requestId),
        eq(requestNotificationSettings.siteUserId, siteUserId),
      ),
    );
  return row?.subscribed;
}

export async function saveNotificationSetting(
  db: Executor,
  row: { orgId: string; requestId: number; siteUserId: string; subscribed: boolean },
): Promise<void> {
  await db
    .insert(requestNotificationSettings)
    .values(row)
    .onConflictDoUpdate({
      target: [requestNotificationSettings.requestId, requestNotificationSettings.siteUserId],
      set: { subscribed: row.subscribed },
    });
}
