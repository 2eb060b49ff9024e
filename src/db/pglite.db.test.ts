import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DatabaseLockedError, openPglite } from './pglite.ts';

const root = mkdtempSync(join(tmpdir(), 'gatehouse-lock-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** The pid of a process that has already exited. */
function deadPid(): number {
  const result = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
    encoding: 'utf8',
  });
  return Number(result.stdout);
}

// The lock guards the embedded database only; the PostgreSQL phase has nothing to add here.
describe.skipIf(Boolean(process.env.DATABASE_URL))(
  'the embedded database lock (DATA_DIR/gatehouse.pid)',
  () => {
    it('takes over the lock of a crashed process, and releases it on close', async () => {
      const dataDir = join(root, 'stale');
      mkdirSync(dataDir, { recursive: true });
      writeFileSync(join(dataDir, 'gatehouse.pid'), String(deadPid()));
      const database = await openPglite({ dataDir });
      try {
        expect(readFileSync(join(dataDir, 'gatehouse.pid'), 'utf8')).toBe(String(process.pid));
      } finally {
        await database.close();
      }
      expect(existsSync(join(dataDir, 'gatehouse.pid'))).toBe(false);
    });

    it('refuses while another live process holds it, naming that pid, and leaves its lock alone', async () => {
      const dataDir = join(root, 'held');
      mkdirSync(dataDir, { recursive: true });
      const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
      try {
        writeFileSync(join(dataDir, 'gatehouse.pid'), String(holder.pid));
        const error = await openPglite({ dataDir }).catch((caught: unknown) => caught);
        expect(error).toBeInstanceOf(DatabaseLockedError);
        expect((error as DatabaseLockedError).pid).toBe(holder.pid);
        expect((error as Error).message).toContain(`pid ${holder.pid}`);
        expect(readFileSync(join(dataDir, 'gatehouse.pid'), 'utf8')).toBe(String(holder.pid));
        expect(existsSync(join(dataDir, 'pglite')), 'nothing was created').toBe(false);
      } finally {
        holder.kill('SIGKILL');
      }
    });

    it('ignores a garbled lock file', async () => {
      const dataDir = join(root, 'stale'); // made by the first test: opening it again skips initdb
      writeFileSync(join(dataDir, 'gatehouse.pid'), 'not a pid');
      const database = await openPglite({ dataDir });
      await database.close();
      expect(existsSync(join(dataDir, 'gatehouse.pid'))).toBe(false);
    });
  },
);
