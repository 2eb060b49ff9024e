/**
 * Where the CPU of a load went, read from Linux's /proc around it: the bench server's main thread, its libuv pool
 * (argon2 runs there), every PostgreSQL process of the machine, and the machine as a whole. Answers "what does the
 * profile show" for a throughput figure in the same run that made it. Elsewhere than Linux it reports nothing.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second of /proc's CPU times (USER_HZ: 100 on every Linux build in use). */
const TICKS_PER_SECOND = 100;

interface Snapshot {
  main: number;
  pool: number;
  postgres: number;
  busy: number;
  all: number;
}

/** utime + stime of one /proc stat line (fields 14 and 15, after the parenthesised command name). */
function ticksOf(statPath: string): number {
  try {
    const stat = readFileSync(statPath, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return 0; // the thread or process ended between listing and reading
  }
}

function commOf(path: string): string {
  try {
    return readFileSync(`${path}/comm`, 'utf8').trim();
  } catch {
    return '';
  }
}

function snapshot(serverPid: number): Snapshot {
  let main = 0;
  let pool = 0;
  for (const tid of readdirSync(`/proc/${serverPid}/task`)) {
    const path = `/proc/${serverPid}/task/${tid}`;
    const ticks = ticksOf(`${path}/stat`);
    if (Number(tid) === serverPid) main += ticks;
    else if (commOf(path) === 'libuv-worker') pool += ticks;
  }
  let postgres = 0;
  for (const pid of readdirSync('/proc')) {
    if (/^\d+$/.test(pid) && commOf(`/proc/${pid}`) === 'postgres') postgres += ticksOf(`/proc/${pid}/stat`);
  }
  const [, ...cpu] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).map(Number);
  const all = cpu.slice(0, 8).reduce((sum, n) => sum + n, 0);
  const idle = cpu[3]! + cpu[4]!;
  return { main, pool, postgres, busy: all - idle, all };
}

export interface CpuSplit {
  /** CPU milliseconds per operation. */
  mainMs: number;
  poolMs: number;
  postgresMs: number;
  /** Share of the machine's CPU time that was busy (any process). */
  busy: number;
}

/** Starts measuring; the returned function ends it and divides by the operations done meanwhile. */
export function startCpuSplit(serverPid: number): ((operations: number) => CpuSplit) | undefined {
  if (!existsSync(`/proc/${serverPid}/task`) || !existsSync('/proc/stat')) return undefined;
  const before = snapshot(serverPid);
  return (operations) => {
    const after = snapshot(serverPid);
    const perOperation = (key: 'main' | 'pool' | 'postgres') =>
      Math.round(((after[key] - before[key]) / TICKS_PER_SECOND / Math.max(operations, 1)) * 1e5) / 100;
    return {
      mainMs: perOperation('main'),
      poolMs: perOperation('pool'),
      postgresMs: perOperation('postgres'),
      busy: Math.round(((after.busy - before.busy) / Math.max(after.all - before.all, 1)) * 100) / 100,
    };
  };
}
