/**
 * The seat rule, stated once: a product role uses a seat unless it is `customer` (free), and only while the
 * account and its org membership are active. `countSeatsUsed` (db/queries) applies the same rule in SQL.
 */
export const isBillableRole = (role: string | null): boolean => role !== 'customer';

/** Whether a member's product roles make them billable (`access_billable` of the Admin API). */
export function isBillable(membershipStatus: string, roles: { role: string | null }[]): boolean {
  return membershipStatus === 'active' && roles.some((r) => isBillableRole(r.role));
}
