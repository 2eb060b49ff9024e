import type { Executor } from '#src/db/client.ts';
import { findAccount } from '#src/db/queries/directory/accounts.queries.ts';
import { listGroupNamesOfAccount } from '#src/db/queries/directory/groups.queries.ts';
import { findOrgMembership } from '#src/db/queries/directory/org-memberships.queries.ts';
import { findSiteUserOfAccount } from '#src/db/queries/directory/site-users.queries.ts';
import type { SiteRow } from '#src/db/queries/directory/sites.queries.ts';
import { findPeopleByPublicIds } from '#src/db/queries/servicedesk/people.queries.ts';
import { AppError } from '#src/shared/errors.ts';
import { CUSTOMER_ID_PATTERN } from '#src/shared/ids.ts';
import type { DeskTenant, UseCaseContext } from '../use-case.ts';
import { deskViewerOf } from './desk-viewer.ts';
import { type Person, toPerson } from './people.ts';
import { asSeenBy, canSeePerson, isViewer, seesSitePeople } from './person-visibility.ts';

/** A user as the Jira platform API shows it on a site, with its group names there. */
export interface SiteProfile {
  person: Person;
  groups: string[];
  locale: string;
}

/**
 * A user of the site by account id, as the caller may see them (`person-visibility.ts`): a portal-only customer
 * of THIS site (`accountType: customer`), or an account that is a member of the site's organization or has used
 * the site (`atlassian`). Agents see them all; a customer only themselves and the people of requests they can
 * see, without their email or groups. Anyone else — a customer of another site, a stranger — is not found.
 * @throws {AppError} `auth.unauthenticated`, `directory.user_not_found`
 */
export async function lookupSiteUser(
  ctx: UseCaseContext<DeskTenant>,
  accountId: string,
): Promise<SiteProfile> {
  const { actor } = ctx;
  const { db } = ctx.services;
  const viewer = await deskViewerOf(ctx);
  const { site } = viewer;
  // The caller's own id resolves as `/myself` does (its `self` link), even before they are known to the site.
  const isSelf = actor.type === 'account' && actor.accountId === accountId;
  const profile = await profileOf(db, site, accountId, isSelf);
  if (!(await canSeePerson(db, viewer, profile.person))) throw notFound(accountId);
  if (seesSitePeople(viewer) || isViewer(viewer, profile.person)) return profile;
  return { ...profile, person: asSeenBy(viewer, profile.person), groups: [] };
}

/**
 * The caller's own profile on the site.
 * @throws {AppError} `auth.unauthenticated`, `directory.user_not_found` (an org API key is no user)
 */
export async function lookupMyself(ctx: UseCaseContext<DeskTenant>): Promise<SiteProfile> {
  const { actor } = ctx;
  const { db } = ctx.services;
  const { site } = await deskViewerOf(ctx);
  if (actor.type === 'account') return profileOf(db, site, actor.accountId, true);
  if (actor.type === 'customer') return profileOf(db, site, actor.customerId);
  // An org API key (or the system) authenticates but is nobody: not allowed here, rather than a missing user.
  throw new AppError(
    'auth.forbidden',
    'An org API key is not a user: call /myself with a person’s API token.',
  );
}

function notFound(accountId: string): AppError {
  return new AppError('directory.user_not_found', `No user ${accountId} on this site.`);
}

async function profileOf(
  db: Executor,
  site: SiteRow,
  accountId: string,
  isSelf = false,
): Promise<SiteProfile> {
  if (CUSTOMER_ID_PATTERN.test(accountId)) {
    const [row] = await findPeopleByPublicIds(db, site.id, [accountId]);
    if (row?.kind !== 'customer') throw notFound(accountId);
    return { person: toPerson(row), groups: [], locale: 'en_US' };
  }
  const account = await findAccount(db, accountId);
  if (!account) throw notFound(accountId);
  const siteUser = await findSiteUserOfAccount(db, site.id, account.id);
  if (!isSelf && !siteUser && !(await findOrgMembership(db, site.orgId, account.id)))
    throw notFound(accountId);
  const groupNames = await listGroupNamesOfAccount(db, site.orgId, account.id);
  return {
    person: {
      siteUserId: siteUser?.id ?? '',
      accountId: account.id,
      accountType: 'atlassian',
      displayName: account.name,
      emailAddress: account.email,
      active: account.status === 'active',
      timeZone: account.timeZone,
    },
    groups: groupNames,
    locale: account.locale.replace('-', '_'),
  };
}
