import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import type { Config } from '#src/config/env.ts';
import { newSecret } from '#src/shared/ids.ts';

const ZSecrets = z.object({ sessionSecret: z.string().min(32) });

/**
 * Secrets not given in the environment are generated once and kept in DATA_DIR/secrets.json (mode 0600),
 * never printed. Several processes against one PostgreSQL must share SESSION_SECRET through the environment.
 */
export function loadSecrets(config: Pick<Config, 'DATA_DIR' | 'SESSION_SECRET'>): { sessionSecret: string } {
  if (config.SESSION_SECRET) return { sessionSecret: config.SESSION_SECRET };
  const dir = resolve(config.DATA_DIR);
  const file = join(dir, 'secrets.json');
  if (existsSync(file)) {
    const parsed = ZSecrets.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    if (parsed.success) return parsed.data;
  }
  mkdirSync(dir, { recursive: true });
  const secrets = { sessionSecret: newSecret() };
  writeFileSync(file, JSON.stringify(secrets), { mode: 0o600 });
  return secrets;
}
