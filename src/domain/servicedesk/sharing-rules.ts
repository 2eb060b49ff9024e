import type { Executor } from '#src/db/client.ts';
import {
  findCustomerOrganization,
  findMemberships,
  listCustomerOrganizations,
  shareAnOrganization,
} from '#src/db/queries/servicedesk/customer-organizations.queries.ts';
import { isDeskCustomer, type ServiceDeskRow } from '#src/db/queries/servicedesk/service-desks.queries.ts';
import { AppError } from '#src/shared/errors.ts';
import type { DeskViewer } from './desk-viewer.ts';
import type { Person } from './people.ts';

/**
 * Checks that a customer may share a request with these people under the desk's customer-sharing setting:
 * `none` → nobody; `organization` → people in one of the customer's organizations; `any_customer` → any
 * customer of the desk. Agents may add anyone on the site.
 * @throws {AppError} `servicedesk.sharing_not_allowed`
 */
export async function assertMayShareWith(
  db: Executor,
  viewer: DeskViewer,
  desk: ServiceDeskRow,
  sharerSiteUserId: string,
  people: Person[],
): Promise<void> {
  if (viewer.role === 'agent' || people.length === 0) return;
  if (desk.sharing === 'none') {
    throw new AppError(
      'servicedesk.sharing_not_allowed',
      'This service desk does not let customers share requests.',
    );
  }
  for (const person of people) {
    if (person.siteUserId === sharerSiteUserId) continue;
    const allowed =
      desk.sharing === 'organization'
        ? await shareAnOrganization(db, sharerSiteUserId, person.siteUserId)
        : await isDeskCustomer(db, desk.id, person.siteUserId);
    if (!allowed) {
      throw new AppError(
        'servicedesk.sharing_not_allowed',
        desk.sharing === 'organization'
          ? `You can only share requests with people in your organizations (${person.accountId} is not).`
          : `You can only share requests with customers of this service desk (${person.accountId} is not).`,
        { data: { accountId: person.accountId } },
      );
    }
  }
}

/**
 * Checks the customer organizations a request is to be shared with: each must be of this site and attached to
 * the desk, and a customer must belong to it.
 * @throws {AppError} `servicedesk.organization_not_found`, `servicedesk.sharing_not_allowed`
 */
export async function assertMayShareWithOrganizations(
  db: Executor,
  viewer: DeskViewer,
  desk: ServiceDeskRow,
  sharerSiteUserId: string,
  organizationIds: number[],
): Promise<void> {
  if (organizationIds.length === 0) return;
  const attached = new Set(
    (
      await listCustomerOrganizations(db, viewer.site.id, { serviceDeskId: desk.id, start: 0, limit: 10_000 })
    ).map((o) => o.id),
  );
  const mine =
    viewer.role === 'customer'
      ? new Set(await findMemberships(db, sharerSiteUserId, organizationIds))
      : undefined;
  for (const id of organizationIds) {
    if (!(await findCustomerOrganization(db, viewer.site.id, id))) {
      throw new AppError('servicedesk.organization_not_found', `No organization ${id}.`);
    }
    if (!attached.has(id) || (mine && !mine.has(id))) {
      throw new AppError(
        'servicedesk.sharing_not_allowed',
        `The request cannot be shared with organization ${id}: it is not one of yours on this service desk.`,
        { data: { organizationId: id } },
      );
    }
  }
  if (viewer.role === 'customer' && desk.sharing === 'none') {
    throw new AppError(
      'servicedesk.sharing_not_allowed',
      'This service desk does not let customers share requests.',
    );
  }
}
