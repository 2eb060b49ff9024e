import type { FC } from 'hono/jsx';
import type { SiteRow } from '#src/db/queries/directory/sites.queries.ts';
import { DataTable } from '#src/web/ui/data-table.tsx';
import type { OrgPage } from './admin-context.ts';
import { AdminShell, orgHref, siteHref } from './admin-shell.tsx';

/** Licences and seats of the site's products. */
export const LicencesView: FC<{
  page: OrgPage;
  site: SiteRow;
  currentPath: string;
  licences: { product: { name: string; seatLimit: number }; seatsUsed: number; seatsAvailable: number }[];
}> = ({ page, site, currentPath, licences }) => (
  <AdminShell
    page={page}
    title="Product access"
    section="products"
    site={site.name}
    currentPath={currentPath}
    crumbs={[
      { label: 'Products', href: orgHref(page.org.id, '/products') },
      { label: site.name, href: siteHref(page.org.id, site.name) },
      { label: 'Product access' },
    ]}
  >
    <DataTable
      wrap={false}
      caption={`Licences on ${site.name}`}
      showCaption
      rows={licences}
      columns={[
        { header: 'Product', cell: (l) => l.product.name },
        {
          header: 'Seats used',
          cell: (l) => (
            <>
              {l.seatsUsed} of {l.product.seatLimit}
            </>
          ),
        },
        { header: 'Seats available', cell: (l) => l.seatsAvailable },
      ]}
    />
  </AdminShell>
);
