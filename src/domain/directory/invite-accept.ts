import { findAuthTokenByHash, useAuthToken } from '#src/db/queries/accounts/auth-tokens.queries.ts';
import { findAccountByEmail } from '#src/db/queries/directory/accounts.queries.ts';
import { insertOrgMembership } from '#src/db/queries/directory/org-memberships.queries.ts';
import { upsertSiteAccess } from '#src/db/queries/directory/site-access.queries.ts';
import { AppError, isAppError } from '#src/shared/errors.ts';
import { hashSecret } from '#src/shared/ids.ts';
import { assertPasswordAcceptable } from '../accounts/password-policy.ts';
import { recordEvent } from '../audit/record-event.ts';
import type { Actor } from '../policies/actor.ts';
import type { AppServices } from '../services.ts';
import { createAccount } from './create-account.ts';
import { grantProductAccess } from './grant-product-access.ts';

export interface AcceptInvitationInput {
  token: string;
  /** Needed when no account has the invited email yet. */
  name?: string;
  password?: string;
}

export interface AcceptInvitationResult {
  accountId: string;
  orgId: string;
  /** True when the invitee signed up through the link; false when an existing account was linked. */
  created: boolean;
  /** Product access the invitation carried but the licence had no seat for. */
  skippedProductAccess: Array<{ productId: string; role: string }>;
}

/**
 * Accepts an invitation: signs the invitee up (verified: the link proves the email) or links the existing account
 * (which keeps its password), adds the membership, site access and the invited product access. The token works
 * once; reuse → `auth.token_used`, and nothing changes.
 * @throws {AppError} `auth.token_invalid`, `auth.token_used`, `auth.token_expired`, `request.invalid_input`
 */
export async function acceptInvitation(
  services: Pick<AppServices, 'db' | 'clock' | 'passwords'>,
  input: AcceptInvitationInput,
): Promise<AcceptInvitationResult> {
  const tokenHash = hashSecret(input.token);
  const preview = await findAuthTokenByHash(services.db, tokenHash, 'invitation');
  if (!preview) throw new AppError('auth.token_invalid', 'This invitation link is not valid.');
  const existing = await findAccountByEmail(services.db, preview.email);
  let passwordHash: string | null = null;
  if (!existing && !preview.usedAt) {
    const problems: Array<{ path: string; message: string }> = [];
    if (!input.name?.trim()) problems.push({ path: 'name', message: 'Required to create your account' });
    if (!input.password) problems.push({ path: 'password', message: 'Required to create your account' });
    if (problems.length > 0)
      throw new AppError('request.invalid_input', 'Choose a name and a password to create your account.', {
        details: problems,
      });
    assertPasswordAcceptable(input.password!, { email: preview.email });
    passwordHash = await services.passwords.hash(input.password!);
  }
  return services.db.transaction(async (tx) => {
    const now = services.clock.now();
    const invitation = await useAuthToken(tx, tokenHash, 'invitation', now);
    if (!invitation) {
      if (preview.usedAt || (await findAuthTokenByHash(tx, tokenHash, 'invitation'))?.usedAt)
        throw new AppError('auth.token_used', 'This invitation was already used.');
      throw new AppError('auth.token_expired', 'This invitation has expired; ask an admin for a new one.');
    }
    const orgId = invitation.orgId!;
    let account = await findAccountByEmail(tx, invitation.email);
    const created = !account;
    if (!account) {
      if (passwordHash === null) throw new AppError('request.invalid_input', 'Choose a name and a password.');
      account = await createAccount(
        tx,
        services,
        { type: 'system' },
        {
          email: invitation.email,
          name: input.name!.trim(),
          passwordHash,
          emailVerified: true,
        },
      );
    }
    const actor: Actor = { type: 'account', accountId: account.id, email: account.email, via: 'session' };
    await insertOrgMembership(tx, orgId, account.id);
    if (invitation.siteId)
      await upsertSiteAccess(
        tx,
        { orgId, siteId: invitation.siteId, accountId: account.id, hasAccess: true },
        now,
      );
    const skipped: AcceptInvitationResult['skippedProductAccess'] = [];
    const access = (invitation.data.productAccess ?? []) as Array<{
      productId: string;
      role: 'customer' | 'user' | 'admin';
    }>;
    for (const grant of access) {
      try {
        await grantProductAccess(services, actor, { orgId, accountId: account.id, ...grant }, tx);
      } catch (error) {
        if (!isAppError(error, 'directory.no_seats_left', 'directory.product_not_found')) throw error;
        skipped.push(grant);
      }
    }
    await recordEvent(tx, services.clock, {
      orgId,
      action: 'user.invitation_accepted',
      actor,
      target: { type: 'account', id: account.id },
      siteId: invitation.siteId,
      data: { created, skippedProductAccess: skipped },
    });
    return { accountId: account.id, orgId, created, skippedProductAccess: skipped };
  });
}
