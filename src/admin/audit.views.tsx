import type { AuditEventRow } from '#src/db/queries/audit/audit-events.queries.ts';
import type { EventParties } from '#src/domain/audit/describe-event-parties.ts';
import { presentCustomerName } from '#src/domain/customers/customer-display.ts';
import { DataTable } from '#src/web/ui/data-table.tsx';
import type { OrgPage } from './admin-context.ts';
import { migrationTaskHref, orgHref, siteHref, userHref } from './admin-shell.tsx';

const when = (d: Date) => d.toISOString().slice(0, 16).replace('T', ' ');

/** "customer.migrated" → "Customer migrated": the action as a sentence, the code kept for filtering. */
const actionLabel = (action: string) => {
  const words = action.replace(/[._]/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
};

/**
 * One id of an event as a person reads it: a name and email linking to their page (account, portal-only
 * customer), an API key's name, or the type and id when nothing of this org matches.
 */
function Party({
  page,
  type,
  id,
  siteName,
  parties,
}: {
  page: OrgPage;
  type: string | null;
  id: string | null;
  siteName?: string;
  parties: EventParties;
}) {
  if (type === 'system') return <span>Gatehouse (system)</span>;
  if (type === 'anonymous') return <span class="muted">Anonymous</span>;
  if (!id) return <span class="muted">—</span>;
  const party = parties.get(id);
  if (party?.kind === 'account') {
    // Original experience: user pages live under a site; the event's site, else the first one the admin sees.
    const site = siteName ?? page.sites[0]?.name ?? '';
    return (
      <span>
        <a href={userHref(page.org, site, party.id)}>{party.name}</a>
        <br />
        <span class="muted">{party.email}</span>
      </span>
    );
  }
  if (party?.kind === 'customer') {
    const shown = presentCustomerName({ displayName: party.name, status: party.status });
    return (
      <span>
        <a href={siteHref(page.org.id, party.siteName, `/jsm/customers/${encodeURIComponent(party.id)}`)}>
          {shown.displayName}
        </a>
        <br />
        <span class="muted">
          Portal-only customer{shown.showEmail && party.email ? ` · ${party.email}` : ''}
        </span>
      </span>
    );
  }
  if (party?.kind === 'api_key')
    return (
      <span>
        API key <a href={orgHref(page.org.id, '/api-keys')}>{party.name}</a>
      </span>
    );
  const site = type === 'site' ? page.sites.find((s) => s.id === id) : undefined;
  if (site)
    return (
      <span>
        Site <a href={siteHref(page.org.id, site.name)}>{site.name}</a>
      </span>
    );
  if (type === 'org' && id === page.org.id)
    return (
      <span>
        Organization <a href={orgHref(page.org.id)}>{page.org.name}</a>
      </span>
    );
  if (type === 'migration_task' && siteName)
    return (
      <span>
        <a href={migrationTaskHref(page.org.id, siteName, id)}>Migration task</a>
      </span>
    );
  return (
    <span>
      {type ? actionLabel(type) : 'Item'} <code class="muted">{id}</code>
    </span>
  );
}

/** The audit events table of the audit log and of a user's page: who did what to whom, with links. */
export function AuditEventsTable({
  page,
  events,
  parties,
  caption,
}: {
  page: OrgPage;
  events: readonly AuditEventRow[];
  parties: EventParties;
  caption: string;
}) {
  const siteName = (e: AuditEventRow) => page.sites.find((s) => s.id === e.siteId)?.name;
  return (
    <DataTable
      caption={caption}
      rows={events}
      columns={[
        { header: 'When (UTC)', cell: (e) => when(e.createdAt) },
        {
          header: 'Action',
          cell: (e) => (
            <span>
              {actionLabel(e.action)}
              <br />
              <code class="muted">{e.action}</code>
            </span>
          ),
        },
        {
          header: 'By',
          cell: (e) => (
            <Party page={page} type={e.actorType} id={e.actorId} siteName={siteName(e)} parties={parties} />
          ),
        },
        {
          header: 'About',
          cell: (e) => (
            <span>
              <Party
                page={page}
                type={e.targetType}
                id={e.targetId}
                siteName={siteName(e)}
                parties={parties}
              />
              {typeof e.data.accountId === 'string' && e.data.accountId !== e.targetId ? (
                <>
                  <br />
                  <span class="muted">to account </span>
                  <Party
                    page={page}
                    type="account"
                    id={e.data.accountId}
                    siteName={siteName(e)}
                    parties={parties}
                  />
                </>
              ) : null}
            </span>
          ),
        },
      ]}
    />
  );
}
