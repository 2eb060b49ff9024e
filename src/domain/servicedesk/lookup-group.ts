import {
  countGroupMembers,
  findGroupByName,
  listGroupNamesOfAccount,
} from '#src/db/queries/directory/groups.queries.ts';
import { AppError } from '#src/shared/errors.ts';
import type { DeskTenant, UseCaseContext } from '../use-case.ts';
import { deskViewerOf } from './desk-viewer.ts';
import { seesSitePeople } from './person-visibility.ts';

/** A group of the site's organization as the Jira platform API shows it. */
export interface SiteGroup {
  id: string;
  name: string;
  memberCount: number;
}

/**
 * A group of the site's organization by name (case-insensitive), for the `self` links of the Jira user's groups:
 * the people who see those groups may read it — agents and admins of the site, and members of the group
 * (a person sees their own groups). Anyone else gets 404, like a missing group.
 * @throws {AppError} `auth.unauthenticated`, `directory.site_not_found`, `directory.group_not_found`
 */
export async function lookupSiteGroup(ctx: UseCaseContext<DeskTenant>, name: string): Promise<SiteGroup> {
  const { actor } = ctx;
  const { db } = ctx.services;
  const viewer = await deskViewerOf(ctx);
  const { site } = viewer;
  const group = await findGroupByName(db, site.orgId, name);
  const notFound = new AppError('directory.group_not_found', `No group named ${name}.`);
  if (!group) throw notFound;
  if (!seesSitePeople(viewer)) {
    const own =
      actor.type === 'account' ? await listGroupNamesOfAccount(db, site.orgId, actor.accountId) : [];
    if (!own.includes(group.name)) throw notFound;
  }
  return { id: group.id, name: group.name, memberCount: await countGroupMembers(db, site.orgId, group.id) };
}
