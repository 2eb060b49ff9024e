import { and } from 'drizzle-orm';
import type { Executor } from '#src/db/client.ts';
import { existsRequestWhere } from '#src/db/queries/servicedesk/requests.queries.ts';
import type { DeskViewer } from './desk-viewer.ts';
import type { Person } from './person.ts';
import { isPartyTo, visibleRequestsCondition } from './request-visibility.ts';

/**
 * @fileoverview THE person-visibility rule, in one place. Every person lookup (the Jira user API, request
 * reporters, participants and comment authors, organization members, desk customers) goes through it:
 * - agents and admins of the site (site admins, org admins, the org's API key, the system) see the site's
 *   people, emails included;
 * - a customer sees themselves, and the reporters, participants and approvers of requests they can see, and never another
 *   person's email address (`emailAddress` is omitted, as Atlassian does);
 * - nobody sees another site's people (lookups only ever resolve people of the viewer's site).
 */

/** Whether the person is the viewer. */
export function isViewer(viewer: DeskViewer, person: Person): boolean {
  const { actor } = viewer;
  if (actor.type === 'account') return person.accountId === actor.accountId;
  if (actor.type === 'customer') return person.accountId === actor.customerId;
  return false;
}

/** Agents and admins of the site see all of its people. */
export function seesSitePeople(viewer: DeskViewer): boolean {
  return viewer.role === 'agent' || viewer.isSiteAdmin;
}

/** The person with what the viewer may see of them: another person's email is dropped for customers. */
export function asSeenBy(viewer: DeskViewer, person: Person): Person {
  if (seesSitePeople(viewer) || isViewer(viewer, person)) return person;
  return { ...person, emailAddress: null };
}

/**
 * Whether the viewer may look this person of the site up by id (the Jira user API): agents always; a
 * customer only themselves and the reporters, raisers, participants and approvers of requests visible to them.
 */
export async function canSeePerson(db: Executor, viewer: DeskViewer, person: Person): Promise<boolean> {
  if (seesSitePeople(viewer) || isViewer(viewer, person)) return true;
  if (!viewer.siteUserId || !person.siteUserId) return false;
  return existsRequestWhere(db, and(visibleRequestsCondition(viewer), isPartyTo(person.siteUserId))!);
}
