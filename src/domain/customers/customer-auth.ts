import { startCustomerLogin } from '#src/db/queries/accounts/password-login.queries.ts';
import {
  findLiveCustomerByEmail,
  findPortalCustomer,
  markCustomerEmailVerified,
  type PortalCustomerRow,
  setCustomerPassword,
} from '#src/db/queries/customers/portal-customers.queries.ts';
import { findSite, type SiteRow } from '#src/db/queries/directory/sites.queries.ts';
import { AppError } from '#src/shared/errors.ts';
import { customerAuthEvent, recordCustomerAuthEvent } from '../accounts/auth-events.ts';
import { endAttempts, enforceIpRateLimit } from '../accounts/auth-guard.ts';
import { consumeAuthToken, issueAuthToken } from '../accounts/auth-tokens.ts';
import { passwordLogin } from '../accounts/password-login.ts';
import { assertPasswordAcceptable } from '../accounts/password-policy.ts';
import {
  type LegacySignUpPayload,
  type PendingSignUpPayload,
  queuePendingSignUp,
  takeSignUp,
} from '../accounts/pending-sign-up.ts';
import { type NewSession, revokeAllSessionsOfCustomer, revokeSessionBySecret } from '../accounts/sessions.ts';
import { mailLink, queueMail } from '../mail/queue-mail.ts';
import { type Actor, ANONYMOUS } from '../policies/actor.ts';
import type { AppServices } from '../services.ts';
import { createPortalCustomer } from './create-portal-customer.ts';

type Site = Pick<SiteRow, 'id' | 'orgId' | 'name' | 'signupMode' | 'approvedDomains' | 'allowPortalOnly'>;

const customerActor = (customer: PortalCustomerRow): Actor => ({
  type: 'customer',
  customerId: customer.id,
  orgId: customer.orgId,
  siteId: customer.siteId,
});

const portalPath = (site: Site, page: string) => `/sites/${encodeURIComponent(site.name)}/portal/${page}`;

export interface CustomerLoginInput {
  email: string;
  password: string;
  ip?: string | null;
  userAgent?: string | null;
  previousSessionSecret?: string;
}

/**
 * Logs a portal-only customer in to THIS site's portal only: the email is looked up among the site's live
 * customers, and the session carries the site. Same enumeration, lockout and rate-limit rules as accounts.
 * Revoked, migrating or migrated customers are refused after a correct password.
 * @throws {AppError} `request.rate_limited`, `auth.invalid_credentials`, `auth.locked`, `auth.forbidden`,
 *   `auth.email_unverified`
 */
export async function customerLogin(
  services: AppServices,
  site: Site,
  input: CustomerLoginInput,
): Promise<{ customer: PortalCustomerRow; session: NewSession }> {
  const { principal, session } = await passwordLogin(services, input, {
    start: (email, guard) => startCustomerLogin(services.db, site.id, email, guard),
    unknownSubject: (email) => `email:${site.id}:${email}`,
    events: (action, customer, _orgIds, detail) => [
      customerAuthEvent({
        action,
        orgId: site.orgId,
        siteId: site.id,
        customerId: customer?.id ?? null,
        ip: input.ip,
        ...detail,
      }),
    ],
    actor: customerActor,
    inactiveMessage: (customer) =>
      customer.status === 'revoked'
        ? 'Your access to this help center was revoked.'
        : customer.status === 'migrating'
          ? 'This customer account is being moved to an account; you will get an email when it is ready.'
          : 'This customer account was moved to an account: log in with it instead.',
    session: (customer) => ({
      kind: 'customer',
      customerId: customer.id,
      siteId: site.id,
      ip: input.ip,
      userAgent: input.userAgent,
    }),
  });
  return { customer: principal, session };
}

/**
 * Self sign-up on a site's help center, only where its customer access settings allow it: portal-only accounts
 * allowed, and sign-up open to anyone or to the approved email domains. Like `signUp`, the request path does the
 * same work for every email (checks, hash, per-IP limit, one pending sign-up and its `customers.complete-sign-up`
 * job); the job creates
 * the unverified customer and mails a verification link (`/sites/<site>/portal/verify-email?token=…`), or mails
 * the owner of an email already used by a live customer of the site.
 * @throws {AppError} `auth.signup_disabled`, `auth.weak_password`, `request.rate_limited`
 */
