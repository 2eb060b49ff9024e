import type { Context } from 'hono';
import type { AppEnv } from './http.ts';

const LOOPBACK = /^(127\.|::1$|::ffff:127\.)/;

/**
 * The caller's IP for rate limits and the audit log: the socket's address, or the first `X-Forwarded-For` hop
 * when the socket is a local reverse proxy (or the request came in-process, as in tests).
 */
export function clientIp(c: Context<AppEnv>): string {
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  const remote = env?.incoming?.socket?.remoteAddress;
  if (!remote || LOOPBACK.test(remote)) {
    const forwarded = c.req.header('x-forwarded-for')?.split(',')[0]?.trim();
    if (forwarded && forwarded.length <= 64) return forwarded;
  }
  return remote ?? '127.0.0.1';
}
