import { index, integer, pgTable, text } from 'drizzle-orm/pg-core';
import { createdAt, updatedAt } from './columns.ts';
import { organizations } from './organizations.ts';
import { serviceDesks } from './service-desks.ts';
import { sites } from './sites.ts';

/** Knowledge-base articles. `body_html` is sanitized on write. */
export const kbArticles = pgTable(
  'kb_articles',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    orgId: text('org_id')
      .notNull()
      .references(() => organizations.id),
    siteId: text('site_id')
      .notNull()
      .references(() => sites.id),
    serviceDeskId: integer('service_desk_id').references(() => serviceDesks.id),
    title: text('title').notNull(),
    bodyHtml: text('body_html').notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('kb_articles__site_id').on(t.siteId)],
);