export async function customerSignUp(
  services: AppServices,
  site: Site,
  input: { email: string; displayName: string; password: string; ip?: string | null },
): Promise<void> {
  const email = input.email.trim();
  if (!site.allowPortalOnly || site.signupMode === 'invited_only') {
    throw new AppError(
      'auth.signup_disabled',
      'This help center does not allow sign-up; ask its team to invite you.',
    );
  }
  if (site.signupMode === 'approved_domains') {
    const domain = email.split('@').pop()!.toLowerCase();
    if (!site.approvedDomains.some((d) => d.toLowerCase() === domain)) {
      throw new AppError(
        'auth.signup_disabled',
        'Sign-up on this help center is limited to approved email domains.',
      );
    }
  }
  assertPasswordAcceptable(input.password, { email });
  await enforceIpRateLimit(services.db, services.clock, 'mail', input.ip);
  const passwordHash = await services.passwords.hash(input.password);
  await queuePendingSignUp(services, 'customers.complete-sign-up', {
    orgId: site.orgId,
    siteId: site.id,
    email,
    name: input.displayName,
    passwordHash,
    ip: input.ip ?? null,
  });
}

/**
 * The job behind `customerSignUp` (see there); the pending sign-up is deleted in the same transaction. A site
 * deleted meanwhile skips it (its pending sign-ups went with it).
 */
export async function completeCustomerSignUp(
  services: AppServices,
  payload: PendingSignUpPayload | LegacySignUpPayload,
): Promise<'success' | 'skipped'> {
  return services.db.transaction(async (tx) => {
    const input = await takeSignUp(tx, payload);
    const site = input?.orgId && input.siteId ? await findSite(tx, input.orgId, input.siteId) : undefined;
    if (!input || !site) return 'skipped';
    const { email } = input;
    const existing = await findLiveCustomerByEmail(tx, site.id, email);
    if (existing?.email) {
      await queueMail(tx, services, {
        to: existing.email,
        orgId: site.orgId,
        kind: 'signup_existing',
        subject: 'You already have an account on this help center',
        text: `Someone (maybe you) tried to sign up on ${site.name} with this email address, which already has an account.\n\nLog in, or reset your password here:\n${mailLink(services, portalPath(site, 'forgot-password'), {})}\n\nIf it was not you, ignore this message.`,
      });
      return 'success';
    }
    const { customer } = await createPortalCustomer(tx, services, ANONYMOUS, {
      orgId: site.orgId,
      siteId: site.id,
      email,
      displayName: input.name,
      passwordHash: input.passwordHash,
      emailVerified: false,
    });
    const { secret } = await issueAuthToken(tx, services, {
      purpose: 'verify_email',
      customerId: customer.id,
      orgId: site.orgId,
      siteId: site.id,
      email,
    });
    await queueMail(tx, services, {
      to: email,
      orgId: site.orgId,
      kind: 'verify_email',
      subject: `Verify your email for ${site.name}`,
      text: `Hello ${customer.displayName},\n\nConfirm your email address to finish signing up to the ${site.name} help center:\n${mailLink(services, portalPath(site, 'verify-email'), { token: secret })}\n\nThe link works once and expires in 48 hours.`,
    });
    await recordCustomerAuthEvent(tx, services, {
      action: 'auth.signed_up',
      orgId: site.orgId,
      siteId: site.id,
      customerId: customer.id,
      ip: input.ip,
    });
    return 'success';
  });
}

/** A token is valid only on the site it was issued for. */
async function consumeSiteToken(
  tx: Parameters<typeof consumeAuthToken>[0],
  services: AppServices,
  site: Site,
  purpose: 'verify_email' | 'reset_password',
  secret: string,
): Promise<PortalCustomerRow> {
  const token = await consumeAuthToken(tx, services, purpose, secret);
  const customer =
    token.customerId && token.siteId === site.id
      ? await findPortalCustomer(tx, site.id, token.customerId)
      : undefined;
  if (customer?.status !== 'active') throw new AppError('auth.token_invalid', 'This link is not valid.');
  return customer;
}

/**
 * Confirms a customer's email with the token of the sign-up mail.
 * @throws {AppError} `auth.token_invalid`, `auth.token_used`, `auth.token_expired`
 */
