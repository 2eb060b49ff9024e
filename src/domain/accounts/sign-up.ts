import { findAccountByEmail } from '#src/db/queries/directory/accounts.queries.ts';
import { createAccount } from '../directory/create-account.ts';
import { mailLink, queueMail } from '../mail/queue-mail.ts';
import { ANONYMOUS } from '../policies/actor.ts';
import type { AppServices } from '../services.ts';
import { recordAccountAuthEvent } from './auth-events.ts';
import { enforceIpRateLimit } from './auth-guard.ts';
import { issueAuthToken } from './auth-tokens.ts';
import { assertPasswordAcceptable } from './password-policy.ts';
import {
  type LegacySignUpPayload,
  type PendingSignUpPayload,
  queuePendingSignUp,
  takeSignUp,
} from './pending-sign-up.ts';

export interface SignUpInput {
  email: string;
  name: string;
  password: string;
  ip?: string | null;
}

/**
 * Self sign-up. The request path does the same work for every email — the password checks and hash, the per-IP
 * limit, one pending sign-up and its `accounts.complete-sign-up` job — so neither the answer nor its timing tells
 * which emails have an account; the lookup, the account and the mail happen in the job (`completeSignUp`).
 * @throws {AppError} `auth.weak_password`, `request.rate_limited`
 */
export async function signUp(services: AppServices, input: SignUpInput): Promise<void> {
  const email = input.email.trim();
  assertPasswordAcceptable(input.password, { email });
  await enforceIpRateLimit(services.db, services.clock, 'mail', input.ip);
  // The hash waits in `pending_sign_ups` (never the password, nor the hash in the job's payload).
  const passwordHash = await services.passwords.hash(input.password);
  await queuePendingSignUp(services, 'accounts.complete-sign-up', {
    orgId: null,
    siteId: null,
    email,
    name: input.name,
    passwordHash,
    ip: input.ip ?? null,
  });
}

/**
 * The job behind `signUp`: creates the unverified account and mails its verification link
 * (`/verify-email?token=…`); when the email already has an account, its owner gets a mail pointing to password
 * reset instead. A sign-up racing another for the same email fails on the unique email and, retried, takes the
 * "already has an account" branch. The pending sign-up is deleted in the same transaction.
 */
export async function completeSignUp(
  services: AppServices,
  payload: PendingSignUpPayload | LegacySignUpPayload,
): Promise<'success' | 'skipped'> {
  return services.db.transaction(async (tx) => {
    const input = await takeSignUp(tx, payload);
    if (!input) return 'skipped';
    const { email, passwordHash } = input;
    const existing = await findAccountByEmail(tx, email);
    if (existing) {
      await queueMail(tx, services, {
        to: existing.email,
        kind: 'signup_existing',
        subject: 'You already have a Gatehouse account',
        text: `Someone (maybe you) tried to sign up with this email address, which already has an account.\n\nLog in, or reset your password here:\n${mailLink(services, '/forgot-password', {})}\n\nIf it was not you, ignore this message.`,
      });
      return 'success';
    }
    const account = await createAccount(tx, services, ANONYMOUS, {
      email,
      name: input.name,
      passwordHash,
      emailVerified: false,
    });
    const { secret } = await issueAuthToken(tx, services, {
      purpose: 'verify_email',
      accountId: account.id,
      email: account.email,
    });
    await queueMail(tx, services, {
      to: account.email,
      kind: 'verify_email',
      subject: 'Verify your email address',
      text: `Hello ${account.name},\n\nConfirm your email address to finish creating your Gatehouse account:\n${mailLink(services, '/verify-email', { token: secret })}\n\nThe link works once and expires in 48 hours.`,
    });
    await recordAccountAuthEvent(tx, services, {
      action: 'auth.signed_up',
      accountId: account.id,
      ip: input.ip,
    });
    return 'success';
  });
}
