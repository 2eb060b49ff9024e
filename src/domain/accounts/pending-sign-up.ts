import type { Executor } from '#src/db/client.ts';
import {
  insertPendingSignUp,
  type PendingSignUpRow,
  takePendingSignUp,
} from '#src/db/queries/accounts/pending-sign-ups.queries.ts';
import { newId } from '#src/shared/ids.ts';
import type { AppServices } from '../services.ts';

/** What a sign-up's job receives: the id of its pending row (the password hash stays in the database). */
export type PendingSignUpPayload = { pendingSignUpId: string };

/** A sign-up job's payload from before `pending_sign_ups` (the hash in the job): still accepted from a queue. */
export type LegacySignUpPayload = Omit<PendingSignUpRow, 'id' | 'createdAt' | 'orgId' | 'siteId'> &
  Partial<Pick<PendingSignUpRow, 'orgId' | 'siteId'>>;

/**
 * Writes the pending sign-up and its job in one transaction: the job exists exactly when its row does, and the
 * job's payload holds only the row's id.
 */
export async function queuePendingSignUp(
  services: Pick<AppServices, 'db' | 'queue'>,
  job: 'accounts.complete-sign-up' | 'customers.complete-sign-up',
  row: Omit<PendingSignUpRow, 'id' | 'createdAt'>,
): Promise<void> {
  await services.db.transaction(async (tx) => {
    const id = newId();
    await insertPendingSignUp(tx, { id, ...row });
    await services.queue.enqueue(job, { pendingSignUpId: id }, { tx });
  });
}

/**
 * The sign-up a job completes, taken out of `pending_sign_ups` in the job's transaction (a legacy payload carries
 * it whole). Undefined when an earlier run of the job completed it already.
 */
export async function takeSignUp(
  tx: Executor,
  payload: PendingSignUpPayload | LegacySignUpPayload,
): Promise<LegacySignUpPayload | undefined> {
  if (!('pendingSignUpId' in payload)) return payload;
  return takePendingSignUp(tx, payload.pendingSignUpId);
}
