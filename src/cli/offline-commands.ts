import { applyMigrations } from '#src/app/apply-migrations.ts';
import { loadConfig } from '#src/config/env.ts';
import { issueApiTokenForEmail } from '#src/domain/accounts/manage-api-tokens.ts';
import { describeVerdict, verifyAuditChains } from '#src/domain/audit/verify-all-chains.ts';
import { createApiKey } from '#src/domain/directory/api-keys.ts';
import { createOrganization } from '#src/domain/directory/create-organization.ts';
import { findOrganizationByIdOrName } from '#src/domain/directory/find-organization.ts';
import { SYSTEM } from '#src/domain/policies/actor.ts';
import { seedDemo } from '#src/domain/seed/seed-demo.ts';
import { withRuntime } from './offline.ts';

// The offline commands: each opens the configured database directly (no HTTP). Loaded only when one runs.

/** `db migrate`. */
export async function migrateCommand(): Promise<void> {
  await applyMigrations(loadConfig());
}

/** `seed --demo`: returns the banner lines (logins, the demo API key). */
export async function seedDemoCommand(): Promise<string[]> {
  return withRuntime(loadConfig(), async (runtime) => (await seedDemo(runtime.services)).bannerLines);
}

/** `org create`: returns the new id; a taken name fails with `directory.org_name_in_use`. */
export async function createOrganizationCommand(
  name: string,
  userManagement: 'original' | 'centralized',
): Promise<string> {
  return withRuntime(loadConfig(), async ({ services }) => {
    const created = await createOrganization(services, SYSTEM, { name, userManagement });
    return created.id;
  });
}

/** `api-key create --org <id|name>`: returns the secret (shown once). */
export async function createApiKeyCommand(org: string, name: string): Promise<string> {
  return withRuntime(loadConfig(), async ({ services }) => {
    const found = await findOrganizationByIdOrName(services.db, org);
    const { secret } = await createApiKey({ services, actor: SYSTEM, tenant: { orgId: found.id } }, { name });
    return secret;
  });
}

/** `api-token create`: returns the secret (shown once). */
export async function createApiTokenCommand(options: { email: string; label: string }): Promise<string> {
  return withRuntime(loadConfig(), async ({ services }) => {
    const { secret } = await issueApiTokenForEmail(services, options);
    return secret;
  });
}

/** `audit verify [--org <id|name>]`: one line per chain, and how many chains are broken. */
export async function verifyAuditCommand(
  org: string | undefined,
): Promise<{ lines: string[]; broken: number }> {
  return withRuntime(loadConfig(), async ({ services }) => {
    const orgId = org === undefined ? undefined : (await findOrganizationByIdOrName(services.db, org)).id;
    const results = await verifyAuditChains(services.db, orgId);
    return {
      lines: results.map(({ orgId: id, verdict }) => describeVerdict(id, verdict)),
      broken: results.filter((r) => !r.verdict.ok).length,
    };
  });
}
