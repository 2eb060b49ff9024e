import type { Context, ErrorHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { AppError, type ErrorCode } from '#src/shared/errors.ts';
import { adminErrorCode } from './admin-error-codes.ts';
import type { AppEnv } from './http.ts';

/** Unique/foreign-key constraints by name → the code a caller should see (style.md §2.5). */
const CONSTRAINT_CODES: Record<string, ErrorCode> = {
  accounts__email: 'directory.email_in_use',
  organizations__name: 'directory.org_name_in_use',
  customer_organizations__site_id_name: 'servicedesk.organization_name_in_use',
  sites__name: 'directory.site_name_in_use',
  groups__org_id_name: 'directory.group_name_in_use',
  portal_customers__site_id_email: 'customers.email_in_use',
};

interface PgErrorLike {
  code?: string;
  constraint?: string;
}

function findPgError(error: unknown): PgErrorLike | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current; depth++) {
    const candidate = current as PgErrorLike & { cause?: unknown };
    if (typeof candidate.code === 'string' && /^[0-9A-Z]{5}$/.test(candidate.code)) return candidate;
    current = candidate.cause;
  }
  return undefined;
}

/** Turns anything thrown into an AppError; unknown errors become `internal.error` (logged, never shown). */
export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (error instanceof HTTPException) {
    if (error.status === 400)
      return new AppError('request.malformed_json', 'The request body is not valid JSON.');
    if (error.status === 413)
      return new AppError('request.payload_too_large', 'The request body is too large.');
    if (error.status === 404) return new AppError('request.not_found', 'Not found.');
    if (error.status === 415)
      return new AppError(
        'request.unsupported_media_type',
        'Unsupported content type: send the body as application/json.',
      );
    return new AppError('internal.error', error.message, { status: error.status });
  }
  const pg = findPgError(error);
  if (pg?.code === '23505') {
    const code = (pg.constraint && CONSTRAINT_CODES[pg.constraint]) || undefined;
    return new AppError(code ?? 'request.invalid_input', 'That value is already in use.', {
      status: 409,
      cause: error,
    });
  }
  if (pg?.code === '23503')
    return new AppError('request.invalid_input', 'A referenced object does not exist.', {
      status: 422,
      cause: error,
    });
  // The site-user guard trigger refused a reference to a site user that was migrated (docs/ARCHITECTURE.md).
  if (pg?.code === 'GU409')
    return new AppError(
      'migration.person_migrated',
      'This person was migrated to an account while the change was made; use the account instead.',
      { cause: error },
    );
  if (pg?.code === '22P02' || pg?.code === '22003' || pg?.code === '22021')
    return new AppError('request.invalid_input', 'A value has the wrong format.', { cause: error });
  return new AppError('internal.error', 'Internal server error.', { cause: error });
}

export type ErrorRenderer = (c: Context<AppEnv>, error: AppError) => Response | Promise<Response>;

/**
 * The Atlassian Admin API error shape: `{ errors: [{ id, status, code, title, detail, meta }] }`, `code` and
 * `title` as Atlassian's (`ADMIN-404-2`, "Organization not found"); Gatehouse's own `area.reason` code, the
 * per-field details and any data ride in `meta`.
 */
export const renderAdminError: ErrorRenderer = (c, error) => {
  const { code, title } = adminErrorCode(error);
  return c.json(
    {
      errors: [
        {
          id: c.get('requestId'),
          status: String(error.status),
          code,
          title,
          detail: error.message,
          meta: {
            code: error.code,
            ...(error.details ? { details: error.details } : {}),
            ...(error.data ? { data: error.data } : {}),
          },
        },
      ],
    },
    error.status as 400,
  );
};

/** The JSM / Jira error shape: `{ errorMessage, i18nErrorMessage }`. */
export const renderJsmError: ErrorRenderer = (c, error) =>
  c.json(
    {
      errorMessage: error.message,
      i18nErrorMessage: { i18nKey: error.code, parameters: error.details?.map((d) => d.path) ?? [] },
      ...(error.data ? { data: error.data } : {}),
    },
    error.status as 400,
  );

/** Our own JSON shape for routes outside both families (health, auth). */
export const renderPlainError: ErrorRenderer = (c, error) =>
  c.json(
    {
      code: error.code,
      message: error.message,
      ...(error.details ? { details: error.details } : {}),
      ...(error.data ? { data: error.data } : {}),
    },
    error.status as 400,
  );

/** A small HTML error page for the browser surfaces (admin console, portal, agent queue). */
export const renderHtmlError: ErrorRenderer = (c, error) => {
  const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
  const title =
    error.status === 404
      ? 'Not found'
      : error.status === 403
        ? 'Not allowed'
        : error.status >= 500
          ? 'Something went wrong'
          : 'That did not work';
  return c.html(
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title} · Gatehouse</title><link rel="stylesheet" href="/assets/app.css"></head><body><main class="error-page"><h1>${title}</h1><p>${escapeHtml(error.message)}</p><p class="muted">Code: <code>${error.code}</code> · Request <code>${escapeHtml(c.get('requestId') ?? '')}</code></p><p><a href="javascript:history.back()">Go back</a></p></main></body></html>`,
    error.status as 400,
  );
};

/** Which shape a path's errors take. */
export function pickRenderer(path: string): ErrorRenderer {
  if (/^\/admin\/v\d+\//.test(path)) return renderAdminError;
  if (/^\/sites\/[^/]+\/rest\//.test(path)) return renderJsmError;
  if (/^\/admin(\/|$)/.test(path) || /^\/sites\/[^/]+\/(portal|agent)(\/|$)/.test(path))
    return renderHtmlError;
  return renderPlainError;
}

/** One error handler for the whole app, rendering by surface. */
export const errorHandler: ErrorHandler<AppEnv> = (error, c) => {
  const appError = toAppError(error);
  if (appError.status >= 500) {
    c.get('services')?.logger.error({ err: error, requestId: c.get('requestId') }, 'unhandled error');
  }
  return pickRenderer(c.req.path)(c, appError);
};
