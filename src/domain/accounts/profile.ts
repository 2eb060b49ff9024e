import {
  type AccountRow,
  findAccount,
  updateAccountProfile,
} from '#src/db/queries/directory/accounts.queries.ts';
import { AppError } from '#src/shared/errors.ts';
import type { UseCaseContext } from '../use-case.ts';
import { requireAccount } from './require-account.ts';

/** @throws {AppError} `auth.unauthenticated` */
export async function getProfile(ctx: UseCaseContext): Promise<AccountRow> {
  const account = await findAccount(ctx.services.db, requireAccount(ctx.actor));
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
  ctx: UseCaseContext,
  patch: { name?: string; timeZone?: string; locale?: string },
): Promise<AccountRow> {
  const { services } = ctx;
  const accountId = requireAccount(ctx.actor);
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
