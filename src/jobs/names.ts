/**
 * Every job name with its payload type. Domain code enqueues by these names through `queue.ts`;
 * handlers live in `definitions/` so the domain never imports them (no cycles).
 */
export interface JobPayloads {
  /** Deliver one queued message of the mail outbox. */
  'mail.deliver': { messageId: string };
  /** Run (or resume) a migration task: customers not yet finished are migrated one by one. */
  'migration.run-task': { taskId: string };
  /** Look the email up and mail an account's reset link (off the request path: no enumeration by timing). */
  'accounts.send-reset-mail': { email: string; ip: string | null };
  /** The same for a site's portal-only customer. */
  'customers.send-reset-mail': { orgId: string; siteId: string; email: string; ip: string | null };
  /** Delete expired sessions, used/expired tokens and old rate-limit and lockout rows (scheduled). */
  'accounts.sweep': Record<string, unknown>;
}

export type JobName = keyof JobPayloads;
