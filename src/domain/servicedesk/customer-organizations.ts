import type { Executor } from '#src/db/client.ts';
import type { SiteRow } from '#src/db/queries/directory/sites.queries.ts';
import {
  type CustomerOrganizationRow,
  deleteOrganizationMembers,
  deleteCustomerOrganization as deleteOrganizationRow,
  findCustomerOrganization,
  findCustomerOrganizationByName,
  insertCustomerOrganization,
  insertOrganizationMembers,
  listOrganizationMemberIds,
  listCustomerOrganizations as listOrganizationRows,
  renameCustomerOrganization as renameOrganizationRow,
} from '#src/db/queries/servicedesk/customer-organizations.queries.ts';
import {
  attachDeskOrganization,
  detachDeskOrganization,
} from '#src/db/queries/servicedesk/service-desks.queries.ts';
import { AppError } from '#src/shared/errors.ts';
import { recordEvent } from '../audit/record-event.ts';
import type { DeskTenant, UseCaseContext } from '../use-case.ts';
import { assertAgent, type DeskViewer, deskViewerOf } from './desk-viewer.ts';
import { getServiceDeskFor } from './get-service-desk.ts';
import { loadPeople, type Person, resolveAllPeople, resolvePeople } from './people.ts';
import { recordPeopleChange } from './record-people-change.ts';

/**
 * @fileoverview Customer organizations (JSM groups of customers, not the tenant): agents of the site create,
 * rename and delete them, manage members and attach them to service desks. Each write is one short
 * transaction with its audit event.
 */

async function agentViewer(ctx: UseCaseContext<DeskTenant>, db: Executor): Promise<DeskViewer> {
  const viewer = await deskViewerOf(ctx, db);
  assertAgent(viewer);
  return viewer;
}

/** @throws {AppError} `servicedesk.organization_not_found` */
async function getOrganization(db: Executor, site: SiteRow, id: number): Promise<CustomerOrganizationRow> {
  const row = await findCustomerOrganization(db, site.id, id);
  if (!row) throw new AppError('servicedesk.organization_not_found', `No organization ${id}.`);
  return row;
}

function assertName(name: string): string {
  const trimmed = name.trim();
  if (trimmed.length < 1 || trimmed.length > 200) {
    throw new AppError('request.invalid_input', 'An organization name has 1 to 200 characters.', {
      details: [{ path: 'name', message: '1–200 characters' }],
    });
  }
  return trimmed;
}

/**
 * Creates a customer organization; names are unique per site (case-insensitive).
 * @throws {AppError} `auth.forbidden`, `request.invalid_input`, `servicedesk.organization_name_in_use`
 */
export async function createCustomerOrganization(
  ctx: UseCaseContext<DeskTenant>,
  input: { name: string },
  tx?: Executor,
): Promise<CustomerOrganizationRow> {
  const { services, actor } = ctx;
  const name = assertName(input.name);
  const run = async (db: Executor) => {
    const { site } = await agentViewer(ctx, db);
    if (await findCustomerOrganizationByName(db, site.id, name)) {
      throw new AppError(
        'servicedesk.organization_name_in_use',
        `An organization named "${name}" already exists.`,
      );
    }
    const row = await insertCustomerOrganization(db, { orgId: site.orgId, siteId: site.id, name });
    await recordEvent(db, services.clock, {
      orgId: site.orgId,
      action: 'servicedesk.organization_created',
      actor,
      target: { type: 'customer_organization', id: String(row.id) },
      siteId: site.id,
      data: { name },
    });
    return row;
  };
  return tx ? run(tx) : services.db.transaction(run);
}

/**
 * @throws {AppError} `auth.forbidden`, `servicedesk.organization_not_found`, `request.invalid_input`,
 * `servicedesk.organization_name_in_use`
 */
export async function renameCustomerOrganization(
  ctx: UseCaseContext<DeskTenant>,
  input: { organizationId: number; name: string },
): Promise<CustomerOrganizationRow> {
  const { services, actor } = ctx;
  const name = assertName(input.name);
  return services.db.transaction(async (tx) => {
    const { site } = await agentViewer(ctx, tx);
    const row = await getOrganization(tx, site, input.organizationId);
    const other = await findCustomerOrganizationByName(tx, site.id, name);
    if (other && other.id !== row.id) {
      throw new AppError(
        'servicedesk.organization_name_in_use',
        `An organization named "${name}" already exists.`,
      );
    }
    const renamed = await renameOrganizationRow(tx, row.id, name);
    await recordEvent(tx, services.clock, {
      orgId: site.orgId,
      action: 'servicedesk.organization_renamed',
      actor,
      target: { type: 'customer_organization', id: String(row.id) },
      siteId: site.id,
      data: { from: row.name, to: name },
    });
    return renamed;
  });
}

/**
 * Deletes an organization (memberships and desk links go with it; requests shared with it stop being shared).
 * @throws {AppError} `auth.forbidden`, `servicedesk.organization_not_found`
 */
export async function deleteCustomerOrganization(
  ctx: UseCaseContext<DeskTenant>,
  organizationId: number,
): Promise<void> {
  const { services, actor } = ctx;
  await services.db.transaction(async (tx) => {
    const { site } = await agentViewer(ctx, tx);
    const row = await getOrganization(tx, site, organizationId);
    await deleteOrganizationRow(tx, row.id);
    await recordEvent(tx, services.clock, {
      orgId: site.orgId,
      action: 'servicedesk.organization_deleted',
      actor,
      target: { type: 'customer_organization', id: String(row.id) },
      siteId: site.id,
      data: { name: row.name },
    });
  });
}

