import { createRemoteClient, type RemoteOptions } from './remote.ts';

/** `gatehouse org list`: one line per organization the key administers (id, name, user management). */
export async function listOrganizations(options: RemoteOptions): Promise<string[]> {
  const client = createRemoteClient(options);
  const lines: string[] = [];
  let next: string | undefined = '/admin/v1/orgs?limit=100';
  while (next) {
    const page: {
      data: Array<{ id: string; attributes: { name: string; userManagement: string } }>;
      links: { next?: string };
    } = await client.request('GET', next);
    for (const o of page.data) lines.push(`${o.id}\t${o.attributes.name}\t${o.attributes.userManagement}`);
    next = page.links.next;
  }
  return lines;
}
