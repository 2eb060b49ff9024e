import { type AppError, ERROR_STATUS, type ErrorCode } from '#src/shared/errors.ts';

/** What an Admin API client reads: Atlassian's `ADMIN-<status>-<n>` code and a readable title. */
export interface AdminErrorCode {
  code: string;
  title: string;
}

/**
 * Internal codes with a counterpart in Atlassian's Admin API (`ApplicationError.code`, reference §admin API).
 * Only used when the error keeps its code's default status: the same code answered with another status (a
 * unique violation as `request.invalid_input` 409, say) takes that status's generic code.
 */
const SPECIFIC: Partial<Record<ErrorCode, AdminErrorCode>> = {
  'request.invalid_input': { code: 'ADMIN-400-24', title: 'Invalid request body' },
  'request.malformed_json': { code: 'ADMIN-400-24', title: 'Invalid request body' },
  'directory.org_not_found': { code: 'ADMIN-404-2', title: 'Organization not found' },
  'directory.user_not_found': { code: 'ADMIN-404-8', title: 'User not found' },
  'directory.group_not_found': { code: 'ADMIN-404-10', title: 'Group not found' },
  'audit.event_not_found': { code: 'ADMIN-404-4', title: 'Event not found' },
  'directory.no_seats_left': { code: 'ADMIN-409-3', title: 'License limit exceeded' },
  'request.method_not_allowed': { code: 'ADMIN-405-1', title: 'Method not supported' },
  'request.rate_limited': { code: 'ADMIN-429-1', title: 'Rate limit exceeded' },
  'internal.error': { code: 'ADMIN-500-1', title: 'Internal error' },
};

/**
 * Atlassian's generic code per status (400, 403, 404, 409, 429, 500). The statuses Atlassian documents no code
 * for (401 comes from its gateway; 410, 413, 415, 422, 423, 503 it does not answer) get Gatehouse's own
 * `ADMIN-<status>-1`, listed in the README.
 */
const BY_STATUS: Record<number, AdminErrorCode> = {
  400: { code: 'ADMIN-400-24', title: 'Invalid request' },
  401: { code: 'ADMIN-401-1', title: 'Unauthenticated' },
  403: { code: 'ADMIN-403-3', title: 'Not allowed' },
  404: { code: 'ADMIN-404-1', title: 'Unknown resource' },
  405: { code: 'ADMIN-405-1', title: 'Method not supported' },
  409: { code: 'ADMIN-409-28', title: 'Conflict' },
  410: { code: 'ADMIN-410-1', title: 'Gone' },
  413: { code: 'ADMIN-413-1', title: 'Request body too large' },
  415: { code: 'ADMIN-415-1', title: 'Unsupported content type' },
  422: { code: 'ADMIN-422-1', title: 'Unprocessable request' },
  423: { code: 'ADMIN-423-1', title: 'Locked' },
  429: { code: 'ADMIN-429-1', title: 'Rate limit exceeded' },
  500: { code: 'ADMIN-500-1', title: 'Internal error' },
  503: { code: 'ADMIN-503-1', title: 'Service unavailable' },
};

/** The Atlassian-style code and title of an error answered on `/admin/vN/…`. */
export function adminErrorCode(error: AppError): AdminErrorCode {
  // Atlassian names a bad cursor apart from other bad input (`ADMIN-400-1`).
  if (error.code === 'request.invalid_input' && error.details?.some((d) => d.path === 'cursor'))
    return { code: 'ADMIN-400-1', title: 'Invalid page cursor' };
  const specific = error.status === ERROR_STATUS[error.code] ? SPECIFIC[error.code] : undefined;
  return (
    specific ?? BY_STATUS[error.status] ?? { code: `ADMIN-${error.status}-1`, title: `HTTP ${error.status}` }
  );
}
