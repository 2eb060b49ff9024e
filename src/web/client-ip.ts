import { BlockList, isIP } from 'node:net';
import type { Context } from 'hono';
import type { AppEnv } from '#src/web/http.ts';

/**
 * @fileoverview THE client IP of a request, for per-IP rate limits and the audit log, used by the API, the
 * console and the portal alike. `X-Forwarded-For` is believed only from the proxies listed in `TRUST_PROXY`
 * (off by default): anyone else — a client on the same host included — could write any address there and walk
 * around the per-IP limits.
 */

const LISTS = new WeakMap<readonly string[], BlockList>();

/** The `TRUST_PROXY` entries (addresses or CIDRs) as a block list, built once per configuration. */
function trustedProxies(entries: readonly string[]): BlockList {
  let list = LISTS.get(entries);
  if (!list) {
    list = new BlockList();
    for (const entry of entries) {
      const [address, bits] = entry.split('/') as [string, string | undefined];
      const type = isIP(address) === 6 ? 'ipv6' : 'ipv4';
      if (bits === undefined) list.addAddress(address, type);
      else list.addSubnet(address, Number(bits), type);
    }
    LISTS.set(entries, list);
  }
  return list;
}

/** `::ffff:1.2.3.4` (an IPv4 peer on a dual-stack socket) as `1.2.3.4`. */
function normalize(address: string): string {
  return address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
}

function isTrusted(list: BlockList, address: string): boolean {
  const version = isIP(address);
  return version !== 0 && list.check(address, version === 6 ? 'ipv6' : 'ipv4');
}

/**
 * The client address from the socket peer and the `X-Forwarded-For` header: the peer itself unless it is a
 * trusted proxy; then the header is read from the right (the hop our proxy added) leftwards, skipping trusted
 * proxies, and the first other address is the client. A malformed hop ends the walk at the last good one.
 */
export function resolveClientIp(
  peer: string,
  forwardedFor: string | undefined,
  trusted: readonly string[],
): string {
  const list = trustedProxies(trusted);
  let client = normalize(peer);
  if (!forwardedFor || !isTrusted(list, client)) return client;
  const hops = forwardedFor.split(',').map((hop) => normalize(hop.trim()));
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = hops[i]!;
    if (isIP(hop) === 0) break;
    client = hop;
    if (!isTrusted(list, hop)) break;
  }
  return client;
}

/**
 * The caller's IP. A request served in-process (`app.request`, as in tests) has no socket: its peer counts as
 * the loopback address.
 */
export function clientIp(c: Context<AppEnv>): string {
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  const peer = env?.incoming?.socket?.remoteAddress ?? '127.0.0.1';
  return resolveClientIp(peer, c.req.header('x-forwarded-for'), c.get('services').config.TRUST_PROXY);
}
