import type { Executor } from '#src/db/client.ts';
import {
  findOrganization,
  findOrganizationByName,
  type OrganizationRow,
} from '#src/db/queries/directory/organizations.queries.ts';

/** An organization named on the command line: by id, else by name; undefined when neither matches. */
export async function findOrganizationByIdOrName(
  db: Executor,
  idOrName: string,
): Promise<OrganizationRow | undefined> {
  return (await findOrganization(db, idOrName)) ?? (await findOrganizationByName(db, idOrName));
}
