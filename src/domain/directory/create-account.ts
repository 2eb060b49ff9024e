import type { Executor } from '#src/db/client.ts';
import {
  type AccountRow,
  findAccountByEmail,
  insertAccount,
} from '#src/db/queries/directory/accounts.queries.ts';
import { insertOrgMembership } from '#src/db/queries/directory/org-memberships.queries.ts';
import { AppError } from '#src/shared/errors.ts';
import { newAccountId } from '#src/shared/ids.ts';
import { recordEvent } from '../audit/record-event.ts';
import type { Actor } from '../policies/actor.ts';
import type { AppServices } from '../services.ts';

export interface CreateAccountInput {
  email: string;
  name: string;
  /** Argon2id hash, or null when the owner sets a password later (invitation, migration). */
  passwordHash: string | null;
  emailVerified: boolean;
  /** Org to add the account to (membership active), if any. */
  orgId?: string;
}

/**
 * Creates a global account, in the caller's transaction.
 * @throws {AppError} `directory.email_in_use`
 */
export async function createAccount(
  tx: Executor,
  services: Pick<AppServices, 'clock'>,
  actor: Actor,
  input: CreateAccountInput,
): Promise<AccountRow> {
  if (await findAccountByEmail(tx, input.email)) {
    throw new AppError('directory.email_in_use', 'An account with this email already exists.');
  }
  const now = services.clock.now();
  const account = await insertAccount(tx, {
    id: newAccountId(),
    email: input.email.trim(),
    name: input.name.trim(),
    passwordHash: input.passwordHash,
    emailVerifiedAt: input.emailVerified ? now : null,
  });
  if (input.orgId) await insertOrgMembership(tx, input.orgId, account.id);
  await recordEvent(tx, services.clock, {
    orgId: input.orgId ?? null,
    action: 'account.created',
    actor,
    target: { type: 'account', id: account.id },
    data: { email: account.email },
  });
  return account;
}
