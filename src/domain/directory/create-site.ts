import type { Executor } from '#src/db/client.ts';
import { insertGroup } from '#src/db/queries/directory/groups.queries.ts';
import { insertProduct, type ProductRow } from '#src/db/queries/directory/products.queries.ts';
import { insertSite, type SiteRow } from '#src/db/queries/directory/sites.queries.ts';
import type { ProductKey } from '#src/db/schema/index.ts';
import { newId } from '#src/shared/ids.ts';
import { recordEvent } from '../audit/record-event.ts';
import type { Actor } from '../policies/actor.ts';
import type { AppServices } from '../services.ts';
import { defaultGroupNames, PRODUCT_NAMES } from './default-groups.ts';

export const SITE_NAME_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

export interface CreateSiteInput {
  orgId: string;
  /** Lowercase letters, digits and hyphens, like a hostname label. */
  name: string;
  products: Array<{ key: ProductKey; seatLimit: number }>;
}

/** Creates a site with its products, licences and each product's default access groups. */
export async function createSite(
  services: Pick<AppServices, 'db' | 'clock'>,
  actor: Actor,
  input: CreateSiteInput,
  tx?: Executor,
): Promise<{ site: SiteRow; products: ProductRow[] }> {
  const run = async (db: Executor) => {
    const site = await insertSite(db, { id: newId(), orgId: input.orgId, name: input.name });
    const products: ProductRow[] = [];
    for (const { key, seatLimit } of input.products) {
      const product = await insertProduct(db, {
        id: newId(),
        orgId: input.orgId,
        siteId: site.id,
        key,
        name: PRODUCT_NAMES[key],
        seatLimit,
      });
      products.push(product);
      for (const group of defaultGroupNames(key, site.name)) {
        await insertGroup(db, {
          id: newId(),
          orgId: input.orgId,
          siteId: site.id,
          name: group.name,
          description:
            group.role === 'customer'
              ? `Grants the ${product.name} Customer role on ${site.name}. No product access.`
              : `Default access group: ${product.name} ${group.role} on ${site.name}.`,
          isDefault: true,
          productId: product.id,
          role: group.role,
        });
      }
    }
    await recordEvent(db, services.clock, {
      orgId: input.orgId,
      action: 'site.created',
      actor,
      target: { type: 'site', id: site.id },
      siteId: site.id,
      data: { name: site.name, products: input.products },
    });
    return { site, products };
  };
  return tx ? run(tx) : services.db.transaction(run);
}
