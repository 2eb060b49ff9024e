import type { Executor } from '../../client.ts';
import { requestOrganizations } from '../../schema/index.ts';

export async function insertRequestOrganizations(
  db: Executor,
  orgId: string,
  requestId: number,
  customerOrganizationIds: number[],
): Promise<void> {
  if (customerOrganizationIds.length === 0) return;
  await db
    .insert(requestOrganizations)
    .values(
      customerOrganizationIds.map((customerOrganizationId) => ({ orgId, requestId, customerOrganizationId })),
    )
    .onConflictDoNothing();
}
