import type { Executor } from '#src/db/client.ts';
import { findAccount } from '#src/db/queries/directory/accounts.queries.ts';
import type { SiteRow } from '#src/db/queries/directory/sites.queries.ts';
import {
  findPeople,
  findPeopleByPublicIds,
  type PersonRow,
} from '#src/db/queries/servicedesk/people.queries.ts';
import type { CustomerStatus } from '#src/db/schema/index.ts';
import { AppError } from '#src/shared/errors.ts';
import { ACCOUNT_ID_PATTERN } from '#src/shared/ids.ts';
import { customerDisplayName } from '../customers/customer-display.ts';
import { ensureAccountSiteUser } from '../directory/site-users.ts';
import type { DeskViewer } from './desk-viewer.ts';
import type { Person } from './person.ts';
import { asSeenBy } from './person-visibility.ts';

export type { Person } from './person.ts';

/** A portal-only customer as a person (display rules come from `customer-display.ts`). */
export function customerPerson(
  customer: {
    id: string;
    displayName: string;
    email: string | null;
    status: CustomerStatus;
    timeZone: string;
  },
  siteUserId = '',
): Person {
  return {
    siteUserId,
    accountId: customer.id,
    accountType: 'customer',
    displayName: customerDisplayName(customer),
    emailAddress: customer.status === 'deleted' ? null : customer.email,
    active: customer.status === 'active',
    timeZone: customer.timeZone,
  };
}

/** Renders a person row. */
export function toPerson(row: PersonRow): Person {
  if (row.kind === 'customer') {
    return customerPerson(
      {
        id: row.customerId ?? 'unknown',
        displayName: row.customerName ?? '',
        email: row.customerEmail,
        status: row.customerStatus ?? 'deleted',
        timeZone: row.customerTimeZone ?? 'UTC',
      },
      row.siteUserId,
    );
  }
  return {
    siteUserId: row.siteUserId,
    accountId: row.accountId ?? 'unknown',
    accountType: 'atlassian',
    displayName: row.accountName ?? 'Former user',
    emailAddress: row.accountEmail,
    active: row.accountStatus === 'active' && row.siteUserStatus === 'active',
    timeZone: row.accountTimeZone ?? 'UTC',
  };
}

/**
 * People of the viewer's site by site user id, as a map (for presenting many requests or comments at once),
 * each as the viewer may see them (`person-visibility.ts`: no other person's email for customers).
 */
export async function loadPeople(
  db: Executor,
  viewer: DeskViewer,
  siteUserIds: Array<string | null>,
): Promise<Map<string, Person>> {
  const ids = siteUserIds.filter((id): id is string => id !== null);
  const rows = await findPeople(db, viewer.site.id, ids);
  return new Map(rows.map((row) => [row.siteUserId, asSeenBy(viewer, toPerson(row))]));
}

/**
 * The site users behind public ids on a site: active portal-only customers of the site (`qm:` ids) and active
 * accounts (which get a site user here on first use when `create` is set). Unknown ids come back in `missing`.
 * @throws {AppError} `migration.person_migrated` (409, data.accountId) for a customer migrated to an account
 */
export async function resolvePeople(
  tx: Executor,
  site: SiteRow,
  publicIds: string[],
  options: { create: boolean },
): Promise<{ people: Person[]; missing: string[] }> {
  const unique = [...new Set(publicIds)];
  const rows = await findPeopleByPublicIds(tx, site.id, unique);
  const found = new Map<string, Person>();
  for (const row of rows) {
    const person = toPerson(row);
    if (row.kind === 'customer' && row.customerStatus === 'migrated') {
      throw new AppError(
        'migration.person_migrated',
        `${row.customerId} was migrated to the account ${row.customerMigratedTo}; use that account id.`,
        { data: { customerId: row.customerId, accountId: row.customerMigratedTo } },
      );
    }
    // A customer being migrated still resolves: the site-user guard trigger redirects the write to the account.
    if (row.kind === 'customer' && row.customerStatus !== 'active' && row.customerStatus !== 'migrating')
      continue;
    if (row.kind === 'account' && row.accountStatus !== 'active') continue;
    found.set(person.accountId, person);
  }
  const missing: string[] = [];
  for (const id of unique) {
    if (found.has(id)) continue;
    if (options.create && ACCOUNT_ID_PATTERN.test(id)) {
      const account = await findAccount(tx, id);
      if (account && account.status === 'active') {
        const siteUser = await ensureAccountSiteUser(tx, {
          orgId: site.orgId,
          siteId: site.id,
          accountId: id,
        });
        found.set(id, {
          siteUserId: siteUser.id,
          accountId: id,
          accountType: 'atlassian',
          displayName: account.name,
          emailAddress: account.email,
          active: true,
          timeZone: account.timeZone,
        });
        continue;
      }
    }
    missing.push(id);
  }
  return { people: unique.flatMap((id) => (found.has(id) ? [found.get(id)!] : [])), missing };
}

/**
 * Like `resolvePeople`, but every id must resolve: nothing is returned (and so nothing written) otherwise.
 * @throws {AppError} `servicedesk.customer_not_found` listing the unknown ids
 */
export async function resolveAllPeople(
  tx: Executor,
  site: SiteRow,
  publicIds: string[],
  options: { create: boolean },
): Promise<Person[]> {
  const { people, missing } = await resolvePeople(tx, site, publicIds, options);
  if (missing.length > 0) {
    throw new AppError(
      'servicedesk.customer_not_found',
      `These users do not exist on this site: ${missing.join(', ')}.`,
      {
        data: { missing },
      },
    );
  }
  return people;
}
