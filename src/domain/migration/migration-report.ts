import type { listTaskItems } from '#src/db/queries/migration/migration-task-items.queries.ts';
import type { MigrationCounts } from '#src/db/schema/index.ts';

type TaskItem = Awaited<ReturnType<typeof listTaskItems>>[number];

/**
 * One customer of a migration task as every report shows it: the Admin API's JSON (`report`, the task's
 * items), the console's CSV download and the CLI's report file are all built from these rows.
 */
export interface MigrationReportRow {
  taskId: string;
  position: number;
  customerId: string;
  email: string | null;
  displayName: string | null;
  status: 'pending' | 'succeeded' | 'failed' | 'skipped' | 'cancelled';
  outcome: 'linked' | 'created' | null;
  accountId: string | null;
  oldUserKey: string | null;
  newUserKey: string | null;
  errorCode: string | null;
  errorMessage: string | null;
  counts: MigrationCounts | null;
  finishedAt: string | null;
}

export function migrationReportRow(row: TaskItem): MigrationReportRow {
  const { item } = row;
  return {
    taskId: item.taskId,
    position: item.position,
    customerId: item.customerId,
    email: row.email,
    displayName: row.displayName,
    status: item.status,
    outcome: item.outcome,
    accountId: item.accountId,
    oldUserKey: row.oldUserKey,
    newUserKey: row.newUserKey,
    errorCode: item.errorCode,
    errorMessage: item.errorMessage,
    counts: item.counts,
    finishedAt: item.finishedAt ? item.finishedAt.toISOString() : null,
  };
}

/** The report's CSV columns, in order; the counts are flattened into their own columns. */
export const MIGRATION_REPORT_COLUMNS = [
  'position',
  'customerId',
  'email',
  'status',
  'outcome',
  'accountId',
  'oldUserKey',
  'newUserKey',
  'errorCode',
  'errorMessage',
  'requests',
  'comments',
  'participants',
  'approvals',
  'organizationMemberships',
  'serviceDeskMemberships',
  'displayName',
  'taskId',
] as const;

function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  // Neutralize spreadsheet formulas (CSV injection).
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The report as CSV (RFC 4180, header row first, CRLF line ends). */
export function migrationReportCsv(rows: MigrationReportRow[]): string {
  const lines = [MIGRATION_REPORT_COLUMNS.join(',')];
  for (const row of rows) {
    const flat: Record<string, unknown> = { ...row, ...(row.counts ?? {}) };
    lines.push(MIGRATION_REPORT_COLUMNS.map((column) => csvCell(flat[column])).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}