export async function customerVerifyEmail(
  services: AppServices,
  site: Site,
  input: { token: string; ip?: string | null },
): Promise<{ customerId: string }> {
  return services.db.transaction(async (tx) => {
    const customer = await consumeSiteToken(tx, services, site, 'verify_email', input.token);
    await markCustomerEmailVerified(tx, customer.id, services.clock.now());
    await recordCustomerAuthEvent(tx, services, {
      action: 'auth.email_verified',
      orgId: site.orgId,
      siteId: site.id,
      customerId: customer.id,
      ip: input.ip,
    });
    return { customerId: customer.id };
  });
}

/**
 * Asks for a reset link (`/sites/<site>/portal/reset-password?token=…`, 1 hour): the same work for every email
 * (the per-IP limit, one `customers.send-reset-mail` job), so neither answer nor timing tells which exist.
 * @throws {AppError} `request.rate_limited`
 */
export async function requestCustomerPasswordReset(
  services: AppServices,
  site: Site,
  input: { email: string; ip?: string | null },
): Promise<void> {
  await enforceIpRateLimit(services.db, services.clock, 'mail', input.ip);
  await services.queue.enqueue('customers.send-reset-mail', {
    orgId: site.orgId,
    siteId: site.id,
    email: input.email.trim(),
    ip: input.ip ?? null,
  });
}

/**
 * The job behind `requestCustomerPasswordReset`: mails the reset link when the email belongs to an active
 * portal-only customer of the site; does nothing otherwise.
 */
export async function sendCustomerPasswordResetMail(
  services: AppServices,
  input: { orgId: string; siteId: string; email: string; ip: string | null },
): Promise<'success' | 'skipped'> {
  const site = await findSite(services.db, input.orgId, input.siteId);
  if (!site) return 'skipped';
  const customer = await findLiveCustomerByEmail(services.db, site.id, input.email);
  if (customer?.status !== 'active' || !customer.email) return 'skipped';
  const email = customer.email;
  await services.db.transaction(async (tx) => {
    const { secret } = await issueAuthToken(tx, services, {
      purpose: 'reset_password',
      customerId: customer.id,
      orgId: site.orgId,
      siteId: site.id,
      email,
      replacePrevious: true,
    });
    await queueMail(tx, services, {
      to: email,
      orgId: site.orgId,
      kind: 'reset_password',
      subject: `Reset your ${site.name} help center password`,
      text: `Hello ${customer.displayName},\n\nChoose a new password here:\n${mailLink(services, portalPath(site, 'reset-password'), { token: secret })}\n\nThe link works once and expires in 1 hour. If you did not ask for it, ignore this message.`,
    });
    await recordCustomerAuthEvent(tx, services, {
      action: 'auth.password_reset_requested',
      orgId: site.orgId,
      siteId: site.id,
      customerId: customer.id,
      ip: input.ip,
    });
  });
  return 'success';
}

/**
 * Sets a customer's password with the emailed token (also proving the mailbox), ends its sessions and unlocks it.
 * @throws {AppError} `auth.weak_password`, `auth.token_invalid`, `auth.token_used`, `auth.token_expired`
 */
export async function resetCustomerPassword(
  services: AppServices,
  site: Site,
  input: { token: string; password: string; ip?: string | null },
): Promise<{ customerId: string }> {
  assertPasswordAcceptable(input.password);
  const passwordHash = await services.passwords.hash(input.password);
  return services.db.transaction(async (tx) => {
    const customer = await consumeSiteToken(tx, services, site, 'reset_password', input.token);
    assertPasswordAcceptable(input.password, customer);
    const now = services.clock.now();
    await setCustomerPassword(tx, customer.id, passwordHash, now);
    await markCustomerEmailVerified(tx, customer.id, now);
    const ended = await revokeAllSessionsOfCustomer(tx, customer.id);
    await endAttempts(tx, `customer:${customer.id}`);
    await recordCustomerAuthEvent(tx, services, {
      action: 'auth.password_reset',
      orgId: site.orgId,
      siteId: site.id,
      customerId: customer.id,
      ip: input.ip,
      data: { sessionsEnded: ended },
    });
    return { customerId: customer.id };
  });
}

/** Ends the customer's session of this cookie (idempotent). */
export async function customerLogout(
  services: AppServices,
  input: { sessionSecret: string | undefined },
): Promise<void> {
  if (input.sessionSecret) await revokeSessionBySecret(services.db, input.sessionSecret);
}
