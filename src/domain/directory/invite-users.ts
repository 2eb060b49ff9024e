import { insertAuthToken } from '#src/db/queries/accounts/auth-tokens.queries.ts';
import { findAccountByEmail } from '#src/db/queries/directory/accounts.queries.ts';
import { findOrgMembership } from '#src/db/queries/directory/org-memberships.queries.ts';
import { findProduct } from '#src/db/queries/directory/products.queries.ts';
import { findSite } from '#src/db/queries/directory/sites.queries.ts';
import { AppError } from '#src/shared/errors.ts';
import { hashSecret, newId, newSecret } from '#src/shared/ids.ts';
import { recordEvent } from '../audit/record-event.ts';
import { mailLink, queueMail } from '../mail/queue-mail.ts';
import { assertCan } from '../policies/can.ts';
import type { OrgTenant, UseCaseContext } from '../use-case.ts';

/** Invitations expire after 30 days (reference F39: invite links expire after 30 days). */
export const INVITATION_TTL_MS = 30 * 24 * 60 * 60_000;

export interface InviteUsersInput {
  /** Caller IP for the audit log. */
  ip?: string | null;
  emails: string[];
  /** Original experience: the site the invitee gets access on (site admins may invite to their site). */
  siteId?: string;
  productAccess?: Array<{ productId: string; role: 'customer' | 'user' | 'admin' }>;
}

export interface InvitationResult {
  email: string;
  status: 'invited' | 'already_member';
  existingAccount: boolean;
  expiresAt?: Date;
}

/**
 * Invites people by email (F39): each gets a single-use link (256-bit token, stored hashed, 30 days). An existing
 * account joins the org on acceptance and keeps its password; anyone else signs up through the link. Product
 * access is granted on acceptance, seats permitting.
 * @throws {AppError} `directory.site_not_found`, `directory.product_not_found`, plus access errors
 */
export async function inviteUsers(
  ctx: UseCaseContext<OrgTenant>,
  input: InviteUsersInput,
): Promise<InvitationResult[]> {
  const { services, actor } = ctx;
  const org = await assertCan(services.db, actor, 'users.invite', {
    orgId: ctx.tenant.orgId,
    siteId: input.siteId,
  });
  const site = input.siteId ? await findSite(services.db, org.id, input.siteId) : undefined;
  if (input.siteId && !site)
    throw new AppError('directory.site_not_found', `No site ${input.siteId} in this organization.`);
  for (const access of input.productAccess ?? []) {
    const product = await findProduct(services.db, org.id, access.productId);
    if (!product)
      throw new AppError(
        'directory.product_not_found',
        `No product ${access.productId} in this organization.`,
      );
    await assertCan(services.db, actor, 'users.product_access', { orgId: org.id, siteId: product.siteId });
  }
  const emails: string[] = [];
  for (const email of input.emails.map((e) => e.trim())) {
    if (!emails.some((seen) => seen.toLowerCase() === email.toLowerCase())) emails.push(email);
  }
  const now = services.clock.now();
  const expiresAt = new Date(now.getTime() + INVITATION_TTL_MS);
  return services.db.transaction(async (tx) => {
    const results: InvitationResult[] = [];
    for (const email of emails) {
      const account = await findAccountByEmail(tx, email);
      if (account && (await findOrgMembership(tx, org.id, account.id))) {
        results.push({ email, status: 'already_member', existingAccount: true });
        continue;
      }
      const secret = newSecret();
      await insertAuthToken(tx, {
        id: newId(),
        tokenHash: hashSecret(secret),
        purpose: 'invitation',
        accountId: account?.id ?? null,
        orgId: org.id,
        siteId: site?.id ?? null,
        email,
        data: { productAccess: input.productAccess ?? [] },
        createdAt: now,
        expiresAt,
      });
      const link = mailLink(services, '/invitations/accept', { token: secret });
      await queueMail(tx, services, {
        to: email,
        kind: 'invitation',
        orgId: org.id,
        subject: `You're invited to ${org.name} on Gatehouse`,
        text: [
          `You have been invited to join ${org.name}${site ? ` (site ${site.name})` : ''}.`,
          account ? 'Log in with your existing account to accept:' : 'Create your account to accept:',
          link,
          '',
          `The link works once and expires on ${expiresAt.toUTCString()}.`,
        ].join('\n'),
      });
      await recordEvent(tx, services.clock, {
        orgId: org.id,
        action: 'user.invited',
        actor,
        ip: input.ip,
        target: account ? { type: 'account', id: account.id } : { type: 'email', id: email.toLowerCase() },
        siteId: site?.id ?? null,
        data: { email, productAccess: input.productAccess ?? [] },
      });
      results.push({ email, status: 'invited', existingAccount: account !== undefined, expiresAt });
    }
    return results;
  });
}
