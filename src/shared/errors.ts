/**
 * Every error code Gatehouse can answer with, as `<area>.<reason>`, mapped to its default HTTP status.
 * Add a code here first; the edges look its status up, never pick one themselves.
 */
export const ERROR_STATUS = {
  'request.invalid_input': 400,
  'request.malformed_json': 400,
  'request.not_found': 404,
  'request.method_not_allowed': 405,
  'request.payload_too_large': 413,
  'request.unsupported_media_type': 415,
  'request.rate_limited': 429,
  'auth.unauthenticated': 401,
  'auth.invalid_credentials': 401,
  'auth.locked': 423,
  'auth.forbidden': 403,
  'auth.csrf_failed': 403,
  'auth.token_invalid': 400,
  'auth.token_expired': 400,
  'auth.token_used': 400,
  'auth.email_unverified': 403,
  'auth.weak_password': 400,
  'auth.signup_disabled': 403,
  'directory.org_not_found': 404,
  'directory.site_not_found': 404,
  'directory.product_not_found': 404,
  'directory.user_not_found': 404,
  'directory.group_not_found': 404,
  'directory.api_key_not_found': 404,
  'directory.email_in_use': 409,
  'directory.org_name_in_use': 409,
  'directory.site_name_in_use': 409,
  'directory.group_name_in_use': 409,
  'directory.group_is_default': 409,
  'directory.group_rename_forbidden': 400,
  'directory.no_seats_left': 409,
  'directory.portal_only_cannot_join': 400,
  'directory.wrong_experience': 400,
  'directory.not_a_member': 404,
  'directory.last_org_admin': 409,
  'customers.not_found': 404,
  'customers.email_in_use': 409,
  'customers.invalid_state': 409,
  'customers.deleted': 410,
  'servicedesk.not_found': 404,
  'servicedesk.request_type_not_found': 404,
  'servicedesk.request_not_found': 404,
  'servicedesk.comment_not_found': 404,
  'servicedesk.organization_not_found': 404,
  'servicedesk.organization_name_in_use': 409,
  'servicedesk.article_not_found': 404,
  'servicedesk.customer_not_found': 400,
  'servicedesk.sharing_not_allowed': 400,
  'servicedesk.access_not_closed': 400,
  'servicedesk.invalid_transition': 400,
  'servicedesk.approval_not_found': 404,
  'servicedesk.approval_completed': 409,
  'servicedesk.not_an_approver': 403,
  'servicedesk.attachment_not_found': 404,
  'servicedesk.attachment_too_large': 413,
  'servicedesk.attachment_type_not_allowed': 415,
  'servicedesk.feedback_not_found': 404,
  'servicedesk.feedback_not_allowed': 403,
  'servicedesk.queue_not_found': 404,
  'audit.event_not_found': 404,
  'migration.not_found': 404,
  'migration.task_not_found': 404,
  'migration.already_migrated': 409,
  'migration.customer_deleted': 409,
  'migration.customer_revoked': 409,
  'migration.unverified_twin': 409,
  'migration.in_progress': 409,
  'migration.too_many': 400,
  'migration.mixed_sites': 400,
  'migration.not_cancellable': 409,
  'migration.person_migrated': 409,
  'internal.error': 500,
  'internal.unavailable': 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export interface AppErrorOptions {
  /** Overrides the default status of the code. */
  status?: number;
  /** Structured data safe to return to the client (ids, limits). */
  data?: Record<string, unknown>;
  /** Per-field problems, for input errors. */
  details?: Array<{ path: string; message: string }>;
  cause?: unknown;
}

/** The one error type of the domain. `message` is safe to show to the caller. */
export class AppError extends Error {
  readonly status: number;
  readonly data?: Record<string, unknown>;
  readonly details?: Array<{ path: string; message: string }>;

  constructor(
    readonly code: ErrorCode,
    message: string,
    options: AppErrorOptions = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'AppError';
    this.status = options.status ?? ERROR_STATUS[code];
    this.data = options.data;
    this.details = options.details;
  }
}

/** True when `error` is an AppError with one of the given codes. */
export function isAppError(error: unknown, ...codes: ErrorCode[]): error is AppError {
  return error instanceof AppError && (codes.length === 0 || codes.includes(error.code));
}
