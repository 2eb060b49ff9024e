import type { Executor } from '#src/db/client.ts';
import {
  insertServiceDesk,
  nextProjectId,
  type ServiceDeskRow,
} from '#src/db/queries/servicedesk/service-desks.queries.ts';
import { recordEvent } from '../audit/record-event.ts';
import type { DeskTenant, UseCaseContext } from '../use-case.ts';
import { assertAgent, deskViewerOf } from './desk-viewer.ts';

export interface CreateServiceDeskInput {
  /** Project key, 2–10 capital letters/digits starting with a letter; forms request keys `<KEY>-<n>`. */
  projectKey: string;
  projectName: string;
  portalName?: string;
  portalDescription?: string;
  /** Channel access: open to the site's customers, or restricted to customers the team adds. */
  access?: 'open' | 'restricted';
  /** Who customers may share requests with. */
  sharing?: 'none' | 'organization' | 'any_customer';
}

/**
 * Creates a service desk (a JSM project) with its portal, in the caller's transaction. JSM admins only.
 * A duplicate project key on the site fails on `service_desks__site_id_project_key` (409).
 * @throws {AppError} `auth.forbidden`, `auth.unauthenticated`
 */
export async function createServiceDesk(
  ctx: UseCaseContext<DeskTenant>,
  input: CreateServiceDeskInput,
  tx: Executor = ctx.services.db,
): Promise<ServiceDeskRow> {
  const { services, actor } = ctx;
  const viewer = await deskViewerOf(ctx, tx);
  const { site } = viewer;
  assertAgent(viewer, { admin: true });
  const desk = await insertServiceDesk(tx, {
    orgId: site.orgId,
    siteId: site.id,
    projectId: await nextProjectId(tx, site.id),
    projectKey: input.projectKey.toUpperCase(),
    projectName: input.projectName.trim(),
    portalName: (input.portalName ?? input.projectName).trim(),
    portalDescription: input.portalDescription ?? '',
    access: input.access ?? 'restricted',
    sharing: input.sharing ?? 'organization',
  });
  await recordEvent(tx, services.clock, {
    orgId: site.orgId,
    action: 'servicedesk.created',
    actor,
    target: { type: 'service_desk', id: String(desk.id) },
    siteId: site.id,
    data: { projectKey: desk.projectKey, access: desk.access, sharing: desk.sharing },
  });
  return desk;
}
