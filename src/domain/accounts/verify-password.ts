import { AppError } from '#src/shared/errors.ts';
import type { AppServices } from '../services.ts';
import { type AuthSubject, beginAttempt, endAttempts } from './auth-guard.ts';

export type PasswordCheck = 'ok' | 'wrong' | 'locked_now';

/**
 * Checks a password under the lockout: takes an attempt slot first (a locked subject answers 423 and nothing is
 * verified), then verifies with argon2id, or runs the dummy verify when there is no hash (unknown email,
 * no password yet), so every miss costs the same time. Success forgets earlier failures.
 * @throws {AppError} `auth.locked`
 */
export async function verifyWithLockout(
  services: Pick<AppServices, 'db' | 'clock' | 'passwords'>,
  subject: AuthSubject,
  passwordHash: string | null | undefined,
  password: string,
): Promise<PasswordCheck> {
  const attempt = await beginAttempt(services.db, services.clock, subject);
  let ok = false;
  if (passwordHash) ok = await services.passwords.verify(passwordHash, password);
  else await services.passwords.verifyDummy(password);
  if (ok) {
    await endAttempts(services.db, subject);
    return 'ok';
  }
  return attempt.locksOnFailure ? 'locked_now' : 'wrong';
}

/** The one answer for an unknown email, a missing password and a wrong password (no enumeration). */
export function invalidCredentials(): AppError {
  return new AppError('auth.invalid_credentials', 'Incorrect email address and / or password.');
}
