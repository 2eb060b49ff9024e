import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Whose rows the database work of the current async flow may see (row-level security, docs/ARCHITECTURE.md
 * "Tenancy"): one tenant (an org), the system (cross-tenant work: boot, workers, sign-in by email, the CLI), or
 * nobody (a request that has not resolved its tenant yet: every tenant-owned table reads empty).
 */
export type TenantScope = { kind: 'tenant'; orgId: string } | { kind: 'system' } | { kind: 'nobody' };

const storage = new AsyncLocalStorage<TenantScope>();

// Awaited inside the scope: a Drizzle query is a lazy thenable that runs only when awaited, so returning it
// unawaited would run it after the scope ended.
function runIn<T>(scope: TenantScope, fn: () => T | PromiseLike<T>): Promise<T> {
  return storage.run(scope, async () => await fn());
}

/** Runs `fn` with the database scoped to one org: rows of other orgs are invisible and cannot be written. */
export function withTenant<T>(orgId: string, fn: () => T | PromiseLike<T>): Promise<T> {
  return runIn({ kind: 'tenant', orgId }, fn);
}

/** Runs `fn` as the system: every tenant's rows (for legitimately cross-tenant work only). */
export function asSystem<T>(fn: () => T | PromiseLike<T>): Promise<T> {
  return runIn({ kind: 'system' }, fn);
}

/** Runs `fn` with no tenant: tenant-owned tables read empty and refuse writes until a scope inside sets one. */
export function asNobody<T>(fn: () => T | PromiseLike<T>): Promise<T> {
  return runIn({ kind: 'nobody' }, fn);
}

/**
 * Writes a row of no tenant (an audit event, mail or token with no org) as the system: a tenant's scope may only
 * write its own org's rows. Rows with an org are written in the current scope.
 */
export function writeTenantless<T>(
  orgId: string | null | undefined,
  fn: () => T | PromiseLike<T>,
): Promise<T> {
  return orgId == null ? asSystem(fn) : runIn(currentScope(), fn);
}

/** The scope of the current async flow; outside any scope the process works as the system (boot, CLI, jobs). */
export function currentScope(): TenantScope {
  return storage.getStore() ?? { kind: 'system' };
}

/** What a connection is set to when the app role takes it over: the system (see `enterAppRole`). */
export const SYSTEM_KEY = 'system';

/** A short key for a scope, to tell whether a connection or transaction already carries it. */
export function scopeKey(scope: TenantScope): string {
  return scope.kind === 'tenant' ? `tenant:${scope.orgId}` : scope.kind;
}

function literal(value: string): string {
  // standard_conforming_strings is on (the default on both drivers): only the quote needs doubling.
  return `'${value.replaceAll("'", "''")}'`;
}

/**
 * The statement that puts a transaction in `scope` (`local`: until it ends) or a session (`local = false`).
 * One statement, so it rides in the same round trip as BEGIN or as the query it precedes.
 */
export function scopeStatement(scope: TenantScope, local: boolean): string {
  const bypass = scope.kind === 'system' ? 'on' : 'off';
  const orgId = scope.kind === 'tenant' ? scope.orgId : '';
  return (
    `select set_config('app.bypass_rls', '${bypass}', ${local}), ` +
    `set_config('app.org_id', ${literal(orgId)}, ${local})`
  );
}
