import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Config } from '#src/config/env.ts';
import { AppError } from '#src/shared/errors.ts';

/**
 * Attachment contents on disk: one file per attachment under `ATTACHMENTS_DIR` (default `DATA_DIR/attachments`),
 * named by a random key inside the tenant's folder; the database keeps the metadata and the key.
 */

/** Types a file may have: documents, images, text and archives. Active content (HTML, SVG, scripts, executables)
 * is refused, as it could run in a browser that opens the download. */
export const ALLOWED_TYPES = new Set([
  'application/pdf',
  'application/zip',
  'application/json',
  'application/msword',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.ms-excel',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.ms-powerpoint',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  'application/vnd.oasis.opendocument.text',
  'application/vnd.oasis.opendocument.spreadsheet',
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'text/plain',
  'text/csv',
  'message/rfc822',
]);

export function attachmentsDir(config: Pick<Config, 'DATA_DIR' | 'ATTACHMENTS_DIR'>): string {
  return resolve(config.ATTACHMENTS_DIR ?? join(config.DATA_DIR, 'attachments'));
}

/** The media type without parameters, lower-cased (`text/plain; charset=utf-8` → `text/plain`). */
export function baseType(mimeType: string): string {
  return mimeType.split(';')[0]!.trim().toLowerCase();
}

/**
 * Checks a file against the size and type limits.
 * @throws {AppError} `servicedesk.attachment_too_large` (413), `servicedesk.attachment_type_not_allowed` (415),
 *   `request.invalid_input` for an empty file
 */
export function assertAcceptable(
  config: Pick<Config, 'ATTACHMENT_MAX_BYTES'>,
  file: { name: string; size: number; type: string },
): void {
  if (file.size === 0) {
    throw new AppError('request.invalid_input', `${file.name} is empty.`, {
      details: [{ path: 'file', message: 'empty' }],
    });
  }
  if (file.size > config.ATTACHMENT_MAX_BYTES) {
    throw new AppError(
      'servicedesk.attachment_too_large',
      `${file.name} is larger than ${config.ATTACHMENT_MAX_BYTES} bytes.`,
      { data: { maxBytes: config.ATTACHMENT_MAX_BYTES } },
    );
  }
  if (!ALLOWED_TYPES.has(baseType(file.type))) {
    throw new AppError(
      'servicedesk.attachment_type_not_allowed',
      `Files of type "${baseType(file.type) || 'unknown'}" cannot be attached.`,
      { data: { allowed: [...ALLOWED_TYPES] } },
    );
  }
}

/** Writes a file's content; returns its storage key (`<org>/<random>`). */
export async function storeFile(dir: string, orgId: string, content: Uint8Array): Promise<string> {
  const key = `${orgId.replace(/[^A-Za-z0-9_-]/g, '_')}/${randomUUID()}`;
  await mkdir(join(dir, key, '..'), { recursive: true });
  await writeFile(join(dir, key), content, { flag: 'wx' });
  return key;
}

export async function readStoredFile(dir: string, key: string): Promise<Buffer> {
  return readFile(join(dir, key));
}

/** Removes a stored file (after a failed insert); a missing file is fine. */
export async function removeStoredFile(dir: string, key: string): Promise<void> {
  await rm(join(dir, key), { force: true });
}
