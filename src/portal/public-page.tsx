import type { Child } from 'hono/jsx';
import { type FieldErrors, formErrorsOf } from '#src/web/ui/forms.ts';
import { PublicPageView } from './portal-auth.views.tsx';
import { type PortalContext, siteOf } from './portal-context.ts';

/** A small public page (sign-up, reset, verify) in the site's portal frame or the plain frame. */
export async function publicPage(c: PortalContext, title: string, body: Child, status = 200) {
  const site = c.req.param('site') ? await siteOf(c) : undefined;
  return c.html(
    <PublicPageView site={site} title={title}>
      {body}
    </PublicPageView>,
    status as 200,
  );
}

/** Token errors are shown on the page (never an error page): the link was wrong, used or expired. */
export function tokenErrors(error: unknown): FieldErrors {
  return formErrorsOf(error);
}
