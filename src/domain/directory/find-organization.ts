import type { Executor } from '#src/db/client.ts';
import {
  findOrganization,
  findOrganizationByName,
  type OrganizationRow,
} from '#src/db/queries/directory/organizations.queries.ts';
import { AppError } from '#src/shared/errors.ts';

/**
 * The organization a person named on the command line: by id, else by (unique, case-insensitive) name.
 * @throws {AppError} `directory.org_not_found`, so a typo fails instead of silently matching nothing.
 */
export async function findOrganizationByIdOrName(db: Executor, idOrName: string): Promise<OrganizationRow> {
  const found = (await findOrganization(db, idOrName)) ?? (await findOrganizationByName(db, idOrName));
  if (!found) throw new AppError('directory.org_not_found', `No organization with id or name "${idOrName}".`);
  return found;
}
