import { createSession } from '#src/domain/accounts/sessions.ts';
import type { AppServices } from '#src/domain/services.ts';

/** Cookie + CSRF headers of a fresh browser session (account or portal-only customer), as a login would set. */
export async function buildBrowserSession(
  services: AppServices,
  who: { accountId: string } | { customerId: string; siteId: string },
): Promise<{ read: Record<string, string>; write: Record<string, string>; csrfToken: string }> {
  const session = await services.db.transaction((tx) =>
    createSession(
      tx,
      services,
      'accountId' in who
        ? { kind: 'account', accountId: who.accountId }
        : { kind: 'customer', customerId: who.customerId, siteId: who.siteId },
    ),
  );
  const cookie = `gh_session=${session.secret}`;
  return {
    csrfToken: session.csrfToken,
    read: { cookie },
    write: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
  };
}

/** A urlencoded form body (repeated keys for arrays). */
export function formBody(fields: Record<string, string | string[]>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(fields)) for (const v of [value].flat()) params.append(key, v);
  return params.toString();
}
