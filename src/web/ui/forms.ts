import type { Context } from 'hono';
import type { z } from 'zod';
import { AppError } from '#src/shared/errors.ts';
import type { AppEnv } from '#src/web/http.ts';

export type FieldErrors = Record<string, string>;

/** The form body as strings (repeated fields as arrays under `all`). Never throws: a bad body is an empty form. */
export async function readForm(
  c: Context<AppEnv>,
): Promise<{ get(name: string): string; all(name: string): string[] }> {
  const body = (await c.req.parseBody({ all: true }).catch(() => ({}))) as Record<string, unknown>;
  const values = (name: string): string[] => {
    const raw = body[name];
    const list = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
    // A NUL byte can never be stored in PostgreSQL text: drop it rather than fail.
    return list.filter((v): v is string => typeof v === 'string').map((v) => v.replace(/\0/g, ''));
  };
  return { get: (name) => values(name)[0] ?? '', all: values };
}

/** Validates a form with a zod schema: the data, or per-field messages to show next to the inputs. */
export function validateForm<T extends z.ZodType>(
  schema: T,
  input: unknown,
): { ok: true; data: z.infer<T> } | { ok: false; errors: FieldErrors } {
  const result = schema.safeParse(input);
  if (result.success) return { ok: true, data: result.data };
  const errors: FieldErrors = {};
  for (const issue of result.error.issues) {
    const key = issue.path.join('.') || '_form';
    errors[key] ??= issue.message;
  }
  return { ok: false, errors };
}

/**
 * A domain refusal shown on the form instead of an error page: field details go next to their fields, the
 * message to the form's summary. Errors that are not the caller's input (403/404/5xx) are rethrown.
 */
export function formErrorsOf(error: unknown, fieldOf: (path: string) => string = (p) => p): FieldErrors {
  if (!(error instanceof AppError) || error.status >= 500 || [401, 403, 404].includes(error.status))
    throw error;
  const errors: FieldErrors = { _form: error.message };
  for (const detail of error.details ?? []) errors[fieldOf(detail.path)] ??= detail.message;
  return errors;
}
