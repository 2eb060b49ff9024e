import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import cliProgress from 'cli-progress';
import { InvalidArgumentError } from 'commander';
import { type MigrationReportRow, migrationReportCsv } from '#src/domain/migration/migration-report.ts';
import { describeUnreachable } from './remote.ts';

/** Most customers per API call (the server refuses more with `migration.too_many`). */
const BATCH = 1000;

export interface MigrateOptions {
  site: string;
  all?: boolean;
  emailsFile?: string;
  ids?: string[];
  dryRun?: boolean;
  includeRevoked?: boolean;
  url?: string;
  apiKey?: string;
  org?: string;
  report?: string;
  poll: string;
  yes?: boolean;
}

// biome-ignore lint/suspicious/noExplicitAny: untyped JSON of the admin API, read field by field below
type Json = Record<string, any>;

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** A small client of the admin API: Bearer org API key, JSON in and out, errors as ApiError. */
function createClient(baseUrl: string, apiKey: string) {
  const base = baseUrl.replace(/\/$/, '');
  return async function call(method: string, path: string, body?: unknown): Promise<Json> {
    let response: Response;
    try {
      response = await fetch(`${base}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${apiKey}`,
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (error) {
      throw new ApiError(0, 'unreachable', describeUnreachable(base, error));
    }
    const text = await response.text();
    let parsed: Json = {};
    try {
      parsed = text ? (JSON.parse(text) as Json) : {};
    } catch {
      parsed = { raw: text };
    }
    if (!response.ok) {
      const error = parsed.errors?.[0];
      // Gatehouse's own code (meta.code) says more than Atlassian's ADMIN-<status>-<n>.
      const code: string | undefined = error?.meta?.code ?? error?.code;
      throw new ApiError(
        response.status,
        code ?? `http_${response.status}`,
        `${method} ${path} → ${response.status} ${code ?? ''}: ${error?.detail ?? text.slice(0, 200)}`,
      );
    }
    return parsed;
  };
}

type Call = ReturnType<typeof createClient>;

/** Asks on the terminal; only "yes" goes on. */
async function confirm(question: string): Promise<boolean> {
  const { createInterface } = await import('node:readline/promises');
  const readline = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return (await readline.question(question)).trim().toLowerCase() === 'yes';
  } finally {
    readline.close();
  }
}

/** Finds the org and site the key can reach by the site's name. */
async function resolveSite(call: Call, siteName: string, orgId?: string) {
  const orgIds: string[] = orgId
    ? [orgId]
    : ((await call('GET', '/admin/v1/orgs')).data ?? []).map((o: Json) => o.id);
  for (const id of orgIds) {
    const sites = (await call('GET', `/admin/v1/orgs/${id}/sites`)).data as Array<{
      id: string;
      name: string;
    }>;
    const site = sites.find((s) => s.name.toLowerCase() === siteName.toLowerCase());
    if (site) return { orgId: id, siteId: site.id, siteName: site.name };
  }
  throw new InvalidArgumentError(`No site named "${siteName}" in the organization of this API key.`);
}

/** Every id of the site's migratable customers, page by page. */
async function listAllCustomerIds(call: Call, base: string, includeRevoked: boolean): Promise<string[]> {
  const ids: string[] = [];
  let next: string | undefined = `${base}/migratable-customers?limit=1000&includeRevoked=${includeRevoked}`;
  while (next) {
    const page = await call('GET', next);
    ids.push(...page.data.map((c: Json) => c.id as string));
    next = page.links?.next;
  }
  return ids;
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Where a preview or report goes: the --report path, else DATA_DIR/reports/ (never the current folder, where a
 * stray JSON file would end up in a checkout and its lint). The folder is created when missing.
 */
export function reportPath(requested: string | undefined, defaultName: string): string {
  const file = requested ?? join(process.env.DATA_DIR || './data', 'reports', defaultName);
  mkdirSync(dirname(file), { recursive: true });
  return file;
}

function print(line: string): void {
  process.stdout.write(`${line}\n`);
}

/** Runs `customers migrate`; returns the exit code. */
export async function runMigrate(options: MigrateOptions): Promise<number> {
  const url = options.url ?? process.env.GATEHOUSE_URL ?? 'http://127.0.0.1:8080';
  const apiKey = options.apiKey ?? process.env.GATEHOUSE_API_KEY;
  if (!apiKey) throw new InvalidArgumentError('Give an org API key: --api-key or GATEHOUSE_API_KEY.');
  const sources = [options.all, options.emailsFile, options.ids?.length].filter(Boolean).length;
  if (sources !== 1)
    throw new InvalidArgumentError('Say which customers: exactly one of --all, --emails-file, --ids.');
  const pollMs = Math.max(100, Number(options.poll) || 500);
  const call = createClient(url, apiKey);
  const site = await resolveSite(call, options.site, options.org);
  const base = `/admin/v1/orgs/${site.orgId}/sites/${site.siteId}`;

  let selection: Array<{ customerIds?: string[]; emails?: string[] }>;
  let total: number;
  if (options.emailsFile) {
    const emails = readFileSync(options.emailsFile, 'utf8')
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter((line) => line && !line.startsWith('#'));
    total = emails.length;
    selection = chunks(emails, BATCH).map((batch) => ({ emails: batch }));
  } else {
    const ids = options.all
      ? await listAllCustomerIds(call, base, Boolean(options.includeRevoked))
      : options.ids!;
    total = ids.length;
    selection = chunks(ids, BATCH).map((batch) => ({ customerIds: batch }));
  }
  if (total === 0) {
    print(`No customers to migrate on ${site.siteName}.`);
    return 0;
  }
  const includeRevoked = Boolean(options.includeRevoked);
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');

  if (options.dryRun) {
    const summary = { total: 0, link: 0, create: 0, refuse: 0, requests: 0, comments: 0 };
    const conflicts: Record<string, number> = {};
    const customers: Json[] = [];
    let licence: Json | undefined;
    for (const batch of selection) {
      const plan = await call('POST', `${base}/migrations/preview`, { ...batch, includeRevoked });
      summary.total += plan.summary.total;
      summary.link += plan.summary.link;
      summary.create += plan.summary.create;
      summary.refuse += plan.summary.refuse;
      summary.requests += plan.summary.counts.requests;
      summary.comments += plan.summary.counts.comments;
      for (const [code, n] of Object.entries(plan.summary.conflicts as Record<string, number>))
        conflicts[code] = (conflicts[code] ?? 0) + n;
      customers.push(...plan.customers);
      licence = {
        ...plan.licence,
        seatsNeededForAgentAccess:
          (licence?.seatsNeededForAgentAccess ?? 0) + plan.licence.seatsNeededForAgentAccess,
      };
    }
    print(`Dry run on ${site.siteName}: ${summary.total} customers (nothing was changed).`);
    print(`  link to existing accounts: ${summary.link}`);
    print(`  create new accounts:       ${summary.create}`);
    print(
      `  refused:                   ${summary.refuse}${Object.keys(conflicts).length ? ` ${JSON.stringify(conflicts)}` : ''}`,
    );
    print(`  requests moving: ${summary.requests}, comments moving: ${summary.comments}`);
    print(
      `  licence: the migration uses 0 seats; JSM agent access for all would need ${licence?.seatsNeededForAgentAccess} of ${licence?.seatsLeft ?? '?'} seats left`,
    );
    const file = reportPath(options.report, `migration-preview-${stamp}.json`);
    writeFileSync(file, JSON.stringify({ site, summary, conflicts, licence, customers }, null, 2));
    print(`Preview written to ${file}`);
    return 0;
  }

  if (process.stdin.isTTY && process.stdout.isTTY && !options.yes) {
    const confirmed = await confirm(
      `Migrate ${total} customer${total === 1 ? '' : 's'} of ${site.siteName} to accounts? This cannot be undone ` +
        '(--dry-run previews it). Type "yes" to go on: ',
    );
    if (!confirmed) {
      print('Nothing was changed.');
      return 1;
    }
  }

  const isTty = Boolean(process.stdout.isTTY);
  const bar = new cliProgress.SingleBar(
    {
      format: 'Migrating [{bar}] {value}/{total} customers | {failed} failed | task {task}',
      hideCursor: true,
    },
    cliProgress.Presets.shades_classic,
  );
  if (isTty) bar.start(total, 0, { failed: 0, task: '-' });
  let cancelRequested = false;
  let currentTask: string | undefined;
  const onSigint = () => {
    if (cancelRequested) process.exit(130);
    cancelRequested = true;
    process.stderr.write(
      '\nCancelling: customers already migrated stay migrated (Ctrl-C again to quit now)…\n',
    );
    if (currentTask) void call('POST', `${base}/migrations/${currentTask}/cancel`).catch(() => {});
  };
  process.on('SIGINT', onSigint);
  const rows: MigrationReportRow[] = [];
  let doneBefore = 0;
  let failedBefore = 0;
  try {
    for (const batch of selection) {
      if (cancelRequested) break;
      const task = await call('POST', `${base}/migrations`, { ...batch, includeRevoked });
      currentTask = task.taskId as string;
      if (cancelRequested) await call('POST', `${base}/migrations/${currentTask}/cancel`).catch(() => {});
      let state: Json = task;
      for (;;) {
        const view = await call('GET', `${base}/migrations/${currentTask}?limit=1`);
        state = view.task;
        const c = state.counts;
        if (isTty)
          bar.update(doneBefore + c.succeeded + c.failed + c.cancelled + c.skipped, {
            failed: failedBefore + c.failed,
            task: currentTask.slice(0, 8),
          });
        if (!['queued', 'running'].includes(state.status)) break;
        await sleep(pollMs);
      }
      const report = await call('GET', `${base}/migrations/${currentTask}/report?format=json`);
      rows.push(...(report.customers as MigrationReportRow[]));
      doneBefore += state.counts.total;
      failedBefore += state.counts.failed;
      if (!isTty)
        print(
          `task ${currentTask}: ${state.status} (${state.counts.succeeded}/${state.counts.total} migrated)`,
        );
    }
  } finally {
    if (isTty) bar.stop();
    process.off('SIGINT', onSigint);
  }

  const count = (status: string) => rows.filter((r) => r.status === status).length;
  const byCode: Record<string, number> = {};
  for (const r of rows) if (r.errorCode) byCode[r.errorCode] = (byCode[r.errorCode] ?? 0) + 1;
  const notSent = total - rows.length;
  print(
    `Migration on ${site.siteName}: ${count('succeeded')} migrated, ${count('failed')} failed, ${count('cancelled') + notSent} cancelled (of ${total}).`,
  );
  for (const [code, n] of Object.entries(byCode)) print(`  ${code}: ${n}`);
  const file = reportPath(options.report, `migration-report-${stamp}.csv`);
  writeFileSync(file, file.endsWith('.json') ? JSON.stringify(rows, null, 2) : migrationReportCsv(rows));
  print(`Report written to ${file}`);
  if (cancelRequested) return 130;
  return count('failed') > 0 ? 2 : 0;
}
