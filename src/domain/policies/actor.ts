import { z } from 'zod';
import type { SiteRow } from '#src/db/queries/directory/sites.queries.ts';

/** Who is making a call, resolved by the edge's auth middleware. */
export type Actor =
  | { type: 'anonymous' }
  /** An account, by browser session or personal API token. */
  | { type: 'account'; accountId: string; email: string; via: 'session' | 'api_token'; sessionId?: string }
  /**
   * A portal-only customer: reaches only its own site's portal and customer API. `portal`, when set, is its site
   * and site user as the session's own statement read them (with the customer active), so resolving the caller of
   * `/sites/{site}/…` costs no second statement.
   */
  | {
      type: 'customer';
      customerId: string;
      orgId: string;
      siteId: string;
      sessionId?: string;
      portal?: { site: SiteRow; siteUserId: string | null };
    }
  /** An org API key: acts as an org admin of that one organization (admin API only). */
  | { type: 'api_key'; apiKeyId: string; orgId: string }
  /** The system itself (jobs, seed, CLI offline commands). */
  | { type: 'system' };

/** An actor as stored with long-running work (a migration task), parsed back whole when the work runs. */
export const ZStoredActor: z.ZodType<Actor> = z.discriminatedUnion('type', [
  z.object({ type: z.literal('anonymous') }),
  z.object({
    type: z.literal('account'),
    accountId: z.string(),
    email: z.string(),
    via: z.enum(['session', 'api_token']),
    sessionId: z.string().optional(),
  }),
  z.object({
    type: z.literal('customer'),
    customerId: z.string(),
    orgId: z.string(),
    siteId: z.string(),
    sessionId: z.string().optional(),
  }),
  z.object({ type: z.literal('api_key'), apiKeyId: z.string(), orgId: z.string() }),
  z.object({ type: z.literal('system') }),
]);

export const ANONYMOUS: Actor = { type: 'anonymous' };
export const SYSTEM: Actor = { type: 'system' };

/** A stable string for audit rows and task owners: `account:<id>`, `api_key:<id>`, … */
export function actorRef(actor: Actor): string {
  switch (actor.type) {
    case 'account':
      return `account:${actor.accountId}`;
    case 'customer':
      return `customer:${actor.customerId}`;
    case 'api_key':
      return `api_key:${actor.apiKeyId}`;
    default:
      return actor.type;
  }
}
