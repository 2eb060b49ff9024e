import { listAllMail } from '#src/db/queries/mail/mail-outbox.queries.ts';
import { AppError } from '#src/shared/errors.ts';
import type { AppServices } from '../services.ts';
import { isLocalMode } from './local-mode.ts';

/**
 * Every outgoing mail, newest first, of every organization and of none (sign-up verification and password
 * reset mail carry no org): the mail viewer of local mode.
 * @throws {AppError} `request.not_found` outside local mode, so the viewer does not exist there.
 */
export async function listAllMailInLocalMode(
  services: Pick<AppServices, 'db' | 'config'>,
  input: { to?: string; limit: number },
) {
  if (!isLocalMode(services.config))
    throw new AppError('request.not_found', 'The mail viewer exists only in local mode.');
  return listAllMail(services.db, input);
}
