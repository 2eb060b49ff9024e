import { findAccountByEmail } from '#src/db/queries/directory/accounts.queries.ts';
import { createAccount } from '../directory/create-account.ts';
import { mailLink, queueMail } from '../mail/queue-mail.ts';
import { ANONYMOUS } from '../policies/actor.ts';
import type { AppServices } from '../services.ts';
import { recordAccountAuthEvent } from './auth-events.ts';
import { enforceIpRateLimit } from './auth-guard.ts';
import { issueAuthToken } from './auth-tokens.ts';
import { assertPasswordAcceptable } from './password-policy.ts';

export interface SignUpInput {
  email: string;
  name: string;
  password: string;
  ip?: string | null;
}

/**
 * Self sign-up. The request path does the same work for every email — the password checks and hash, the per-IP
 * limit and one `accounts.complete-sign-up` job — so neither the answer nor its timing tells which emails have an
 * account; the lookup, the account and the mail happen in the job (`completeSignUp`).
 * @throws {AppError} `auth.weak_password`, `request.rate_limited`
 */
export async function signUp(services: AppServices, input: SignUpInput): Promise<void> {
  const email = input.email.trim();
  assertPasswordAcceptable(input.password, { email });
  await enforceIpRateLimit(services.db, services.clock, 'mail', input.ip);
  // The job carries the hash, never the password (the same hash the account row would keep).
  const passwordHash = await services.passwords.hash(input.password);
  await services.queue.enqueue('accounts.complete-sign-up', {
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
 * "already has an account" branch.
 */
export async function completeSignUp(
  services: AppServices,
  input: { email: string; name: string; passwordHash: string; ip: string | null },
): Promise<'success'> {
  const { email, passwordHash } = input;
  await services.db.transaction(async (tx) => {
    const existing = await findAccountByEmail(tx, email);
    if (existing) {
      await queueMail(tx, services, {
        to: existing.email,
        kind: 'signup_existing',
        subject: 'You already have a Gatehouse account',
        text: `Someone (maybe you) tried to sign up with this email address, which already has an account.\n\nLog in, or reset your password here:\n${mailLink(services, '/forgot-password', {})}\n\nIf it was not you, ignore this message.`,
      });
      return;
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
  });
  return 'success';
}
