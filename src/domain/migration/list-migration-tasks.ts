import {
  countSiteTasks,
  listSiteTasks,
  type TaskSort,
} from '#src/db/queries/migration/migration-tasks.queries.ts';
import { assertCan } from '../policies/can.ts';
import type { UseCaseContext } from '../use-case.ts';

/**
 * A page of the site's migration tasks (each with its migrated and failed counts) and how many there are in all,
 * for those who may migrate its customers.
 * @throws {AppError} `auth.unauthenticated`, `directory.org_not_found`, `auth.forbidden`
 */
export async function listMigrationTasks(
  ctx: UseCaseContext<{ orgId: string; siteId: string }>,
  page: { sort: TaskSort; descending: boolean; offset: number; limit: number },
) {
  const { db } = ctx.services;
  await assertCan(db, ctx.actor, 'customers.migrate', ctx.tenant);
  const [tasks, total] = await Promise.all([
    listSiteTasks(db, ctx.tenant.siteId, page),
    countSiteTasks(db, ctx.tenant.siteId),
  ]);
  return { tasks, total };
}
