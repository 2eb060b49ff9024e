import { z } from '@hono/zod-openapi';
import { PASSWORD_MAX, PASSWORD_MIN } from '#src/domain/accounts/password-policy.ts';

/** Our own error shape for `/rest/auth/…` (plain surface). */
export const ZPlainError = z
  .object({
    code: z.string().describe('Stable error code, e.g. `auth.invalid_credentials`.'),
    message: z.string(),
    details: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    data: z.record(z.string(), z.unknown()).optional(),
  })
  .openapi('PlainError');

const DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid input, weak password, or an invalid / used / expired token',
  401: 'Not authenticated, or wrong credentials',
  403: 'Not allowed (CSRF token missing, account deactivated, email not verified, sign-up disabled)',
  404: 'Not found (or not yours)',
  409: 'Conflict',
  423: 'Locked after too many failed attempts',
  429: 'Too many attempts from this address',
};

/** Declared error responses of a route, in the given error shape. */
export function errorsOf(schema: z.ZodType, statuses: number[]) {
  return Object.fromEntries(
    statuses.map((status) => [
      status,
      { description: DESCRIPTIONS[status] ?? 'Error', content: { 'application/json': { schema } } },
    ]),
  );
}

/** Session cookie (browser) or Basic email:api-token. */
export const SESSION_OR_BASIC: Array<Record<string, string[]>> = [{ cookie: [] }, { basic: [] }];

export const ZEmail = z.string().trim().max(254).pipe(z.email()).describe('Email address');
export const ZPassword = z
  .string()
  .min(1)
  .max(PASSWORD_MAX * 4)
  .describe(`Password (${PASSWORD_MIN}–${PASSWORD_MAX} characters, not a common password).`);
export const ZToken = z.string().trim().min(20).max(200).describe('The token from the emailed link.');

export const ZAccepted = z
  .object({ message: z.string() })
  .openapi('Accepted', { description: 'Same answer whether or not the email is known.' });

export const ZSessionInfo = z
  .object({
    csrfToken: z.string().describe('Send as `X-CSRF-Token` (or form field `_csrf`) on every write.'),
    expiresAt: z.string().describe('ISO 8601 time the session ends.'),
  })
  .openapi('SessionInfo');

export const ZProfile = z
  .object({
    accountId: z.string(),
    email: z.string(),
    name: z.string(),
    emailVerified: z.boolean(),
    status: z.enum(['active', 'inactive', 'closed']),
    timeZone: z.string(),
    locale: z.string(),
  })
  .openapi('Profile');

export const ZApiTokenView = z
  .object({
    id: z.string(),
    label: z.string(),
    status: z.enum(['active', 'expired', 'revoked']),
    createdAt: z.string(),
    lastUsedAt: z.string().nullable(),
    expiresAt: z.string().nullable(),
    revokedAt: z.string().nullable(),
  })
  .openapi('ApiToken');
