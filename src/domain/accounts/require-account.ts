import { AppError } from '#src/shared/errors.ts';
import type { Actor } from '../policies/actor.ts';

/**
 * The caller's account id: the self-service account use cases (profile, password, API tokens) act on the
 * caller's own account only.
 * @throws {AppError} `auth.unauthenticated` for anyone but an account
 */
export function requireAccount(actor: Actor): string {
  if (actor.type !== 'account') throw new AppError('auth.unauthenticated', 'Log in with an account first.');
  return actor.accountId;
}
