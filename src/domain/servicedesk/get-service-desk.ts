import { and, eq } from 'drizzle-orm';
import {
  deskReachableBy,
  findServiceDesk,
  listServiceDesks,
  type ServiceDeskRow,
} from '#src/db/queries/servicedesk/service-desks.queries.ts';
import { serviceDesks } from '#src/db/schema/index.ts';
import { AppError } from '#src/shared/errors.ts';
import type { AppServices } from '../services.ts';
import type { DeskTenant, UseCaseContext } from '../use-case.ts';
import { type DeskViewer, deskViewerOf } from './desk-viewer.ts';

/**
 * A desk of the site by id, project id or project key, as the viewer may see it: agents see every desk of
 * their site; customers see open desks and the desks they are customers of (directly or through an
 * organization). Anything else is not found.
 * @throws {AppError} `servicedesk.not_found`
 */
export async function getServiceDeskFor(
  services: Pick<AppServices, 'db'>,
  viewer: DeskViewer,
  idOrKey: string | number,
): Promise<ServiceDeskRow> {
  const desk = await findServiceDesk(services.db, viewer.site.id, idOrKey);
  const notFound = new AppError('servicedesk.not_found', `No service desk ${idOrKey} on this site.`);
  if (!desk) throw notFound;
  if (viewer.role === 'customer') {
    const [reachable] = await services.db
      .select({ id: serviceDesks.id })
      .from(serviceDesks)
      .where(and(eq(serviceDesks.id, desk.id), deskReachableBy(viewer.siteUserId)));
    if (!reachable) throw notFound;
  }
  return desk;
}

/** Resolves the caller and returns the desk (see `getServiceDeskFor`). */
export async function getServiceDesk(
  ctx: UseCaseContext<DeskTenant>,
  idOrKey: string | number,
): Promise<{ viewer: DeskViewer; desk: ServiceDeskRow }> {
  const { services } = ctx;
  const viewer = await deskViewerOf(ctx);
  return { viewer, desk: await getServiceDeskFor(services, viewer, idOrKey) };
}

/** The desks the caller can see, by id; fetches `limit + 1` so the edge can tell whether it is the last page. */
export async function listServiceDesksFor(
  ctx: UseCaseContext<DeskTenant>,
  page: { start: number; limit: number },
): Promise<ServiceDeskRow[]> {
  const { services } = ctx;
  const viewer = await deskViewerOf(ctx);
  const { site } = viewer;
  return listServiceDesks(services.db, site.id, {
    customerSiteUserId: viewer.role === 'customer' ? viewer.siteUserId : undefined,
    start: page.start,
    limit: page.limit + 1,
  });
}
