import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countSeatsUsed } from '#src/db/queries/directory/products.queries.ts';
import { auditEvents, orgMemberships } from '#src/db/schema/index.ts';
import { SYSTEM } from '#src/domain/policies/actor.ts';
import { AppError } from '#src/shared/errors.ts';
import { buildAccount, buildOrg, buildSite } from '#src/test/factories/directory.ts';
import { createTestServer, type TestServer } from '#src/test/helpers/server.ts';
import { grantProductAccess } from './grant-product-access.ts';

let server: TestServer;
beforeAll(async () => {
  server = await createTestServer({ workers: false });
});
afterAll(() => server.close());

/** An org with one site whose JSM licence has `seats` seats, and `members` fresh org members. */
async function buildLicensedOrg(seats: number, members: number) {
  const org = await buildOrg(server.services);
  const site = await buildSite(server.services, org.id, { seats: { 'jira-servicemanagement': seats } });
  const accounts = [];
  for (let i = 0; i < members; i++) accounts.push(await buildAccount(server.services, { orgId: org.id }));
  return { org, product: site.jsm, jira: site.jira, accounts };
}

function grant(orgId: string, productId: string, accountId: string, role: 'customer' | 'user' | 'admin') {
  return grantProductAccess(server.services, SYSTEM, { orgId, productId, accountId, role });
}

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected the grant to be refused');
}

describe('granting product access within the seat limit', () => {
  it('grants up to the limit, then refuses with directory.no_seats_left (409) and the numbers', async () => {
    const { org, product, accounts } = await buildLicensedOrg(2, 3);
    expect(await grant(org.id, product.id, accounts[0]!.id, 'user')).toEqual({ seatsUsed: 1, seatLimit: 2 });
    expect(await grant(org.id, product.id, accounts[1]!.id, 'admin')).toEqual({ seatsUsed: 2, seatLimit: 2 });
    const error = await rejection(grant(org.id, product.id, accounts[2]!.id, 'user'));
    expect(error.code).toBe('directory.no_seats_left');
    expect(error.status).toBe(409);
    expect(error.data).toEqual({ productId: product.id, seatsUsed: 2, seatLimit: 2 });
    expect(error.message).toContain('2 of 2');
    expect(await countSeatsUsed(server.services.db, product.id)).toBe(2);
  });

  it('writes nothing for a refused grant: no group membership, no audit event', async () => {
    const { org, product, accounts } = await buildLicensedOrg(0, 1);
    await rejection(grant(org.id, product.id, accounts[0]!.id, 'user'));
    const events = await server.services.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.orgId, org.id), eq(auditEvents.action, 'product_access.granted')));
    expect(events).toEqual([]);
    expect(await countSeatsUsed(server.services.db, product.id)).toBe(0);
  });

  it('uses no seat to re-grant an account already seated, or to give it a second billable role', async () => {
    const { org, product, accounts } = await buildLicensedOrg(1, 1);
    const account = accounts[0]!.id;
    await grant(org.id, product.id, account, 'user');
    expect(await grant(org.id, product.id, account, 'user')).toEqual({ seatsUsed: 1, seatLimit: 1 });
    expect(await grant(org.id, product.id, account, 'admin')).toEqual({ seatsUsed: 1, seatLimit: 1 });
    expect(await countSeatsUsed(server.services.db, product.id)).toBe(1);
  });

  it('grants the free customer role on a full product', async () => {
    const { org, product, accounts } = await buildLicensedOrg(1, 2);
    await grant(org.id, product.id, accounts[0]!.id, 'user');
    expect(await grant(org.id, product.id, accounts[1]!.id, 'customer')).toEqual({
      seatsUsed: 1,
      seatLimit: 1,
    });
    expect(await countSeatsUsed(server.services.db, product.id)).toBe(1);
  });

  it('counts seats per product: a full JSM does not block Jira', async () => {
    const { org, product, jira, accounts } = await buildLicensedOrg(1, 2);
    await grant(org.id, product.id, accounts[0]!.id, 'user');
    expect((await grant(org.id, jira.id, accounts[1]!.id, 'user')).seatsUsed).toBe(1);
  });

  it('frees the seat of a suspended member', async () => {
    const { org, product, accounts } = await buildLicensedOrg(1, 2);
    await grant(org.id, product.id, accounts[0]!.id, 'user');
    expect((await rejection(grant(org.id, product.id, accounts[1]!.id, 'user'))).code).toBe(
      'directory.no_seats_left',
    );
    await server.services.db
      .update(orgMemberships)
      .set({ status: 'suspended' })
      .where(and(eq(orgMemberships.orgId, org.id), eq(orgMemberships.accountId, accounts[0]!.id)));
    expect(await countSeatsUsed(server.services.db, product.id)).toBe(0);
    expect(await grant(org.id, product.id, accounts[1]!.id, 'user')).toEqual({ seatsUsed: 1, seatLimit: 1 });
  });

  it('never passes the limit under concurrent grants (10 at once on 3 seats)', async () => {
    const { org, product, accounts } = await buildLicensedOrg(3, 10);
    const results = await Promise.allSettled(accounts.map((a) => grant(org.id, product.id, a.id, 'user')));
    const granted = results.filter((r) => r.status === 'fulfilled');
    const refused = results.filter((r) => r.status === 'rejected');
    expect(granted).toHaveLength(3);
    expect(refused).toHaveLength(7);
    for (const r of refused) expect((r.reason as AppError).code).toBe('directory.no_seats_left');
    expect(await countSeatsUsed(server.services.db, product.id)).toBe(3);
  });

  it('refuses a product of another org and an account that is not a member', async () => {
    const mine = await buildLicensedOrg(5, 1);
    const theirs = await buildLicensedOrg(5, 1);
    expect((await rejection(grant(mine.org.id, theirs.product.id, mine.accounts[0]!.id, 'user'))).code).toBe(
      'directory.product_not_found',
    );
    expect((await rejection(grant(mine.org.id, mine.product.id, theirs.accounts[0]!.id, 'user'))).code).toBe(
      'directory.not_a_member',
    );
  });
});
