import type { Executor } from '#src/db/client.ts';
import {
  findOrganizationByName,
  insertOrganization,
  type OrganizationRow,
} from '#src/db/queries/directory/organizations.queries.ts';
import { AppError } from '#src/shared/errors.ts';
import { newId } from '#src/shared/ids.ts';
import { recordEvent } from '../audit/record-event.ts';
import type { Actor } from '../policies/actor.ts';
import type { AppServices } from '../services.ts';

export interface CreateOrganizationInput {
  name: string;
  userManagement: 'original' | 'centralized';
}

/**
 * Creates an organization (the tenant). Names are unique, case-insensitively (the unique index decides under races).
 * @throws {AppError} `directory.org_name_in_use` when an organization already has this name.
 */
export async function createOrganization(
  services: Pick<AppServices, 'db' | 'clock'>,
  actor: Actor,
  input: CreateOrganizationInput,
  tx?: Executor,
): Promise<OrganizationRow> {
  const run = async (db: Executor) => {
    const existing = await findOrganizationByName(db, input.name);
    if (existing)
      throw new AppError(
        'directory.org_name_in_use',
        `An organization named "${existing.name}" already exists.`,
        {
          data: { orgId: existing.id },
        },
      );
    const org = await insertOrganization(db, {
      id: newId(),
      name: input.name,
      userManagement: input.userManagement,
    });
    await recordEvent(db, services.clock, {
      orgId: org.id,
      action: 'org.created',
      actor,
      target: { type: 'org', id: org.id },
      data: { name: org.name, userManagement: org.userManagement },
    });
    return org;
  };
  return tx ? run(tx) : services.db.transaction(run);
}