/** @throws {AppError} `auth.forbidden`, `servicedesk.organization_not_found` */
export async function getCustomerOrganization(
  ctx: UseCaseContext<DeskTenant>,
  organizationId: number,
): Promise<CustomerOrganizationRow> {
  const { services } = ctx;
  const { site } = await agentViewer(ctx, services.db);
  return getOrganization(services.db, site, organizationId);
}

/**
 * Organizations of the site (`limit + 1`), optionally of one member (`accountId`) or attached to one desk.
 * Agents see all; a customer sees the organizations they belong to.
 */
export async function listCustomerOrganizations(
  ctx: UseCaseContext<DeskTenant>,
  input: { accountId?: string; serviceDeskId?: string | number; start: number; limit: number },
): Promise<CustomerOrganizationRow[]> {
  const { services } = ctx;
  const viewer = await deskViewerOf(ctx);
  const { site } = viewer;
  // The desk first: a desk that does not exist (or the caller cannot see) is 404 even for a customer with none.
  const serviceDeskId =
    input.serviceDeskId === undefined
      ? undefined
      : (await getServiceDeskFor(services, viewer, input.serviceDeskId)).id;
  let memberSiteUserId: string | undefined;
  if (viewer.role === 'customer') {
    if (!viewer.siteUserId) return [];
    memberSiteUserId = viewer.siteUserId;
  } else if (input.accountId !== undefined) {
    const { people } = await resolvePeople(services.db, site, [input.accountId], { create: false });
    if (!people[0]) return [];
    memberSiteUserId = people[0].siteUserId;
  }
  return listOrganizationRows(services.db, site.id, {
    memberSiteUserId,
    serviceDeskId,
    start: input.start,
    limit: input.limit + 1,
  });
}

/** Members of an organization (`limit + 1`). @throws {AppError} `auth.forbidden`, `servicedesk.organization_not_found` */
export async function listOrganizationMembers(
  ctx: UseCaseContext<DeskTenant>,
  input: { organizationId: number; start: number; limit: number },
): Promise<Person[]> {
  const { services } = ctx;
  const viewer = await agentViewer(ctx, services.db);
  const { site } = viewer;
  const row = await getOrganization(services.db, site, input.organizationId);
  const ids = await listOrganizationMemberIds(services.db, row.id, {
    start: input.start,
    limit: input.limit + 1,
  });
  const people = await loadPeople(services.db, viewer, ids);
  return ids.flatMap((id) => (people.has(id) ? [people.get(id)!] : []));
}

/**
 * Adds members (portal-only customers or account holders). All ids must exist on the site; nothing is written
 * otherwise. Existing members are fine.
 * @throws {AppError} `auth.forbidden`, `servicedesk.organization_not_found`, `servicedesk.customer_not_found`
 */
export async function addOrganizationMembers(
  ctx: UseCaseContext<DeskTenant>,
  input: { organizationId: number; accountIds: string[] },
  tx?: Executor,
): Promise<void> {
  const { services } = ctx;
  const run = async (db: Executor) => {
    const { site } = await agentViewer(ctx, db);
    const row = await getOrganization(db, site, input.organizationId);
    const people = await resolveAllPeople(db, site, input.accountIds, { create: true });
    await insertOrganizationMembers(
      db,
      site.orgId,
      row.id,
      people.map((p) => p.siteUserId),
    );
    await recordPeopleChange(db, ctx, site, {
      action: 'servicedesk.organization_members_added',
      target: { type: 'customer_organization', id: String(row.id) },
      people: people,
    });
  };
  await (tx ? run(tx) : services.db.transaction(run));
}

/** @throws {AppError} `auth.forbidden`, `servicedesk.organization_not_found`, `servicedesk.customer_not_found` */
export async function removeOrganizationMembers(
  ctx: UseCaseContext<DeskTenant>,
  input: { organizationId: number; accountIds: string[] },
): Promise<void> {
  const { services } = ctx;
  await services.db.transaction(async (tx) => {
    const { site } = await agentViewer(ctx, tx);
    const row = await getOrganization(tx, site, input.organizationId);
    const people = await resolveAllPeople(tx, site, input.accountIds, { create: false });
    await deleteOrganizationMembers(
      tx,
      row.id,
      people.map((p) => p.siteUserId),
    );
    await recordPeopleChange(tx, ctx, site, {
      action: 'servicedesk.organization_members_removed',
      target: { type: 'customer_organization', id: String(row.id) },
      people: people,
    });
  });
}

/**
 * Attaches an organization to a desk (its members become customers of the desk) or detaches it.
 * @throws {AppError} `auth.forbidden`, `servicedesk.not_found`, `servicedesk.organization_not_found`
 */
export async function setDeskOrganization(
  ctx: UseCaseContext<DeskTenant>,
  input: { serviceDeskId: string | number; organizationId: number; attached: boolean },
  tx?: Executor,
): Promise<void> {
  const { services, actor } = ctx;
  const run = async (db: Executor) => {
    const viewer = await agentViewer(ctx, db);
    const { site } = viewer;
    const desk = await getServiceDeskFor({ db }, viewer, input.serviceDeskId);
    const row = await getOrganization(db, site, input.organizationId);
    if (input.attached) await attachDeskOrganization(db, site.orgId, desk.id, row.id);
    else await detachDeskOrganization(db, desk.id, row.id);
    await recordEvent(db, services.clock, {
      orgId: site.orgId,
      action: input.attached ? 'servicedesk.organization_attached' : 'servicedesk.organization_detached',
      actor,
      target: { type: 'service_desk', id: String(desk.id) },
      siteId: site.id,
      data: { organizationId: row.id },
    });
  };
  await (tx ? run(tx) : services.db.transaction(run));
}
