import { createRequire } from 'node:module';
import { AppError } from '#src/shared/errors.ts';

export const PASSWORD_MIN = 12;
export const PASSWORD_MAX = 256;

let common: Set<string> | undefined;

/**
 * The maintained common-password list of `@zxcvbn-ts/language-common` (about 49k entries), lower-cased.
 * Loaded on first use, not at start-up: the package decodes all its dictionaries when imported (≈0.1 s).
 */
function commonPasswords(): Set<string> {
  if (!common) {
    const { dictionary } = createRequire(import.meta.url)(
      '@zxcvbn-ts/language-common',
    ) as typeof import('@zxcvbn-ts/language-common');
    common = new Set(dictionary['passwords-common'].map((p) => p.toLowerCase()));
  }
  return common;
}

/**
 * NIST-style policy: 12 to 256 characters, not a common password, not the email itself. No composition rules.
 * @throws {AppError} `auth.weak_password`
 */
export function assertPasswordAcceptable(password: string, context: { email?: string | null } = {}): void {
  const length = [...password].length;
  const reject = (message: string) => {
    throw new AppError('auth.weak_password', message, { details: [{ path: 'password', message }] });
  };
  if (length < PASSWORD_MIN) reject(`Use at least ${PASSWORD_MIN} characters.`);
  if (length > PASSWORD_MAX) reject(`Use at most ${PASSWORD_MAX} characters.`);
  const lower = password.toLowerCase();
  if (commonPasswords().has(lower)) reject('This password is too common; choose another.');
  if (context.email && lower === context.email.toLowerCase())
    reject('Do not use your email as the password.');
}
