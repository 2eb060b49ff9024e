import { updateAccountProfile } from '#src/db/queries/accounts/account-auth.queries.ts';
import { type AccountRow, findAccount } from '#src/db/queries/directory/accounts.queries.ts';
import { AppError } from '#src/shared/errors.ts';
import type { Actor } from '../policies/actor.ts';
import type { AppServices } from '../services.ts';

function requireAccount(actor: Actor): string {
  if (actor.type !== 'account') throw new AppError('auth.unauthenticated', 'Log in with an account first.');
  return actor.accountId;
}

/** @throws {AppError} `auth.unauthenticated` */
export async function getProfile(services: Pick<AppServices, 'db'>, actor: Actor): Promise<AccountRow> {
  const account = await findAccount(services.db, requireAccount(actor));
  if (!account) throw new AppError('auth.unauthenticated', 'Log in with an account first.');
  return account;
}

/** True for an IANA time zone name this runtime knows. */
export function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

/** True for a BCP 47 locale tag. */
export function isLocale(value: string): boolean {
  try {
    return Intl.getCanonicalLocales(value).length === 1;
  } catch {
    return false;
  }
}

/**
 * Updates the caller's name, time zone and locale.
 * @throws {AppError} `auth.unauthenticated`, `request.invalid_input`
 */
export async function updateProfile(
  services: Pick<AppServices, 'db' | 'clock'>,
  actor: Actor,
  patch: { name?: string; timeZone?: string; locale?: string },
): Promise<AccountRow> {
  const accountId = requireAccount(actor);
  const details: Array<{ path: string; message: string }> = [];
  if (patch.timeZone !== undefined && !isTimeZone(patch.timeZone))
    details.push({ path: 'timeZone', message: 'not a known IANA time zone' });
  if (patch.locale !== undefined && !isLocale(patch.locale))
    details.push({ path: 'locale', message: 'not a valid locale tag' });
  if (patch.name !== undefined && patch.name.trim().length === 0)
    details.push({ path: 'name', message: 'must not be blank' });
  if (details.length > 0) {
    throw new AppError('request.invalid_input', details.map((d) => `${d.path}: ${d.message}`).join('; '), {
      details,
    });
  }
  const updated = await updateAccountProfile(
    services.db,
    accountId,
    { name: patch.name?.trim(), timeZone: patch.timeZone, locale: patch.locale },
    services.clock.now(),
  );
  if (!updated) throw new AppError('auth.unauthenticated', 'Log in with an account first.');
  return updated;
}
