import { describe, expect, it } from 'vitest';
import type { AppServices } from '#src/domain/services.ts';
import { beginInteractiveWork } from '#src/shared/interactive-work.ts';
import { migrationBatchCustomers } from './run-migration-task.ts';

const on = (driver: 'pglite' | 'postgres', batch?: number) =>
  ({ config: { MIGRATION_BATCH_CUSTOMERS: batch }, database: { driver } }) as unknown as Pick<
    AppServices,
    'config' | 'database'
  >;

describe('migration batch size', () => {
  it('shrinks on PGlite while requests are served, and only there', () => {
    const end = beginInteractiveWork();
    try {
      expect(migrationBatchCustomers(on('pglite'))).toBe(5);
      expect(migrationBatchCustomers(on('postgres'))).toBe(50);
      expect(migrationBatchCustomers(on('pglite', 30))).toBe(30);
    } finally {
      end();
    }
  });

  it('is 50 when no request came for a second', async () => {
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect(migrationBatchCustomers(on('pglite'))).toBe(50);
  });
});
