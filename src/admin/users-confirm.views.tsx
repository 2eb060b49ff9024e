import type { UserDetail } from '#src/domain/directory/user-detail.ts';
import type { OrgPage } from './admin-context.ts';
import type { Confirmation } from './confirm.views.tsx';

/**
 * What the user page asks before it removes access, in the article's terms: in the centralized experience
 * "Suspend access" is organization access (every site and product), in the original one "Has access on site" is
 * one site's access.
 */
export function confirmSuspend(page: OrgPage, detail: UserDetail): Confirmation {
  const { account } = detail;
  return {
    title: 'Suspend access',
    button: `Suspend ${account.name}’s access`,
    explain: (
      <>
        <p>
          <strong>{account.name}</strong> ({account.email}) loses access to{' '}
          <strong>every site and product</strong> of {page.org.name} at once. In centralized user management
          this is organization access, not one site’s.
        </p>
        <ul>
          <li>
            They stay in their groups and keep their product roles; you are not billed for them meanwhile.
          </li>
          <li>They can’t be picked as an assignee while suspended.</li>
          <li>
            <strong>Restore access</strong> on this page gives everything back, as it was.
          </li>
        </ul>
      </>
    ),
  };
}

export function confirmSiteAccessOff(
  page: OrgPage,
  detail: UserDetail,
  site: UserDetail['siteAccess'][number],
): Confirmation {
  const { account } = detail;
  return {
    title: 'Turn off access on site',
    button: `Turn off access on ${site.siteName}`,
    fields: { siteId: site.siteId, hasAccess: 'off' },
    explain: (
      <>
        <p>
          <strong>{account.name}</strong> ({account.email}) can no longer use the site{' '}
          <strong>{site.siteName}</strong>. Only this site changes: their access to other sites of{' '}
          {page.org.name} stays as it is.
        </p>
        <p>
          Their product roles and groups are kept. Turn <strong>Has access on site</strong> back on to give
          access again.
        </p>
      </>
    ),
  };
}

export function confirmRemoveProduct(
  detail: UserDetail,
  held: UserDetail['productAccess'][number],
  fields: { productId: string; role: string },
): Confirmation {
  const role = held.role.charAt(0).toUpperCase() + held.role.slice(1);
  return {
    title: 'Remove product access',
    button: `Remove the ${role} role`,
    fields,
    explain: (
      <p>
        <strong>{detail.account.name}</strong> loses the <strong>{role}</strong> role on{' '}
        <strong>{held.productName}</strong> at once
        {held.role === 'customer' ? '' : ', which frees a seat'}. Grant access again to give it back.
      </p>
    ),
  };
}
