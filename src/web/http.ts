import { OpenAPIHono } from '@hono/zod-openapi';
import type { ResolvedSession } from '#src/domain/accounts/sessions.ts';
import type { Actor } from '#src/domain/policies/actor.ts';
import type { AppServices } from '#src/domain/services.ts';
import { AppError } from '#src/shared/errors.ts';

/** Variables every request carries through the middleware chain. */
export interface AppEnv {
  Variables: {
    services: AppServices;
    requestId: string;
    actor: Actor;
    /** The browser session that authenticated the request (set by the session middleware). */
    session?: ResolvedSession;
  };
}

/**
 * A router whose zod validation failures become `request.invalid_input` AppErrors with per-field details;
 * the surface's error handler renders them in its own shape.
 */
export function createRouter(): OpenAPIHono<AppEnv> {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) {
        const details = result.error.issues.map((issue) => ({
          path: issue.path.join('.') || '(root)',
          message: issue.message,
        }));
        throw new AppError(
          'request.invalid_input',
          `Invalid input: ${details.map((d) => `${d.path}: ${d.message}`).join('; ')}`,
          { details },
        );
      }
    },
  });
}
