import type { ProductKey, ProductRole } from '#src/db/schema/index.ts';

/** Default access groups created with each product on a site (reference F42), by role. */
export function defaultGroupNames(
  productKey: ProductKey,
  siteName: string,
): Array<{ role: ProductRole; name: string }> {
  const site = siteName.toLowerCase();
  if (productKey === 'jira-servicemanagement') {
    return [
      { role: 'customer', name: customerGroupName(site) },
      { role: 'user', name: `jira-servicemanagement-users-${site}` },
      { role: 'admin', name: `jira-servicemanagement-admins-${site}` },
    ];
  }
  const prefix = productKey === 'jira-software' ? 'jira-software' : 'confluence';
  return [
    { role: 'user', name: `${prefix}-users-${site}` },
    { role: 'admin', name: `${prefix}-admins-${site}` },
  ];
}

/** The group that grants the free JSM Customer role on a site (design.md §3 step 5): this, then the site's name. */
export const CUSTOMER_GROUP_PREFIX = 'jira-servicemanagement-customers-';

export function customerGroupName(siteName: string): string {
  return `${CUSTOMER_GROUP_PREFIX}${siteName.toLowerCase()}`;
}

export const PRODUCT_NAMES: Record<ProductKey, string> = {
  'jira-servicemanagement': 'Jira Service Management',
  'jira-software': 'Jira',
  confluence: 'Confluence',
};
