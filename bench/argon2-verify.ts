/**
 * Bare argon2id verifications per second, in a process of its own sized like the server's (UV_THREADPOOL_SIZE
 * from the parent), with the production cost (m=19 MiB, t=2, p=1). Argument: seconds; output: one JSON line.
 */
import { hash, verify } from '@node-rs/argon2';

const seconds = Number(process.argv[2] ?? 5);
const concurrency = Number(process.argv[3] ?? 4);
const options = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 };
const stored = await hash('correct horse battery staple', options);
for (let i = 0; i < 4; i++) await verify(stored, 'correct horse battery staple');
let done = 0;
const started = performance.now();
const deadline = started + seconds * 1000;
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (performance.now() < deadline) {
      if (!(await verify(stored, 'correct horse battery staple'))) throw new Error('verify failed');
      done++;
    }
  }),
);
const elapsed = (performance.now() - started) / 1000;
process.stdout.write(
  `${JSON.stringify({ perSecond: Math.round((done / elapsed) * 10) / 10, verifies: done })}\n`,
);
