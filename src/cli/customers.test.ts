import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildCustomerWithHistory, buildMigrationTenant } from '#src/test/factories/migration.ts';
import { findInvariantViolations } from '#src/test/helpers/invariants.ts';
import { createTestServer, type TestServer } from '#src/test/helpers/server.ts';
import { runMigrate } from './customers-migrate.ts';

let server: TestServer;
let http: ReturnType<typeof serve>;
let url: string;
const dir = mkdtempSync(join(tmpdir(), 'gatehouse-cli-'));

beforeAll(async () => {
  server = await createTestServer({ workers: true });
  await new Promise<void>((resolve) => {
    http = serve({ fetch: server.app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve());
  });
  url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => http.close(() => resolve()));
  await server.close();
});

describe('gatehouse customers migrate (HTTP client)', () => {
  it('previews, then migrates every customer of a site by name and writes the report', async () => {
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      const t = await buildMigrationTenant(server.services);
      const made = [
        await buildCustomerWithHistory(server.services, t),
        await buildCustomerWithHistory(server.services, t),
      ];
      const common = { site: t.site.name, url, apiKey: t.apiKey, poll: '100' };

      const preview = join(dir, 'preview.json');
      expect(await runMigrate({ ...common, all: true, dryRun: true, report: preview })).toBe(0);
      const plan = JSON.parse(readFileSync(preview, 'utf8'));
      expect(plan.summary).toMatchObject({ total: 2, create: 2, refuse: 0, requests: 10 });

      const emails = join(dir, 'emails.txt');
      writeFileSync(emails, `# first one only\n${made[0]!.customer.email}\n\n`);
      const first = join(dir, 'first.csv');
      expect(await runMigrate({ ...common, emailsFile: emails, report: first })).toBe(0);
      expect(readFileSync(first, 'utf8').trim().split('\r\n')).toHaveLength(2);

      const report = join(dir, 'report.csv');
      expect(await runMigrate({ ...common, all: true, report })).toBe(0);
      const lines = readFileSync(report, 'utf8').trim().split('\r\n');
      // The one report of every surface (domain/migration/migration-report.ts), one row per customer.
      const header = lines[0]!.split(',');
      expect(header.slice(0, 4)).toEqual(['position', 'customerId', 'email', 'status']);
      expect(header.at(-1)).toBe('taskId');
      expect(lines.slice(1).map((l) => l.split(',')[header.indexOf('customerId')])).toEqual([
        made[1]!.customer.id,
      ]);
      expect(lines[1]).toContain(',succeeded,created,');

      // Already migrated customers are refused per customer: exit code 2 and the code in the report.
      const again = join(dir, 'again.json');
      expect(await runMigrate({ ...common, ids: [made[0]!.customer.id], report: again })).toBe(2);
      expect(JSON.parse(readFileSync(again, 'utf8'))[0].errorCode).toBe('migration.already_migrated');
      expect(await findInvariantViolations(server.services.db, t.org.id)).toEqual([]);
    } finally {
      out.mockRestore();
    }
  });

  it('refuses an unknown site and a missing key', async () => {
    const t = await buildMigrationTenant(server.services);
    await expect(
      runMigrate({ site: 'no-such-site', url, apiKey: t.apiKey, all: true, poll: '100' }),
    ).rejects.toThrow(/No site named/);
    const saved = process.env.GATEHOUSE_API_KEY;
    delete process.env.GATEHOUSE_API_KEY;
    await expect(runMigrate({ site: t.site.name, url, all: true, poll: '100' })).rejects.toThrow(/API key/);
    if (saved) process.env.GATEHOUSE_API_KEY = saved;
  });

  it('names the URL and the cause when the server cannot be reached', async () => {
    // A port that was free a moment ago: nothing listens there, so the connection is refused.
    const closed = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as AddressInfo;
        probe.close(() => resolve(port));
      });
    });
    const down = `http://127.0.0.1:${closed}`;
    await expect(
      runMigrate({ site: 'acme', url: down, apiKey: 'ghk_x', all: true, poll: '100' }),
    ).rejects.toThrow(`Cannot reach Gatehouse at ${down} (connect ECONNREFUSED 127.0.0.1:${closed})`);
  });

  it('writes the dry-run preview under DATA_DIR/reports when no --report is given, not in the current folder', async () => {
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const saved = process.env.DATA_DIR;
    process.env.DATA_DIR = join(dir, 'data');
    try {
      const t = await buildMigrationTenant(server.services);
      await buildCustomerWithHistory(server.services, t);
      const before = readdirSync(process.cwd());
      const common = { site: t.site.name, url, apiKey: t.apiKey, poll: '100' };
      expect(await runMigrate({ ...common, all: true, dryRun: true })).toBe(0);
      const written = readdirSync(join(dir, 'data', 'reports'));
      expect(written).toHaveLength(1);
      expect(written[0]).toMatch(/^migration-preview-.*\.json$/);
      expect(readdirSync(process.cwd())).toEqual(before);
      expect(out.mock.calls.flat().join('')).toContain(
        `Preview written to ${join(dir, 'data', 'reports', written[0]!)}`,
      );
    } finally {
      if (saved === undefined) delete process.env.DATA_DIR;
      else process.env.DATA_DIR = saved;
      out.mockRestore();
    }
  });
});
