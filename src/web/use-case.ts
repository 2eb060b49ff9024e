import type { Context } from 'hono';
import type { UseCaseContext } from '#src/domain/use-case.ts';
import type { AppEnv } from './http.ts';

/**
 * The use-case context of a request: its services, its authenticated actor and the tenant its path names (none
 * for the caller's own things: profile, password, API tokens).
 */
export function useCaseContext<TTenant = Record<string, never>>(
  c: Context<AppEnv>,
  tenant: TTenant = {} as TTenant,
): UseCaseContext<TTenant> {
  return { services: c.get('services'), actor: c.get('actor'), tenant };
}
