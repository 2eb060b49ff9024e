import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { drizzle } from 'drizzle-orm/pglite';
import type { Database, Db } from './client.ts';
import * as schema from './schema/index.ts';
import { scopedPglite } from './scoped-pglite.ts';

/** Raised when another live process holds the embedded database. */
export class DatabaseLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly pid: number,
  ) {
    super(
      `The embedded database in ${dataDir} is in use by a running Gatehouse process (pid ${pid}). ` +
        'Stop that process first, or use a command that talks to the running server over HTTP (--url).',
    );
    this.name = 'DatabaseLockedError';
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * PGlite is a single in-process backend: two processes opening the same data folder corrupt it.
 * A pid file guards it; a stale file (its process gone) is taken over.
 */
function takeLock(dataDir: string): () => void {
  const lockFile = join(dataDir, 'gatehouse.pid');
  if (existsSync(lockFile)) {
    const pid = Number.parseInt(readFileSync(lockFile, 'utf8'), 10);
    if (Number.isInteger(pid) && pid !== process.pid && isAlive(pid))
      throw new DatabaseLockedError(dataDir, pid);
  }
  writeFileSync(lockFile, String(process.pid));
  return () => {
    try {
      if (readFileSync(lockFile, 'utf8') === String(process.pid)) rmSync(lockFile);
    } catch {
      // already gone
    }
  };
}

/**
 * PostgreSQL's default 128 MB of shared buffers costs PGlite ≈0.3 s at every open: the wasm build zeroes them
 * byte by byte in unoptimised code. 32 MB holds a large tenant's working set; pages beyond it come back from the
 * operating system's file cache. One backend needs few connection slots (each costs lock-table memory).
 */
const START_SETTINGS = ['-c', 'shared_buffers=32MB', '-c', 'max_connections=10'];

export interface OpenPgliteOptions {
  /** Folder of the data; `memory://` for a throwaway database. */
  dataDir: string;
  /** A dump (from `dumpDataDir`) to start from, used by tests to skip initdb and migrations. */
  loadDataDir?: Blob;
}

/**
 * Opens the embedded database.
 * @throws {DatabaseLockedError} when another live process holds the folder.
 */
export async function openPglite(options: OpenPgliteOptions): Promise<Database> {
  const inMemory = options.dataDir.startsWith('memory://');
  let release = () => {};
  let dataPath = options.dataDir;
  if (!inMemory) {
    const root = resolve(options.dataDir);
    mkdirSync(root, { recursive: true });
    release = takeLock(root);
    dataPath = join(root, 'pglite');
  }
  try {
    const pglite = await PGlite.create({
      dataDir: dataPath,
      loadDataDir: options.loadDataDir,
      startParams: [...PGlite.defaultStartParams, ...START_SETTINGS],
    });
    const db = drizzle(scopedPglite(pglite), { schema }) as unknown as Db;
    return {
      driver: 'pglite',
      db,
      pglite,
      async close() {
        await pglite.close();
        release();
      },
    };
  } catch (error) {
    release();
    throw error;
  }
}
