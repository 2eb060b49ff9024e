import type { Config } from '#src/config/env.ts';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '::1']);

/**
 * Local mode: mail stays in the outbox (MAIL_TRANSPORT=outbox) and the server listens on loopback only (HOST).
 * Then the mail viewer shows every outgoing mail, system mail included, and the landing page lists every
 * site: only someone on this machine can reach them, and reading the outbox is the only way to follow a
 * verification or reset link. On any other set-up both stay closed (the mail holds single-use secrets).
 */
export function isLocalMode(config: Pick<Config, 'MAIL_TRANSPORT' | 'HOST'>): boolean {
  return config.MAIL_TRANSPORT === 'outbox' && LOOPBACK_HOSTS.has(config.HOST);
}
