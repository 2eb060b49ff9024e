import { isIP } from 'node:net';
import { z } from 'zod';

/** One `TRUST_PROXY` entry: an IPv4/IPv6 address, or a CIDR block of them. */
function isAddressOrCidr(entry: string): boolean {
  const [address, bits, extra] = entry.split('/');
  const version = isIP(address ?? '');
  if (version === 0 || extra !== undefined) return false;
  if (bits === undefined) return true;
  return /^\d{1,3}$/.test(bits) && Number(bits) <= (version === 4 ? 32 : 128);
}

/** Every setting Gatehouse reads from the environment, parsed once at boot. */
export const ZEnv = z.object({
  /** TCP port of the HTTP server. */
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  /** Interface the HTTP server binds to. */
  HOST: z.string().min(1).default('127.0.0.1'),
  /** Folder for the embedded database, generated secrets and the server lock file. */
  DATA_DIR: z.string().min(1).default('./data'),
  /** PostgreSQL connection string; unset means the embedded PGlite database in DATA_DIR. */
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  /** Folder for request attachments (file contents; metadata is in the database); default DATA_DIR/attachments. */
  ATTACHMENTS_DIR: z.string().min(1).optional(),
  /** Largest attachment accepted, in bytes (default 10 MiB). */
  ATTACHMENT_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(1024 * 1024 * 1024)
    .default(10 * 1024 * 1024),
  /** Public URL used in emails and links; defaults to http://HOST:PORT. */
  BASE_URL: z.string().url().optional(),
  /** `outbox` keeps mail in a table shown in the admin console; `smtp` sends it through SMTP_URL. */
  MAIL_TRANSPORT: z.enum(['outbox', 'smtp']).default('outbox'),
  /** SMTP server, e.g. smtp://user:pass@mail.example.com:587; required when MAIL_TRANSPORT=smtp. */
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL')
    .optional(),
  /** Sender address of outgoing mail. */
  MAIL_FROM: z.string().min(3).default('Gatehouse <no-reply@gatehouse.local>'),
  /** pino log level. */
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Which parts this process runs: the HTTP server, the job worker, or both. */
  ROLE: z.enum(['all', 'web', 'worker']).default('all'),
  /** Argon2 memory cost in KiB; tests lower it to keep the suite fast. */
  ARGON2_MEMORY_KIB: z.coerce.number().int().min(1024).max(1048576).default(19456),
  /**
   * A customer whose history has more references than this migrates in chunks (a `migrating` state, then short
   * transactions of at most this many rows per table); smaller ones migrate in one transaction. Default: 500 on
   * PGlite (a chunk then holds the one connection for ≈85 ms, so reads get in between), 1,000 on PostgreSQL.
   */
  MIGRATION_CHUNK_ROWS: z.coerce.number().int().min(10).max(1_000_000).optional(),
  /**
   * Customers migrated together in one set-based transaction (those with a small history; the others one by one).
   * Default: 50, and 5 on PGlite while requests are being served (a batch holds the one connection).
   */
  MIGRATION_BATCH_CUSTOMERS: z.coerce.number().int().min(1).max(500).optional(),
  /** Seed the demo data on first start of an empty database. */
  SEED_DEMO: z
    .enum(['true', 'false'])
    .default('true')
    .transform((value) => value === 'true'),
  /**
   * Reverse proxies whose `X-Forwarded-For` is believed (comma-separated addresses or CIDRs, e.g.
   * `127.0.0.1,10.0.0.0/8`); `off` (the default) ignores the header, so clients cannot pick their address.
   */
  TRUST_PROXY: z
    .string()
    .default('off')
    .transform((value) =>
      value.trim() === 'off'
        ? []
        : value
            .split(',')
            .map((entry) => entry.trim())
            .filter(Boolean),
    )
    .refine(
      (entries) => entries.every(isAddressOrCidr),
      'must be `off` or a comma-separated list of IP addresses or CIDRs',
    ),
  /** Mark cookies Secure; defaults to true when BASE_URL is https. */
  COOKIE_SECURE: z
    .enum(['true', 'false'])
    .optional()
    .transform((value) => (value === undefined ? undefined : value === 'true')),
});

/**
 * Rules across variables. Checked on the raw input next to the schema (not as a refinement, which zod skips
 * when any other variable is invalid), so one run reports every problem.
 */
function crossFieldProblems(env: Record<string, string | undefined>): string[] {
  const problems: string[] = [];
  if (env.MAIL_TRANSPORT === 'smtp' && !env.SMTP_URL)
    problems.push('SMTP_URL: is required when MAIL_TRANSPORT=smtp');
  return problems;
}

export type TEnv = z.infer<typeof ZEnv>;

/** The parsed configuration, with derived values filled in. */
export interface Config extends Omit<TEnv, 'BASE_URL' | 'COOKIE_SECURE'> {
  BASE_URL: string;
  COOKIE_SECURE: boolean;
}

/** Thrown when the environment is invalid; lists every problem. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Parses configuration from an environment record.
 * @throws {ConfigError} listing every invalid variable.
 */
export function parseConfig(source: Record<string, string | undefined>): Config {
  const cleaned = Object.fromEntries(
    Object.entries(source).filter(([, value]) => value !== undefined && value !== ''),
  );
  const result = ZEnv.safeParse(cleaned);
  const problems = [
    ...(result.success
      ? []
      : result.error.issues.map((issue) => `${issue.path.join('.') || 'env'}: ${issue.message}`)),
    ...crossFieldProblems(cleaned),
  ];
  if (!result.success || problems.length > 0) throw new ConfigError(problems);
  const env = result.data;
  const baseUrl = (env.BASE_URL ?? `http://${env.HOST}:${env.PORT}`).replace(/\/$/, '');
  return Object.freeze({
    ...env,
    BASE_URL: baseUrl,
    COOKIE_SECURE: env.COOKIE_SECURE ?? baseUrl.startsWith('https://'),
  });
}

/** Reads the process environment; the only place that touches process.env. */
export function loadConfig(overrides: Record<string, string | undefined> = {}): Config {
  return parseConfig({ ...process.env, ...overrides });
}
