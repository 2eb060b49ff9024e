/**
 * Every job name with its payload type. Domain code enqueues by these names through `queue.ts`;
 * handlers live in `definitions/` so the domain never imports them (no cycles).
 */
export interface JobPayloads {
  /** Deliver one queued message of the mail outbox. */
  'mail.deliver': { messageId: string };
  /** Run (or resume) a migration task: customers not yet finished are migrated one by one. */
  'migration.run-task': { taskId: string };
  /** Delete expired sessions, used/expired tokens and old rate-limit and lockout rows (scheduled). */
  'accounts.sweep': Record<string, unknown>;
}

export type JobName = keyof JobPayloads;
