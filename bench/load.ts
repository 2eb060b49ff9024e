/**
 * The load generator, run as its own process so its CPU is not the server's: autocannon against one URL for a
 * fixed time, bodies taken round-robin. Input: one JSON argument (`LoadSpec`); output: one JSON line on stdout.
 */
import autocannon from 'autocannon';

export interface LoadSpec {
  url: string;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  /** Request bodies, sent round-robin (POST). */
  bodies?: string[];
  connections: number;
  seconds: number;
}

const spec = JSON.parse(process.argv[2]!) as LoadSpec;
let next = 0;
const result = await autocannon({
  url: spec.url,
  connections: spec.connections,
  duration: spec.seconds,
  pipelining: 1,
  timeout: 30,
  requests: [
    {
      method: spec.method,
      headers: spec.headers,
      setupRequest: (request) =>
        spec.bodies?.length ? { ...request, body: spec.bodies[next++ % spec.bodies.length] } : request,
    },
  ],
});
process.stdout.write(
  `${JSON.stringify({
    ok: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    seconds: result.duration,
    perSecond: Math.round((result['2xx'] / result.duration) * 10) / 10,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
  })}\n`,
);
