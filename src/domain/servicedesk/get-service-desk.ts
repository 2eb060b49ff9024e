import { and, eq } from 'drizzle-orm';
import type { SiteRow } from '#src/db/queries/directory/sites.queries.ts';
import {
  deskReachableBy,
  findServiceDesk,
  listServiceDesks,
  type ServiceDeskRow,
} from '#src/db/queries/servicedesk/service-desks.queries.ts';
import { serviceDesks } from '#src/db/schema/index.ts';
import { AppError } from '#src/shared/errors.ts';
import type { Actor } from '../policies/actor.ts';
import type { AppServices } from '../services.ts';
import { type DeskViewer, resolveDeskViewer } from './desk-viewer.ts';

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
  services: Pick<AppServices, 'db'>,
  actor: Actor,
  site: SiteRow,
  idOrKey: string | number,
): Promise<{ viewer: DeskViewer; desk: ServiceDeskRow }> {
  const viewer = await resolveDeskViewer(services.db, actor, site);
  return { viewer, desk: await getServiceDeskFor(services, viewer, idOrKey) };
}

/** The desks the caller can see, by id; fetches `limit + 1` so the edge can tell whether it is the last page. */
export async function listServiceDesksFor(
  services: Pick<AppServices, 'db'>,
  actor: Actor,
  site: SiteRow,
  page: { start: number; limit: number },
): Promise<ServiceDeskRow[]> {
  const viewer = await resolveDeskViewer(services.db, actor, site);
  return listServiceDesks(services.db, site.id, {
    customerSiteUserId: viewer.role === 'customer' ? viewer.siteUserId : undefined,
    start: page.start,
    limit: page.limit + 1,
  });
}
